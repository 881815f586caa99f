/** Shared by the error suites: the error-shape check and a case prepared for commands. */
import type { Role } from '../../libs/contracts/src';
import { users, type ApiStack, type HttpAnswer, type TestUser } from '../support/api-stack';
import { agreement } from '../support/scenarios';
import { openCase, STACK_TRACE } from './http-case';

/** `{ error, message, details? }` with the status, as JSON, never a stack trace. */
export function expectError(answer: HttpAnswer, status: number, error: string): void {
  expect({ status: answer.status, error: answer.json?.error }).toEqual({ status, error });
  expect(typeof answer.json.message).toBe('string');
  expect(Object.keys(answer.json).every((k) => ['error', 'message', 'details'].includes(k))).toBe(true);
  expect(answer.text).not.toMatch(STACK_TRACE);
  expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
}

export const pathsOf = (answer: HttpAnswer) => (answer.json.details as { path: string }[]).map((d) => d.path);

/** A command a coordinator may repeat in preparation: (re)scheduling the conference. */
export const meeting = (place: string) => ({
  type: 'meeting.scheduled',
  at: new Date(Date.now() + 7 * 86_400_000).toISOString(),
  place,
});

export type Sender = (
  as: TestUser | string | undefined,
  body: unknown,
  headers?: Record<string, string>,
  id?: string,
) => Promise<HttpAnswer>;

/**
 * An fgc case of cw1 (unit north) in preparation, with coordinators co1 (south) and co2 (east) assigned,
 * and a sender of commands to it.
 */
export async function preparedCase(stack: ApiStack): Promise<{ caseId: string; send: Sender }> {
  const caseId = (await openCase(stack.request, 'fgc')).id;
  const send: Sender = (as, body, headers = {}, id = caseId) =>
    stack.request('POST', `/cases/${id}/events`, { as, body, headers });
  const setup: [TestUser, unknown][] = [
    [users.cw1, { type: 'agreement.recorded', ...agreement }],
    [users.cw1, { type: 'coordinator.assigned', coordinatorId: 'co1', unit: 'south' }],
    [users.cw1, { type: 'coordinator.assigned', coordinatorId: 'co2', unit: 'east' }],
  ];
  for (const [as, body] of setup) {
    const answer = await send(as, body);
    if (answer.status !== 200) throw new Error(answer.text);
  }
  return { caseId, send };
}

export type { Role };
