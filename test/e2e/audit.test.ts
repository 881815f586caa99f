/**
 * The audit endpoints over HTTP against the whole stack (dev server, worker, API, SQLite and, when given,
 * PostgreSQL): history, state as of a time, verify, export and the access log, with the contract's check
 * order (401, 404, 400, 403) and one access-log row for every read of case content.
 */
import { AuditEntryRow, inTransaction, rawQuery } from '../../libs/persistence/src';
import { agreement } from '../support/scenarios';
import {
  apiStack,
  requirePostgresInCi,
  testDatabases,
  users,
  type ApiStack,
  type TestUser,
} from '../support/api-stack';

jest.setTimeout(240_000);

requirePostgresInCi();

describe.each(testDatabases().map((d) => [d.name, d] as const))(
  'audit endpoints on %s',
  (_name, database) => {
    let stack: ApiStack;
    beforeAll(async () => {
      stack = await apiStack(database);
    });
    afterAll(() => stack?.stop());

    const call = (method: string, path: string, as?: TestUser | string, body?: unknown) =>
      stack.request(method, path, { as, body });

    /** An fgc case of cw1 with its agreement and both coordinators: 4 entries. */
    async function openCase(): Promise<string> {
      const opened = await call('POST', '/cases', users.cw1, { variant: 'fgc' });
      expect(opened.status).toBe(201);
      const id = opened.json.id as string;
      for (const body of [
        { type: 'agreement.recorded', ...agreement },
        { type: 'coordinator.assigned', coordinatorId: 'co1', unit: 'south' },
        { type: 'coordinator.assigned', coordinatorId: 'co2', unit: 'east' },
      ]) {
        const sent = await call('POST', `/cases/${id}/events`, users.cw1, body);
        expect(sent.status).toBe(200);
      }
      await markReads(id);
      return id;
    }

    /** Access-log rows of a case written since setup (opening and events log their own rows). */
    const marks = new Map<string, number>();
    async function markReads(caseId: string): Promise<void> {
      const [row] = await rawQuery<{ id: number | string | null }>(
        stack.db.manager,
        'SELECT MAX(id) AS id FROM access_log',
        {},
      );
      marks.set(caseId, Number(row?.id ?? 0));
    }
    async function readsSinceSetup(caseId: string): Promise<string[]> {
      const rows = await rawQuery<{ sub: string; role: string; action: string }>(
        stack.db.manager,
        'SELECT sub, role, action FROM access_log WHERE case_id = :caseId AND id > :mark ORDER BY id',
        { caseId, mark: marks.get(caseId) ?? 0 },
      );
      return rows.map((r) => `${r.sub} ${r.role} ${r.action}`);
    }

    describe('GET /cases/:id/history', () => {
      it('serves the chained entries in seq order, paged, and logs each read', async () => {
        const id = await openCase();
        const all = await call('GET', `/cases/${id}/history`, users.cw1);
        expect(all.status).toBe(200);
        expect(all.json.nextCursor).toBeNull();
        expect(all.json.items.map((i: { seq: number; type: string }) => `${i.seq} ${i.type}`)).toEqual([
          '1 case.opened',
          '2 agreement.recorded',
          '3 coordinator.assigned',
          '4 coordinator.assigned',
        ]);
        expect(all.json.items[0]).toEqual({
          seq: 1,
          at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
          actor: { sub: 'cw1', role: 'caseworker' },
          type: 'case.opened',
          payload: { variant: 'fgc', version: 1, caseworker: { sub: 'cw1', unit: 'north' } },
          prevHash: '0'.repeat(64),
          hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        });

        const first = await call('GET', `/cases/${id}/history?limit=3`, users.co1);
        expect(first.json.items.map((i: { seq: number }) => i.seq)).toEqual([1, 2, 3]);
        expect(typeof first.json.nextCursor).toBe('string');
        const rest = await call(
          'GET',
          `/cases/${id}/history?limit=3&cursor=${first.json.nextCursor}`,
          users.co1,
        );
        expect(rest.json).toEqual({ items: [all.json.items[3]], nextCursor: null });

        expect(await readsSinceSetup(id)).toEqual([
          'cw1 caseworker history',
          'co1 coordinator history',
          'co1 coordinator history',
        ]);
      });

      it('answers 401, then 404 for the unassigned, then 400 for a bad query', async () => {
        const id = await openCase();
        expect((await call('GET', `/cases/${id}/history`)).status).toBe(401);
        expect((await call('GET', `/cases/${id}/history`, 'not-a-token')).status).toBe(401);
        for (const stranger of [users.cw2, users.supSouth, users.admin]) {
          const answer = await call('GET', `/cases/${id}/history`, stranger);
          expect(answer.status).toBe(404);
          expect(answer.json.error).toBe('not_found');
        }
        // 404 answers before 400: a stranger learns nothing from a bad query either.
        expect((await call('GET', `/cases/${id}/history?limit=0`, users.cw2)).status).toBe(404);
        const bad = await call('GET', `/cases/${id}/history?limit=0&cursor=zz`, users.cw1);
        expect(bad.status).toBe(400);
        expect(bad.json.error).toBe('invalid_payload');
        expect(bad.json.details.map((d: { path: string }) => d.path)).toContain('limit');
        const badCursor = await call('GET', `/cases/${id}/history?cursor=zz`, users.cw1);
        expect(badCursor.status).toBe(400);
        expect(badCursor.json.details).toEqual([{ path: 'cursor', message: expect.any(String) }]);
        expect((await call('GET', `/cases/c_unknown/history`, users.auditor)).status).toBe(404);
        expect(await readsSinceSetup(id)).toEqual([]);
      });

      it("is open to the unit's supervisor and to auditors", async () => {
        const id = await openCase();
        expect((await call('GET', `/cases/${id}/history`, users.supNorth)).status).toBe(200);
        expect((await call('GET', `/cases/${id}/history`, users.auditor)).status).toBe(200);
        expect(await readsSinceSetup(id)).toEqual(['sup1 supervisor history', 'aud1 auditor history']);
      });
    });

    describe('GET /cases/:id/state', () => {
      it('the view at a past time, at now (equal to GET /cases/:id), and 404 before the opening', async () => {
        const id = await openCase();
        const items = (await call('GET', `/cases/${id}/history`, users.auditor)).json.items as {
          seq: number;
          at: string;
        }[];
        const at2 = items[1]!.at;
        const expectedSeq = Math.max(...items.filter((i) => i.at <= at2).map((i) => i.seq));

        const past = await call('GET', `/cases/${id}/state?asOf=${at2}`, users.cw1);
        expect(past.status).toBe(200);
        expect(past.json).toMatchObject({ id, phase: 'preparation', lastSeq: expectedSeq });

        const now = await call('GET', `/cases/${id}/state`, users.cw1);
        const view = await call('GET', `/cases/${id}`, users.cw1);
        expect(now.json).toEqual(view.json);
        expect(now.json.coordinators).toEqual([
          { sub: 'co1', unit: 'south' },
          { sub: 'co2', unit: 'east' },
        ]);

        const before = new Date(Date.parse(items[0]!.at) - 60_000).toISOString();
        const early = await call('GET', `/cases/${id}/state?asOf=${before}`, users.cw1);
        expect(early.status).toBe(404);
        expect(early.json.error).toBe('not_found');
        expect(early.json.message).toContain(items[0]!.at);

        expect(await readsSinceSetup(id)).toEqual([
          'aud1 auditor history',
          'cw1 caseworker state',
          'cw1 caseworker state',
          'cw1 caseworker view',
        ]);
      });

      it('400 naming asOf for a time it cannot read; 404 first for the unassigned', async () => {
        const id = await openCase();
        for (const asOf of ['yesterday', '2026-13-01T00:00:00Z', '2026-01-01T00:00:00+02:00']) {
          const bad = await call('GET', `/cases/${id}/state?asOf=${encodeURIComponent(asOf)}`, users.cw1);
          expect(bad.status).toBe(400);
          expect(bad.json.details).toEqual([{ path: 'asOf', message: expect.any(String) }]);
        }
        expect((await call('GET', `/cases/${id}/state?asOf=yesterday`, users.cw2)).status).toBe(404);
        expect(await readsSinceSetup(id)).toEqual([]);
      });
    });

    describe('POST /cases/:id/verify', () => {
      it('auditors only: a sound case verifies; others get 403, the unassigned 404', async () => {
        const id = await openCase();
        const report = await call('POST', `/cases/${id}/verify`, users.auditor);
        expect(report.status).toBe(200);
        expect(report.json).toEqual({
          ok: true,
          entries: 4,
          firstBrokenSeq: null,
          stateMatchesWorkflow: true,
          historyReplays: true,
          problems: [],
        });
        for (const other of [users.cw1, users.co1, users.supNorth]) {
          const refused = await call('POST', `/cases/${id}/verify`, other);
          expect(refused.status).toBe(403);
          expect(refused.json.error).toBe('forbidden');
        }
        expect((await call('POST', `/cases/${id}/verify`, users.cw2)).status).toBe(404);
        expect((await call('POST', `/cases/${id}/verify`)).status).toBe(401);
        expect(await readsSinceSetup(id)).toEqual(['aud1 auditor verify']);
      });

      it('finds a row edited directly in the database and names its seq', async () => {
        const id = await openCase();
        await inTransaction(stack.db, (m) =>
          rawQuery(m, 'UPDATE audit_entries SET payload = :payload WHERE case_id = :id AND seq = 3', {
            payload: JSON.stringify({ coordinatorId: 'co3', unit: 'west' }),
            id,
          }),
        );
        const stored = await stack.db.getRepository(AuditEntryRow).findOneByOrFail({ caseId: id, seq: 3 });
        expect(stored.payload).toEqual({ coordinatorId: 'co3', unit: 'west' });
        const report = await call('POST', `/cases/${id}/verify`, users.auditor);
        expect(report.json).toMatchObject({
          ok: false,
          entries: 4,
          firstBrokenSeq: 3,
          stateMatchesWorkflow: false,
          historyReplays: true,
        });
      });
    });

    describe('GET /cases/:id/export', () => {
      it('the view, the whole history and the verify report; auditors only', async () => {
        const id = await openCase();
        const exported = await call('GET', `/cases/${id}/export`, users.auditor);
        expect(exported.status).toBe(200);
        const view = await call('GET', `/cases/${id}`, users.auditor);
        const history = await call('GET', `/cases/${id}/history`, users.auditor);
        expect(exported.json.case).toEqual(view.json);
        expect(exported.json.history).toEqual(history.json.items);
        expect(exported.json.verify).toMatchObject({ ok: true, entries: 4 });
        expect((await call('GET', `/cases/${id}/export`, users.cw1)).status).toBe(403);
        expect((await call('GET', `/cases/${id}/export`, users.cw2)).status).toBe(404);
        expect(await readsSinceSetup(id)).toEqual([
          'aud1 auditor export',
          'aud1 auditor view',
          'aud1 auditor history',
        ]);
      });
    });

    describe('GET /audit/access-log', () => {
      it('every read of case content is there, filterable by case, user and time, paged; auditors only', async () => {
        const id = await openCase();
        const from = new Date().toISOString();
        await call('GET', `/cases/${id}`, users.co1);
        await call('GET', `/cases/${id}/history`, users.cw1);
        await call('GET', `/cases/${id}/state`, users.supNorth);
        await call('POST', `/cases/${id}/verify`, users.auditor);
        await call('GET', `/cases/${id}/export`, users.auditor);

        const log = await call('GET', `/audit/access-log?caseId=${id}&from=${from}`, users.auditor);
        expect(log.status).toBe(200);
        expect(log.json.nextCursor).toBeNull();
        expect(
          log.json.items.map(
            (i: { sub: string; role: string; action: string }) => `${i.sub} ${i.role} ${i.action}`,
          ),
        ).toEqual([
          'co1 coordinator view',
          'cw1 caseworker history',
          'sup1 supervisor state',
          'aud1 auditor verify',
          'aud1 auditor export',
        ]);
        expect(log.json.items[0]).toEqual({
          at: expect.any(String),
          sub: 'co1',
          role: 'coordinator',
          caseId: id,
          action: 'view',
        });

        const mine = await call('GET', `/audit/access-log?caseId=${id}&sub=aud1`, users.auditor);
        expect(mine.json.items.map((i: { action: string }) => i.action)).toEqual(['verify', 'export']);

        const page1 = await call('GET', `/audit/access-log?caseId=${id}&from=${from}&limit=2`, users.auditor);
        const page2 = await call(
          'GET',
          `/audit/access-log?caseId=${id}&from=${from}&limit=2&cursor=${page1.json.nextCursor}`,
          users.auditor,
        );
        const page3 = await call(
          'GET',
          `/audit/access-log?caseId=${id}&from=${from}&limit=2&cursor=${page2.json.nextCursor}`,
          users.auditor,
        );
        expect([...page1.json.items, ...page2.json.items, ...page3.json.items]).toEqual(log.json.items);
        expect(page3.json.nextCursor).toBeNull();

        const none = await call(
          'GET',
          `/audit/access-log?caseId=${id}&to=${new Date(Date.parse(from) - 3_600_000).toISOString()}`,
          users.auditor,
        );
        expect(none.json.items).toEqual([]);

        for (const other of [users.cw1, users.supNorth, users.admin]) {
          expect((await call('GET', '/audit/access-log', other)).status).toBe(403);
        }
        expect((await call('GET', '/audit/access-log')).status).toBe(401);
        const bad = await call('GET', '/audit/access-log?from=soon&color=blue', users.auditor);
        expect(bad.status).toBe(400);
        expect(bad.json.details.map((d: { path: string }) => d.path).sort()).toEqual(
          expect.arrayContaining(['from']),
        );
      });
    });
  },
);
