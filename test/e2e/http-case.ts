/**
 * A case driven over HTTP with the same shape as the workflow tests' CaseHandle, so that the journeys of
 * test/support/journeys.ts run unchanged through the API: every `send` is a POST /cases/:id/events with
 * a token for the actor, every `view` a GET /cases/:id.
 */
import type { Actor, CaseView } from '../../libs/contracts/src';
import { users, type Request, type TestUser } from '../support/api-stack';
import type { CaseHandle } from '../support/temporal-stack';

const unitOf: Record<string, string> = { cw1: 'north', cw2: 'north', co1: 'south', co2: 'east', co3: 'west' };

export const userOf = (actor: Actor): TestUser => ({
  sub: actor.sub,
  roles: [actor.role as TestUser['roles'][number]],
  unit: unitOf[actor.sub] ?? 'north',
});

export async function openCase(
  request: Request,
  variant: string,
  as: TestUser = users.cw1,
  version?: number,
): Promise<CaseView> {
  const answer = await request('POST', '/cases', { as, body: { variant, ...(version ? { version } : {}) } });
  if (answer.status !== 201) throw new Error(`POST /cases answered ${answer.status}: ${answer.text}`);
  return answer.json as CaseView;
}

export function httpCase(request: Request, caseId: string): CaseHandle {
  const handle: Omit<CaseHandle, 'handle'> = {
    async send(type, payload, actor = { sub: 'cw1', role: 'caseworker' }) {
      const answer = await request('POST', `/cases/${caseId}/events`, {
        as: userOf(actor),
        body: { type, ...(payload as object) },
      });
      if (answer.status !== 200) throw new Error(`${type} answered ${answer.status}: ${answer.text}`);
      return answer.json as CaseView;
    },
    async view() {
      const answer = await request('GET', `/cases/${caseId}`, { as: users.cw1 });
      if (answer.status !== 200)
        throw new Error(`GET /cases/${caseId} answered ${answer.status}: ${answer.text}`);
      return answer.json as CaseView;
    },
  };
  return handle as CaseHandle;
}

/** Matches any stack-trace line, which no answer may ever contain. */
export const STACK_TRACE = /\n\s+at |\bat [\w.<>]+ \(.*:\d+:\d+\)/;
