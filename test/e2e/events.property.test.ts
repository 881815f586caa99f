/**
 * Property: whatever body and headers reach POST /cases/:id/events, the API answers with a contract
 * status and an error body, never 500 and never a stack trace; and the case keeps working.
 */
import fc from 'fast-check';
import { commandTypes } from '../../libs/contracts/src';
import { signDevToken } from '../../apps/api/src/auth/dev-token';
import {
  apiStack,
  requirePostgresInCi,
  TEST_JWT_SECRET,
  testDatabases,
  users,
  type ApiStack,
} from '../support/api-stack';
import { agreement } from '../support/scenarios';
import { openCase, STACK_TRACE } from './http-case';

jest.setTimeout(300_000);
requirePostgresInCi();

const CONTRACT_STATUSES = [200, 400, 401, 403, 404, 409, 422];
const printable = (maxLength: number) => fc.string({ unit: 'grapheme-ascii', maxLength });

/** Bodies from plausible to absurd: valid commands, commands with stray fields, any JSON, any text. */
const bodies = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .record({
        type: fc.constant('meeting.scheduled'),
        at: fc
          .integer({ min: -10, max: 60 })
          .map((days) => new Date(Date.now() + days * 86_400_000).toISOString()),
        place: fc.oneof({ weight: 4, arbitrary: printable(30) }, fc.constant('')),
      })
      .map((b) => JSON.stringify(b)),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.constantFrom(...commandTypes, 'deadline.reached', 'case.opened', '', 'x'),
        fc.dictionary(printable(12), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 }),
      )
      .map(([type, payload]) => JSON.stringify({ ...payload, type })),
  },
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  fc.constantFrom(
    '',
    '{',
    '{"type":',
    'null',
    '[]',
    '"agreement.recorded"',
    '{"__proto__":{"type":"case.closed"}}',
    '{"type":"case.closed","reason":"other","constructor":{"prototype":{}}}',
  ),
);

const contentTypes = fc.oneof(
  { weight: 6, arbitrary: fc.constant('application/json') },
  fc.constantFrom(
    undefined,
    'application/json; charset=utf-8',
    'application/json; charset=latin1',
    'application/json; charset=utf-16',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
  ),
);

describe.each(testDatabases())('POST /cases/:id/events with arbitrary input on $name', (database) => {
  let stack: ApiStack;
  let caseId: string;
  let tokens: string[];

  beforeAll(async () => {
    stack = await apiStack(database);
    caseId = (await openCase(stack.request, 'fgc')).id;
    await stack.request('POST', `/cases/${caseId}/events`, {
      as: users.cw1,
      body: { type: 'agreement.recorded', ...agreement },
    });
    await stack.request('POST', `/cases/${caseId}/events`, {
      as: users.cw1,
      body: { type: 'coordinator.assigned', coordinatorId: 'co1', unit: 'south' },
    });
    tokens = await Promise.all(
      [users.cw1, users.co1, users.cw2, users.auditor, users.supNorth, users.admin].map((u) =>
        signDevToken(u, TEST_JWT_SECRET, 3600),
      ),
    );
  });
  afterAll(() => stack?.stop());

  it('never answers 500 and never shows a stack trace', async () => {
    // Mostly the assigned coordinator (whose meeting.scheduled is accepted), then everyone else.
    const [cw1, co1, ...others] = tokens;
    const authorization = fc.oneof(
      { weight: 5, arbitrary: fc.constant(`Bearer ${co1}`) },
      { weight: 3, arbitrary: fc.constantFrom(cw1!, ...others).map((t) => `Bearer ${t}`) },
      fc.constantFrom(...tokens).map((t) => `Bearer ${t.slice(0, -3)}abc`),
      printable(80),
      fc.constant(undefined),
    );
    const target = fc.oneof(
      { weight: 4, arbitrary: fc.constant(caseId) },
      { weight: 1, arbitrary: fc.string({ maxLength: 40 }).map(encodeURIComponent) },
    );
    const idempotencyKey = fc.option(fc.oneof(fc.constantFrom('k1', 'k2', 'k3'), printable(220)), {
      nil: undefined,
    });

    await fc.assert(
      fc.asyncProperty(
        bodies,
        authorization,
        contentTypes,
        idempotencyKey,
        target,
        async (body, auth, contentType, key, id) => {
          const headers: Record<string, string> = {};
          if (auth !== undefined) headers.authorization = auth;
          if (contentType !== undefined) headers['content-type'] = contentType;
          if (key !== undefined) headers['idempotency-key'] = key;
          const response = await fetch(`${stack.baseUrl}/cases/${id}/events`, {
            method: 'POST',
            headers,
            body,
          });
          const text = await response.text();
          expect(text).not.toMatch(STACK_TRACE);
          expect(CONTRACT_STATUSES).toContain(response.status);
          const json = JSON.parse(text);
          if (response.status !== 200) {
            expect(typeof json.error).toBe('string');
            expect(typeof json.message).toBe('string');
          } else {
            expect(json.id).toBe(caseId);
          }
        },
      ),
      { numRuns: 100 },
    );

    // The case still works after the barrage.
    const read = await stack.request('GET', `/cases/${caseId}`, { as: users.cw1 });
    expect(read.status).toBe(200);
    expect((await stack.request('GET', '/health')).status).toBe(200);
  });
});
