/**
 * The audit services (history, state as of a time, verify, export, access log) against a real SQLite
 * database and a real workflow on the time-skipping test server, without the HTTP layer.
 */
import { Module, type DynamicModule } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { AccessLogModule } from '../../apps/api/src/access-log/access-log.module';
import { AuditModule } from '../../apps/api/src/audit/audit.module';
import { AuditService } from '../../apps/api/src/audit/audit.service';
import { ExportService } from '../../apps/api/src/audit/export.service';
import { TEMPORAL_CLIENT } from '../../apps/api/src/audit/temporal-client.token';
import { VerifyService, WORKFLOW_BUNDLE } from '../../apps/api/src/audit/verify.service';
import type { Principal } from '../../apps/api/src/auth/principal';
import { ApiError } from '../../apps/api/src/errors/api-error';
import {
  AuditEntryRow,
  GENESIS_HASH,
  type ChainEntry,
  VariantVersionRow,
  auditHash,
  historyItemOf,
  inTransaction,
} from '../../libs/persistence/src';
import { builtInVariant } from '../../libs/process/src';
import { eventually } from '../support/audit-reader';
import { conferenceToApproval, followUpToClosure } from '../support/journeys';
import { agreement } from '../support/scenarios';
import { timeSkippingStack, workflowBundle, type CaseHandle } from '../support/temporal-stack';

jest.setTimeout(180_000);

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

const cw: Principal = { sub: 'cw1', roles: ['caseworker'], unit: 'north' };
const co: Principal = { sub: 'co1', roles: ['coordinator'], unit: 'south' };
const supervisor: Principal = { sub: 'sup1', roles: ['supervisor'], unit: 'north' };
const auditor: Principal = { sub: 'aud1', roles: ['auditor'], unit: 'audit' };
const stranger: Principal = { sub: 'cw9', roles: ['caseworker'], unit: 'north' };

let stack: Awaited<ReturnType<typeof timeSkippingStack>>;
let audit: AuditService;
let verifier: VerifyService;
let exporter: ExportService;
let closeModule: () => Promise<void>;

/** The host's part: the database, the Temporal client and (to save a second webpack run) the bundle. */
function hostModule(db: DataSource, client: unknown): DynamicModule {
  @Module({})
  class Host {}
  const providers = [
    { provide: DataSource, useValue: db },
    { provide: TEMPORAL_CLIENT, useValue: client },
    { provide: WORKFLOW_BUNDLE, useValue: workflowBundle },
  ];
  return { module: Host, global: true, providers, exports: providers.map((p) => p.provide) };
}

beforeAll(async () => {
  stack = await timeSkippingStack();
  // fgc 1 published as the API would; the other built-ins are found without a stored row.
  const published: VariantVersionRow = {
    key: 'fgc',
    version: 1,
    template: 'fgc',
    config: builtInVariant('fgc') as unknown as Record<string, unknown>,
    publishedAt: iso(Date.now()),
    publishedBy: 'system',
  };
  await inTransaction(stack.db, (m) => m.getRepository(VariantVersionRow).save(published));
  const moduleRef = await Test.createTestingModule({
    imports: [hostModule(stack.db, stack.client), AccessLogModule, AuditModule],
  }).compile();
  audit = moduleRef.get(AuditService);
  verifier = moduleRef.get(VerifyService);
  exporter = moduleRef.get(ExportService);
  closeModule = () => moduleRef.close();
});
afterAll(async () => {
  await closeModule?.();
  await stack?.stop();
});

let n = 0;
const nextId = () => `c_au${++n}`;

/** The refusal a call ends with: its contract code and message. */
async function refused(
  call: Promise<unknown>,
): Promise<{ code: string; message: string; details?: unknown }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ApiError)
      return { code: error.code, message: error.message, details: error.details };
    throw error;
  }
  throw new Error('expected a refusal');
}

async function accessRows(caseId: string) {
  const rows: { sub: string; role: string; action: string }[] = await stack.db.query(
    'SELECT sub, role, action FROM access_log WHERE case_id = ? ORDER BY id',
    [caseId],
  );
  return rows.map((r) => `${r.sub} ${r.role} ${r.action}`);
}

async function storedEntries(caseId: string): Promise<AuditEntryRow[]> {
  return stack.db.getRepository(AuditEntryRow).find({ where: { caseId }, order: { seq: 'ASC' } });
}

/** An fgc case with the agreement recorded, an hour of quiet, then the first coordinator assigned. */
async function caseWithTwoMoments(): Promise<{ id: string; c: CaseHandle; between: string }> {
  const id = nextId();
  const c = await stack.open(id, builtInVariant('fgc'));
  await c.send('agreement.recorded', agreement);
  await stack.env.sleep(HOUR);
  const between = iso(await stack.now());
  await stack.env.sleep(HOUR);
  await c.send('coordinator.assigned', { coordinatorId: 'co1', unit: 'south' });
  return { id, c, between };
}

