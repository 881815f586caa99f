/**
 * Records one real workflow history per built-in variant (plus one with the whole promise ladder) from the
 * time-skipping test server into test/fixtures/histories/, for the replay suite. Run after a deliberate,
 * versioned change to the workflow: `npm run fixtures:record`. Before recording, rename the current files
 * to `before-<patch id>.<name>.json` so the histories of the older code keep being replayed.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { builtInVariant, builtInVariants } from '../libs/process/src';
import { conferenceToApproval, followUpToClosure, journeys } from '../test/support/journeys';
import { timeSkippingStack, type CaseHandle } from '../test/support/temporal-stack';

const DAY = 86_400_000;
const dir = join(__dirname, '..', 'test', 'fixtures', 'histories');

async function main() {
  mkdirSync(dir, { recursive: true });
  const stack = await timeSkippingStack();
  const save = async (name: string, c: CaseHandle) => {
    const history = await c.handle.fetchHistory();
    writeFileSync(join(dir, `${name}.json`), historyToJSON(history) + '\n');
    console.log(`recorded ${name}: ${history.events?.length ?? 0} events`);
  };
  try {
    for (const config of builtInVariants) {
      const c = await stack.open(`c_fixture_${config.key}`, config);
      await journeys[config.key]!(c, await stack.now());
      await save(config.key, c);
    }
    const c = await stack.open('c_fixture_ladder', builtInVariant('fgc'), { continueAsNewAfter: 10_000 });
    await conferenceToApproval(c, await stack.now(), false);
    await stack.env.sleep(35 * DAY);
    await c.send('promise.kept', { promiseId: 'p1' }, { sub: 'co1', role: 'coordinator' });
    await stack.env.sleep(30 * DAY);
    await followUpToClosure(c);
    await save('fgc-ladder', c);
  } finally {
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
