/**
 * The yardsticks of `npm run bench:api`: a workflow whose Update does nothing but answer, so that a round
 * trip to it is the cost of Temporal itself (client, server, worker), without the case's work; and the same
 * Update running one local activity that does nothing, the least any Update costs that writes somewhere
 * before it answers (as the case workflow writes its audit entry and projection).
 */
import { condition, defineUpdate, proxyLocalActivities, setHandler } from '@temporalio/workflow';

export const noopUpdate = defineUpdate<unknown, [unknown]>('noop');
export const noopWithLocalActivityUpdate = defineUpdate<unknown, [unknown]>('noopWithLocalActivity');

/** Registered by the bench's worker as `nothing: async () => null`. */
export interface NoopActivities {
  nothing(input: unknown): Promise<unknown>;
}
const local = proxyLocalActivities<NoopActivities>({ startToCloseTimeout: '10 seconds' });

export async function noopWorkflow(): Promise<void> {
  setHandler(noopUpdate, (input) => input);
  setHandler(noopWithLocalActivityUpdate, async (input) => {
    await local.nothing(null);
    return input;
  });
  await condition(() => false);
}