/** A whole fgc case, opened to closed. */
async function closedCase(): Promise<{ id: string; c: CaseHandle }> {
  const id = nextId();
  const c = await stack.open(id, builtInVariant('fgc'));
  await conferenceToApproval(c, await stack.now(), false);
  await followUpToClosure(c);
  return { id, c };
}

describe('history', () => {
  it('pages by seq with an opaque cursor, in chain order, and logs every read', async () => {
    const { id, c } = await closedCase();
    const lastSeq = (await c.view()).lastSeq;
    const head = await audit.visibleCase(cw, id);

    const seen: number[] = [];
    const items: ChainEntry[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await audit.history(cw, head, { limit: 5, cursor });
      pages++;
      expect(page.items.length).toBeLessThanOrEqual(5);
      seen.push(...page.items.map((i) => i.seq));
      items.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);

    expect(seen).toEqual(Array.from({ length: lastSeq }, (_, i) => i + 1));
    expect(pages).toBe(Math.ceil(lastSeq / 5));
    expect(items[0]).toMatchObject({
      seq: 1,
      type: 'case.opened',
      actor: { sub: 'cw1', role: 'caseworker' },
      prevHash: GENESIS_HASH,
    });
    expect(Object.keys(items[0]!).sort()).toEqual([
      'actor',
      'at',
      'hash',
      'payload',
      'prevHash',
      'seq',
      'type',
    ]);
    items.forEach((item, i) => {
      if (i > 0) expect(item.prevHash).toBe(items[i - 1]!.hash);
      expect(auditHash(item.prevHash, item)).toBe(item.hash);
    });
    expect(await accessRows(id)).toEqual(Array.from({ length: pages }, () => 'cw1 caseworker history'));
  });

  it('a page exactly at the end has no next cursor; a limit past the end returns everything', async () => {
    const { id, c } = await caseWithTwoMoments();
    const head = await audit.visibleCase(cw, id);
    const lastSeq = (await c.view()).lastSeq;
    expect(lastSeq).toBe(3);
    const exact = await audit.history(cw, head, { limit: 3 });
    expect(exact.items.map((i) => i.seq)).toEqual([1, 2, 3]);
    expect(exact.nextCursor).toBeNull();
    const wide = await audit.history(cw, head, { limit: 100 });
    expect(wide.items).toHaveLength(3);
  });

  it('is open to the assigned, the unit supervisor and an auditor, and 404 to anyone else', async () => {
    const { id } = await caseWithTwoMoments();
    for (const p of [cw, co, supervisor, auditor]) {
      const head = await audit.visibleCase(p, id);
      expect((await audit.history(p, head, { limit: 100 })).items).toHaveLength(3);
    }
    expect(await accessRows(id)).toEqual([
      'cw1 caseworker history',
      'co1 coordinator history',
      'sup1 supervisor history',
      'aud1 auditor history',
    ]);
    const otherUnit: Principal = { sub: 'sup2', roles: ['supervisor'], unit: 'south' };
    for (const p of [stranger, otherUnit]) {
      expect(await refused(audit.visibleCase(p, id))).toMatchObject({ code: 'not_found' });
    }
    expect(await refused(audit.visibleCase(auditor, 'c_nope'))).toMatchObject({ code: 'not_found' });
  });

  it('a cursor it did not give out is a 400 naming cursor', async () => {
    const { id } = await caseWithTwoMoments();
    const head = await audit.visibleCase(cw, id);
    for (const cursor of [
      'garbage',
      Buffer.from('["x"]').toString('base64url'),
      Buffer.from('{}').toString('base64url'),
    ]) {
      const refusal = await refused(audit.history(cw, head, { limit: 10, cursor }));
      expect(refusal).toMatchObject({ code: 'invalid_payload', details: [{ path: 'cursor' }] });
    }
  });
});

