/**
 * An accepted event is answered once its audit entry and projection are written; its notifications and
 * documents follow. Here the document activity is held back, then fails without retry: the command is
 * answered all the same, and the memo arrives once the activity works again.
 */
import { builtInVariant } from '../../libs/process/src';
import { auditOf, documentsOf, eventually } from '../support/audit-reader';
import { journeys } from '../support/journeys';
import { timeSkippingStack } from '../support/temporal-stack';
import { ApplicationFailure } from '@temporalio/common';

jest.setTimeout(120_000);

let mode: 'hold' | 'fail' | 'work' = 'hold';
let release: () => void = () => undefined;
const held = new Promise<void>((r) => (release = r));
let calls = 0;

let stack: Awaited<ReturnType<typeof timeSkippingStack>>;
beforeAll(async () => {
  stack = await timeSkippingStack({
    activities: (real) => ({
      ...real,
      renderDocument: async (input) => {
        calls++;
        if (mode === 'hold') await held;
        if (mode === 'fail') throw ApplicationFailure.nonRetryable('renderer down', 'RendererDown');
        return real.renderDocument(input);
      },
    }),
  });
});
afterAll(async () => {
  release();
  await stack?.stop();
});

describe('effects follow the answer', () => {
  it('a command whose memo is still being rendered is answered, and the memo follows', async () => {
    const c = await stack.open('c_fx1', builtInVariant('network-meeting'));
    // participants.mapped, meeting.scheduled, then meeting.held (which renders the memo), ….
    const views = await journeys['network-meeting']!(c, await stack.now());
    expect(views.at(-1)!.phase).toBe('closed');
    // The renderer has been asked (and is held), yet nothing was rendered before the answers came.
    expect(await eventually(async () => calls, (n) => n > 0)).toBeGreaterThan(0);
    expect(await documentsOf(stack.db, 'c_fx1')).toEqual([]);
    expect((await auditOf(stack.db, 'c_fx1')).length).toBe(views.at(-1)!.lastSeq);

    mode = 'work';
    release();
    const docs = await eventually(
      () => documentsOf(stack.db, 'c_fx1'),
      (d) => d.length > 0,
    );
    expect(new Set(docs.map((d) => d.document))).toEqual(new Set(['memo']));
  });

  it('an effect that fails for good does not fail the command that caused it', async () => {
    mode = 'fail';
    const c = await stack.open('c_fx2', builtInVariant('network-meeting'));
    const views = await journeys['network-meeting']!(c, await stack.now());
    expect(views.at(-1)!.phase).toBe('closed');
    expect(await documentsOf(stack.db, 'c_fx2')).toEqual([]);
    // The case goes on: the workflow is still running and answers queries.
    expect((await c.view()).lastSeq).toBe(views.at(-1)!.lastSeq);
  });
});
