/**
 * The yardstick of `npm run bench:api`: a workflow whose Update does nothing but answer, so that a round
 * trip to it is the cost of Temporal itself (client, server, worker), without the case's work.
 */
import { condition, defineUpdate, setHandler } from '@temporalio/workflow';

export const noopUpdate = defineUpdate<unknown, [unknown]>('noop');

export async function noopWorkflow(): Promise<void> {
  setHandler(noopUpdate, (input) => input);
  await condition(() => false);
}
