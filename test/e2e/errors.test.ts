/**
 * Every error of contract.md over real HTTP, in the contract's check order: 401 → 404 → 400 → 403 → 409
 * (the Idempotency-Key and 422 are in idempotency.test.ts, 503 in unavailable.test.ts).
 */
import { SignJWT } from 'jose';
import { signDevToken } from '../../apps/api/src/auth/dev-token';
import { builtInVariant } from '../../libs/process/src';
import {
  apiStack,
  requirePostgresInCi,
  TEST_JWT_SECRET,
  testDatabases,
  users,
  type ApiStack,
} from '../support/api-stack';
import { agreement } from '../support/scenarios';
import { expectError, meeting, pathsOf, preparedCase, type Sender } from './contract-case';

jest.setTimeout(180_000);
requirePostgresInCi();

describe.each(testDatabases())('errors of the contract on $name', (database) => {
  let stack: ApiStack;
  /** An fgc case of cw1 (unit north) in preparation, with coordinators co1 (south) and co2 (east). */
  let caseId: string;
  let events: string;
  let send: Sender;

  beforeAll(async () => {
    stack = await apiStack(database);
    ({ caseId, send } = await preparedCase(stack));
    events = `/cases/${caseId}/events`;
  });
  afterAll(() => stack?.stop());

  describe('401 unauthenticated', () => {
    it('answers every protected route without a token, and before any 404', async () => {
      expectError(await stack.request('GET', '/cases'), 401, 'unauthenticated');
      expectError(await stack.request('GET', '/variants'), 401, 'unauthenticated');
      expectError(
        await stack.request('POST', '/cases/c_unknown/events', { body: { type: 'x' } }),
        401,
        'unauthenticated',
      );
    });

    it('refuses malformed, expired, foreign, unsigned and under-claimed tokens', async () => {
      const secret = new TextEncoder().encode(TEST_JWT_SECRET);
      const claims = { roles: ['caseworker'], unit: 'north' };
      const tokens = {
        basic: 'Basic Y3cxOnB3',
        garbage: 'Bearer not-a-jwt',
        expired: `Bearer ${await signDevToken(users.cw1, TEST_JWT_SECRET, -60)}`,
        otherSecret: `Bearer ${await signDevToken(users.cw1, 'another-secret-another-secret-another', 3600)}`,
        unknownRole: `Bearer ${await new SignJWT({ roles: ['janitor'], unit: 'north' }).setProtectedHeader({ alg: 'HS256' }).setSubject('cw1').setExpirationTime('1h').sign(secret)}`,
        noUnit: `Bearer ${await new SignJWT({ roles: ['caseworker'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('cw1').setExpirationTime('1h').sign(secret)}`,
        noExp: `Bearer ${await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('cw1').sign(secret)}`,
        algNone: `Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ ...claims, sub: 'cw1', exp: 4102444800 })).toString('base64url')}.`,
      };
      for (const [name, authorization] of Object.entries(tokens)) {
        const answer = await stack.request('GET', `/cases/${caseId}`, { headers: { authorization } });
        expect([name, answer.status]).toEqual([name, 401]);
        expectError(answer, 401, 'unauthenticated');
      }
    });

    it('leaves /health and the docs open', async () => {
      expect((await stack.request('GET', '/health')).status).toBe(200);
      expect((await stack.request('GET', '/docs-json')).status).toBe(200);
      expect((await stack.request('GET', '/docs')).status).toBe(200);
    });
  });

  describe('404 not_found', () => {
    it('answers an unknown case and an unknown route', async () => {
      expectError(
        await stack.request('GET', '/cases/c_00000000000000000000', { as: users.auditor }),
        404,
        'not_found',
      );
      expectError(
        await send(users.cw1, { type: 'case.closed', reason: 'other' }, {}, 'c_00000000000000000000'),
        404,
        'not_found',
      );
      expectError(await stack.request('GET', '/no/such/route', { as: users.cw1 }), 404, 'not_found');
      expectError(await stack.request('DELETE', `/cases/${caseId}`, { as: users.cw1 }), 404, 'not_found');
      expectError(
        await stack.request('GET', '/variants/fgc/versions/99', { as: users.cw1 }),
        404,
        'not_found',
      );
    });

    it('answers a case the caller may not see exactly like an unknown one, before looking at the body', async () => {
      const unknown = await stack.request('GET', '/cases/c_00000000000000000000', { as: users.cw2 });
      for (const user of [users.cw2, users.co3, users.supSouth, users.admin]) {
        const read = await stack.request('GET', `/cases/${caseId}`, { as: user });
        expectError(read, 404, 'not_found');
        expect(read.json.message.replace(caseId, 'ID')).toBe(
          unknown.json.message.replace('c_00000000000000000000', 'ID'),
        );
        // An invalid body is not even looked at: 404 comes before 400.
        expectError(await send(user, { type: 'agreement.recorded', guardians: 'nobody' }), 404, 'not_found');
      }
    });

    it('lets the assigned, the unit supervisor and auditors read, and logs each read', async () => {
      for (const user of [users.cw1, users.co1, users.co2, users.supNorth, users.auditor]) {
        const read = await stack.request('GET', `/cases/${caseId}`, { as: user });
        expect([user.sub, read.status]).toEqual([user.sub, 200]);
      }
      const rows = await stack.db.query(
        `SELECT sub, role, action FROM access_log WHERE case_id = '${caseId}' AND action = 'view'`,
      );
      expect(rows).toEqual(
        expect.arrayContaining([
          { sub: 'co1', role: 'coordinator', action: 'view' },
          { sub: 'sup1', role: 'supervisor', action: 'view' },
          { sub: 'aud1', role: 'auditor', action: 'view' },
        ]),
      );
    });
  });

  describe('400 invalid_payload', () => {
    it('lists every problem of an event body with its field path', async () => {
      const answer = await send(users.cw1, {
        type: 'agreement.recorded',
        guardians: [{ name: '', consent: false }],
        childConsulted: 'yes',
        extra: 1,
      });
      expectError(answer, 400, 'invalid_payload');
      expect(pathsOf(answer)).toEqual(
        expect.arrayContaining([
          'guardians.0.name',
          'guardians.0.consent',
          'childConsulted',
          'concerns',
          'questions',
          'professionals',
          '',
        ]),
      );
      for (const d of answer.json.details) expect(typeof d.message).toBe('string');
    });

    it('names the type when it is unknown, and refuses bodies that are not JSON objects', async () => {
      expect(pathsOf(await send(users.cw1, { type: 'case.teleported' }))).toEqual(['type']);
      expect(pathsOf(await send(users.cw1, { reason: 'other' }))).toEqual(['type']);
      expectError(await send(users.cw1, [1, 2]), 400, 'invalid_payload');
      expectError(await send(users.cw1, 'a string'), 400, 'invalid_payload');
      expectError(
        await stack.request('POST', events, { as: users.cw1, rawBody: '{"type": "case.closed",' }),
        400,
        'invalid_payload',
      );
      expectError(
        await stack.request('POST', events, {
          as: users.cw1,
          rawBody: 'type=case.closed',
          headers: { 'content-type': 'text/plain' },
        }),
        400,
        'invalid_payload',
      );
      const huge = await stack.request('POST', events, {
        as: users.cw1,
        body: { type: 'case.reopened', reason: 'x'.repeat(200_000) },
      });
      expectError(huge, 400, 'invalid_payload');
    });

    it('checks the Idempotency-Key with the payload', async () => {
      const answer = await send(
        users.cw1,
        { type: 'case.closed', reason: 'other' },
        { 'Idempotency-Key': 'k'.repeat(201) },
      );
      expectError(answer, 400, 'invalid_payload');
      expect(pathsOf(answer)).toEqual(['Idempotency-Key']);
    });

    it('comes before 403: a coordinator sending a malformed caseworker event hears about the payload first', async () => {
      expectError(await send(users.co1, { type: 'agreement.recorded' }), 400, 'invalid_payload');
    });

    it('checks case opening, list queries and path parameters', async () => {
      const open = await stack.request('POST', '/cases', {
        as: users.cw1,
        body: { variant: 5, version: 'one', colour: 'red' },
      });
      expectError(open, 400, 'invalid_payload');
      expect(pathsOf(open)).toEqual(expect.arrayContaining(['variant', 'version']));
      expect(
        pathsOf(await stack.request('POST', '/cases', { as: users.cw1, body: { variant: 'no-such' } })),
      ).toEqual(['variant']);
      expect(
        pathsOf(
          await stack.request('POST', '/cases', { as: users.cw1, body: { variant: 'fgc', version: 9 } }),
        ),
      ).toEqual(['version']);
      expect(pathsOf(await stack.request('GET', '/cases?limit=0', { as: users.cw1 }))).toEqual(['limit']);
      expectError(await stack.request('GET', '/cases?colour=red', { as: users.cw1 }), 400, 'invalid_payload');
      expect(pathsOf(await stack.request('GET', '/cases?cursor=bm9wZQ', { as: users.cw1 }))).toEqual([
        'cursor',
      ]);
      expect(pathsOf(await stack.request('GET', '/variants/fgc/versions/first', { as: users.cw1 }))).toEqual([
        'v',
      ]);
    });

    it('lists every problem of a variant config at once', async () => {
      const config = structuredClone(builtInVariant('fgc')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      config.key = 'other-key';
      config.labels.fi = '';
      config.durations.conferenceWithin = 'six weeks';
      config.escalation = [];
      config.counts.maxRejectionRounds = -1;
      const answer = await stack.request('POST', '/variants/fgc/versions', { as: users.co1, body: config });
      expectError(answer, 400, 'invalid_payload');
      expect(pathsOf(answer)).toEqual(
        expect.arrayContaining([
          'key',
          'labels.fi',
          'durations.conferenceWithin',
          'escalation',
          'counts.maxRejectionRounds',
        ]),
      );
    });
  });

  describe('403 forbidden', () => {
    it('refuses an event the role may not send, or a role not assigned so', async () => {
      const refusals = [
        [users.co1, { type: 'agreement.recorded', ...agreement }],
        [
          users.cw1,
          {
            type: 'participants.mapped',
            participants: [{ id: 'child', name: 'Testi Lapsi', relation: 'child', side: 'family' }],
          },
        ],
        [users.auditor, { type: 'case.closed', reason: 'other' }],
        [users.supNorth, { type: 'case.closed', reason: 'other' }],
      ] as const;
      for (const [user, body] of refusals) {
        const answer = await send(user, body);
        expect([user.sub, answer.status]).toEqual([user.sub, 403]);
        expectError(answer, 403, 'forbidden');
      }
    });

    it('lets only caseworkers open cases and only coordinators publish variants', async () => {
      expectError(
        await stack.request('POST', '/cases', { as: users.co1, body: { variant: 'fgc' } }),
        403,
        'forbidden',
      );
      expectError(
        await stack.request('POST', '/cases', { as: users.auditor, body: { variant: 'fgc' } }),
        403,
        'forbidden',
      );
      expectError(
        await stack.request('POST', '/variants/fgc/versions', { as: users.cw1, body: builtInVariant('fgc') }),
        403,
        'forbidden',
      );
      expectError(await stack.request('GET', '/cases', { as: users.admin }), 403, 'forbidden');
    });

    it('comes before the Idempotency-Key check', async () => {
      const key = 'shared-key-403';
      expect((await send(users.co1, meeting('Library'), { 'Idempotency-Key': key })).status).toBe(200);
      expectError(
        await send(users.cw1, { type: 'participants.mapped', participants: [] }, { 'Idempotency-Key': key }),
        400,
        'invalid_payload',
      );
      expectError(
        await send(users.auditor, { type: 'case.closed', reason: 'other' }, { 'Idempotency-Key': key }),
        403,
        'forbidden',
      );
    });
  });

  describe('409 transition_rejected', () => {
    it('names the state, what is allowed and the rule', async () => {
      const answer = await send(users.cw1, { type: 'plan.approved' });
      expectError(answer, 409, 'transition_rejected');
      expect(answer.json.details).toEqual({
        state: expect.objectContaining({ preparation: expect.any(String) }),
        allowedEvents: expect.arrayContaining(['participants.mapped', 'case.closed']),
        rule: expect.any(String),
      });
      expect(answer.json.details.allowedEvents).not.toContain('plan.approved');
    });
  });
});