describe('state as of a time', () => {
  it('before and after an event: the view as it was then, folded through the pinned version', async () => {
    const { id, c, between } = await caseWithTwoMoments();
    const head = await audit.visibleCase(cw, id);

    const before = await audit.stateAsOf(cw, head, between);
    expect(before).toMatchObject({
      id,
      phase: 'preparation',
      lastSeq: 2,
      coordinators: [],
      variant: { key: 'fgc', version: 1 },
    });
    expect(before.allowedEvents).toContain('coordinator.assigned');

    const now = await audit.stateAsOf(cw, head, iso(await stack.now()));
    expect(now.lastSeq).toBe(3);
    expect(now.coordinators).toEqual([{ sub: 'co1', unit: 'south' }]);
    // The fold of the whole history is exactly the view the workflow serves.
    expect(now).toEqual(await c.view());

    const entries = await storedEntries(id);
    // At the very instant of an entry, that entry counts.
    expect((await audit.stateAsOf(cw, head, entries[2]!.at)).lastSeq).toBe(3);
    expect((await audit.stateAsOf(cw, head, entries[0]!.at)).lastSeq).toBe(1);
    expect(await accessRows(id)).toEqual(Array.from({ length: 4 }, () => 'cw1 caseworker state'));
  });

  it('before the opening: not found, saying when the case was opened', async () => {
    const { id } = await caseWithTwoMoments();
    const head = await audit.visibleCase(auditor, id);
    const [first] = await storedEntries(id);
    const asOf = iso(Date.parse(first!.at) - 1);
    const refusal = await refused(audit.stateAsOf(auditor, head, asOf));
    expect(refusal.code).toBe('not_found');
    expect(refusal.message).toContain(asOf);
    expect(refusal.message).toContain(`opened at ${first!.at}`);
    expect(await accessRows(id)).toEqual([]);
  });

  it('a timer event in the history folds like any other (a reminder raised by the workflow)', async () => {
    const id = nextId();
    const c = await stack.open(id, builtInVariant('network-meeting'));
    const t0 = await stack.now();
    await c.send('participants.mapped', {
      participants: [
        { id: 'client', name: 'Testi Nuori', relation: 'client', side: 'family' },
        { id: 'mother', name: 'Testi Äiti', relation: 'mother', side: 'family' },
      ],
    });
    await c.send('meeting.scheduled', { at: iso(t0 + 10 * 24 * HOUR), place: 'Youth centre' });
    await stack.env.sleep(8 * 24 * HOUR); // network-meeting reminds P3D before the meeting: day 7
    const head = await audit.visibleCase(cw, id);
    const entries = await eventually(
      () => storedEntries(id),
      (es) => es.some((e) => e.type === 'reminder.sent'),
    );
    const reminder = entries.find((e) => e.type === 'reminder.sent')!;
    expect(reminder.actorSub).toBe('system');
    expect((await audit.stateAsOf(cw, head, reminder.at)).lastSeq).toBe(reminder.seq);
    expect(await audit.stateAsOf(cw, head, iso(await stack.now()))).toEqual(await c.view());
  });
});

describe('verify', () => {
  it('a sound case: chain intact, fold equals the workflow, history replays', async () => {
    const { id, c } = await closedCase();
    const report = await verifier.verifyCase(auditor, id);
    expect(report).toEqual({
      ok: true,
      entries: (await c.view()).lastSeq,
      firstBrokenSeq: null,
      stateMatchesWorkflow: true,
      historyReplays: true,
      problems: [],
    });
    expect(await accessRows(id)).toEqual(['aud1 auditor verify']);
  });

  it('a row edited in the database: ok false, the edited seq named', async () => {
    const { id, c } = await caseWithTwoMoments();
    await inTransaction(stack.db, (m) =>
      m.query('UPDATE audit_entries SET payload = ? WHERE case_id = ? AND seq = 3', [
        JSON.stringify({ coordinatorId: 'co9', unit: 'south' }),
        id,
      ]),
    );
    const report = await verifier.verifyCase(auditor, id);
    expect(report).toMatchObject({
      ok: false,
      entries: 3,
      firstBrokenSeq: 3,
      stateMatchesWorkflow: false,
      historyReplays: true,
    });
    expect(report.problems.join(' ')).toContain('breaks at entry 3');
    // The workflow is untouched: its own state still has co1.
    expect((await c.view()).coordinators).toEqual([{ sub: 'co1', unit: 'south' }]);
  });

  it('newest entries deleted: the chain alone looks fine, the count does not', async () => {
    const { id } = await caseWithTwoMoments();
    await inTransaction(stack.db, (m) =>
      m.query('DELETE FROM audit_entries WHERE case_id = ? AND seq = 3', [id]),
    );
    const report = await verifier.verifyCase(auditor, id);
    expect(report).toMatchObject({ ok: false, entries: 2, firstBrokenSeq: 3, stateMatchesWorkflow: false });
  });

  it('an edit re-chained with fresh hashes: the chain holds, the state does not match the workflow', async () => {
    const { id } = await caseWithTwoMoments();
    const rows = await storedEntries(id);
    const forged = rows.map(historyItemOf);
    forged[2] = { ...forged[2]!, payload: { coordinatorId: 'co9', unit: 'south' } };
    let prevHash = forged[1]!.hash;
    for (const entry of forged.slice(2)) {
      entry.prevHash = prevHash;
      entry.hash = auditHash(prevHash, entry);
      prevHash = entry.hash;
    }
    await inTransaction(stack.db, async (m) => {
      for (const e of forged.slice(2)) {
        await m.query(
          'UPDATE audit_entries SET payload = ?, prev_hash = ?, hash = ? WHERE case_id = ? AND seq = ?',
          [JSON.stringify(e.payload), e.prevHash, e.hash, id, e.seq],
        );
      }
    });
    const report = await verifier.verifyCase(auditor, id);
    expect(report).toMatchObject({
      ok: false,
      entries: 3,
      firstBrokenSeq: null,
      stateMatchesWorkflow: false,
      historyReplays: true,
    });
    expect(report.problems).toEqual([
      "The state folded from the audit log differs from the workflow's state.",
    ]);
  });

  it('a case whose workflow is gone: nothing matches, nothing replays, the missing entries are named', async () => {
    const { id } = await caseWithTwoMoments();
    const orphan = `${id}_orphan`;
    await inTransaction(stack.db, (m) =>
      m.query(
        `INSERT INTO cases (id, variant_key, variant_version, phase, state, caseworker_sub, caseworker_unit, coordinator_subs,
                            next_due_at, closed_reason, updated_at, last_seq, view)
         SELECT ?, variant_key, variant_version, phase, state, caseworker_sub, caseworker_unit, coordinator_subs,
                next_due_at, closed_reason, updated_at, last_seq, view FROM cases WHERE id = ?`,
        [orphan, id],
      ),
    );
    const report = await verifier.verifyCase(auditor, orphan);
    expect(report).toMatchObject({
      ok: false,
      entries: 0,
      firstBrokenSeq: 1,
      stateMatchesWorkflow: false,
      historyReplays: false,
    });
    expect(report.problems).toContain(`The case has no workflow case-${orphan}.`);
  });

  it('is for auditors only (403), and 404 first for a case the caller cannot see', async () => {
    const { id } = await caseWithTwoMoments();
    expect(await refused(verifier.verifyCase(cw, id))).toMatchObject({ code: 'forbidden' });
    expect(await refused(verifier.verifyCase(supervisor, id))).toMatchObject({ code: 'forbidden' });
    expect(await refused(verifier.verifyCase(stranger, id))).toMatchObject({ code: 'not_found' });
    expect(await refused(exporter.exportCase(co, id))).toMatchObject({ code: 'forbidden' });
    expect(await accessRows(id)).toEqual([]);
  });
});

