import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { DEV_CODEC_KEY, dataConverterOf } from '../../libs/temporal/src';
import { workflowBundle } from '../support/temporal-stack';

jest.setTimeout(120_000);

const dir = join(__dirname, '..', 'fixtures', 'histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('recorded histories replay against the current workflow code', () => {
  it('has a history for every built-in variant, from the current code and from before each patch', () => {
    // A patch (`patched()` in the workflow) keeps older histories replayable only while they are replayed.
    for (const key of ['fgc', 'acute', 'network-mapping', 'network-meeting']) {
      expect(files).toContain(`${key}.json`);
      expect(files).toContain(`before-lean-event-path.${key}.json`);
    }
  });

  it('replays every history without non-determinism', async () => {
    const histories = files.map((file) => ({
      workflowId: file.replace(/\.json$/, ''),
      history: historyFromJSON(JSON.parse(readFileSync(join(dir, file), 'utf8'))),
    }));
    const results = [];
    // Fixtures were recorded with the documented development key.
    const dataConverter = dataConverterOf({
      currentKeyId: 'k1',
      keys: { k1: Buffer.from(DEV_CODEC_KEY, 'base64') },
    });
    for await (const result of Worker.runReplayHistories(
      { workflowBundle: await workflowBundle(), dataConverter },
      histories,
    )) {
      results.push({ workflowId: result.workflowId, error: result.error ? String(result.error) : undefined });
    }
    expect(results).toEqual(histories.map((h) => ({ workflowId: h.workflowId, error: undefined })));
  });
});