describe('export', () => {
  it('the case view, the whole history and the verify report, logged once as export', async () => {
    const { id, c } = await closedCase();
    const doc = await exporter.exportCase(auditor, id);
    const view = await c.view();
    expect(doc.case).toEqual(view);
    expect(doc.history.map((h) => h.seq)).toEqual(Array.from({ length: view.lastSeq }, (_, i) => i + 1));
    expect(doc.history).toEqual((await storedEntries(id)).map(historyItemOf));
    expect(doc.verify).toMatchObject({ ok: true, entries: view.lastSeq });
    expect(await accessRows(id)).toEqual(['aud1 auditor export']);
  });
});

describe('access log', () => {
  it('lists who read which case and when, filtered and paged; auditors only', async () => {
    const { id } = await caseWithTwoMoments();
    const since = iso(Date.now() - 1);
    for (const p of [cw, co, cw]) await audit.history(p, await audit.visibleCase(p, id), { limit: 1 });
    await audit.stateAsOf(supervisor, await audit.visibleCase(supervisor, id), iso(await stack.now()));

    const all = await audit.accessLogOf(auditor, { caseId: id, limit: 100 });
    expect(all.items.map((i) => `${i.sub} ${i.role} ${i.action}`)).toEqual([
      'cw1 caseworker history',
      'co1 coordinator history',
      'cw1 caseworker history',
      'sup1 supervisor state',
    ]);
    expect(all.items[0]).toEqual({
      at: expect.any(String),
      sub: 'cw1',
      role: 'caseworker',
      caseId: id,
      action: 'history',
    });
    expect(all.nextCursor).toBeNull();

    const first = await audit.accessLogOf(auditor, { caseId: id, limit: 3 });
    expect(first.items).toHaveLength(3);
    const second = await audit.accessLogOf(auditor, { caseId: id, limit: 3, cursor: first.nextCursor! });
    expect([...first.items, ...second.items]).toEqual(all.items);
    expect(second.nextCursor).toBeNull();

    const bySub = await audit.accessLogOf(auditor, { caseId: id, sub: 'cw1', limit: 100 });
    expect(bySub.items).toHaveLength(2);
    expect(
      (await audit.accessLogOf(auditor, { caseId: id, from: since, to: iso(Date.now() + 1000), limit: 100 }))
        .items,
    ).toHaveLength(4);
    expect((await audit.accessLogOf(auditor, { caseId: id, to: since, limit: 100 })).items).toHaveLength(0);

    for (const p of [cw, supervisor, co]) {
      expect(await refused(audit.accessLogOf(p, { limit: 100 }))).toMatchObject({ code: 'forbidden' });
    }
  });
});
