/**
 * libs/persistence and activities/ against real databases: a temporary SQLite file always, and PostgreSQL
 * as well when DATABASE_URL_PG or TEST_POSTGRES_URL is set (`export TEST_POSTGRES_URL="$(scripts/ci-postgres)"`).
 * One suite, run once per database. On PostgreSQL every fixture gets its own database (CREATE DATABASE
 * needs the CREATEDB privilege, which scripts/ci-postgres grants), dropped at the end.
 */
import 'reflect-metadata';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module, type DynamicModule, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ApplicationFailure } from '@temporalio/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ActivitiesModule, activitiesFrom } from '../../activities';
import type { AuditAppend, CaseActivities, DeadlineRow } from '../../activities/contracts';
import type { CaseEvent, CaseView, Participant } from '../../libs/contracts/src';
import {
  AuditEntryRow,
  CaseDeadlineRow,
  CaseMemberRow,
  CasePromiseRow,
  CaseRow,
  DocumentOutboxRow,
  GENESIS_HASH,
  MIGRATIONS,
  NotificationOutboxRow,
  PersistenceModule,
  auditHash,
  historyItemOf,
  initDataSource,
  rawQuery,
  verifyChain,
  type PersistenceOptions,
} from '../../libs/persistence/src';
import {
  apply,
  builtInVariant,
  deadlinesOf,
  openingEvent,
  start,
  viewOf,
  type CaseSnapshot,
  type Effect,
  type VariantConfig,
} from '../../libs/process/src';
import { CW, T0, actors, at, ev } from '../support/scenarios';

jest.setTimeout(60_000);

// ---------------------------------------------------------------------------------------------------------
// Databases

interface Database {
  name: string;
  /** A new, empty database. */
  fresh(): Promise<PersistenceOptions>;
  cleanup(): Promise<void>;
}

function sqlite(): Database {
  let dir: string | undefined;
  let n = 0;
  return {
    name: 'SQLite (temporary file)',
    async fresh() {
      dir ??= mkdtempSync(join(tmpdir(), 'neuvo-persistence-'));
      return { sqlitePath: join(dir, `db-${++n}.sqlite`) };
    },
    async cleanup() {
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postgres(baseUrl: string): Database {
  const created: string[] = [];
  const admin = async <T>(work: (client: Client) => Promise<T>) => {
    const client = new Client({ connectionString: baseUrl });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  return {
    name: 'PostgreSQL',
    async fresh() {
      const name = `neuvo_test_${randomBytes(6).toString('hex')}`;
      await admin((c) => c.query(`CREATE DATABASE ${name}`));
      created.push(name);
      const url = new URL(baseUrl);
      url.pathname = `/${name}`;
      return { url: url.toString() };
    },
    async cleanup() {
      await admin(async (c) => {
        for (const name of created) await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      });
    },
  };
}

const pgUrl = process.env.DATABASE_URL_PG || process.env.TEST_POSTGRES_URL;
const databases: Database[] = [sqlite(), ...(pgUrl ? [postgres(pgUrl)] : [])];
if (!pgUrl) {
  // Said once, so that a green run without PostgreSQL is not mistaken for one with it.
  console.info(
    'persistence tests: PostgreSQL skipped (set TEST_POSTGRES_URL, e.g. from scripts/ci-postgres)',
  );
  // CI must run both databases: there a missing PostgreSQL is a failure, not a skip.
  if (process.env.CI) {
    test('CI provides PostgreSQL through TEST_POSTGRES_URL', () => {
      throw new Error('TEST_POSTGRES_URL is not set: .ci/run starts PostgreSQL with scripts/ci-postgres');
    });
  }
}

afterAll(async () => {
  for (const db of databases) await db.cleanup();
});

// ---------------------------------------------------------------------------------------------------------
// An independent implementation of contract.md's hash, to check the one in libs/persistence.

function jcs(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(jcs).join(',')}]`;
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object)
    .filter((k) => object[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${jcs(object[k])}`).join(',')}}`;
}

function contractHash(entry: {
  seq: number;
  at: string;
  actor: { sub: string; role: string };
  type: string;
  payload: unknown;
  prevHash: string;
}) {
  const { seq, at: time, actor, type, payload, prevHash } = entry;
  return createHash('sha256')
    .update(Buffer.from(prevHash + jcs({ seq, at: time, actor, type, payload, prevHash }), 'utf8'))
    .digest('hex');
}

describe('audit hash (pure)', () => {
  const entry = {
    seq: 1,
    at: '2026-01-05T08:00:00.000Z',
    actor: { sub: 'cw1', role: 'caseworker' },
    type: 'case.opened',
    payload: {
      variant: 'network-meeting',
      version: 1,
      caseworker: { sub: 'cw1', unit: 'north' },
      note: 'Äiti "Ö" <b>\n€',
      n: 1.5,
      z: [true, null],
      a: { b: 2, a: 1 },
    },
    prevHash: GENESIS_HASH,
  };

  it('matches a vector computed outside JavaScript (Python json.dumps sort_keys + hashlib)', () => {
    expect(GENESIS_HASH).toBe('0'.repeat(64));
    expect(auditHash(GENESIS_HASH, entry)).toBe(
      'ad8d812f1b2af6b31c8a3365143bdce332fd14db6d90252c992f7a14b9d06748',
    );
    expect(contractHash(entry)).toBe('ad8d812f1b2af6b31c8a3365143bdce332fd14db6d90252c992f7a14b9d06748');
  });

  it('ignores fields outside the history item and the key order of the payload', () => {
    const reordered = {
      hash: 'x',
      caseId: 'c',
      ...entry,
      payload: Object.fromEntries(Object.entries(entry.payload).reverse()),
    };
    expect(auditHash(GENESIS_HASH, reordered)).toBe(auditHash(GENESIS_HASH, entry));
  });

  it('verifyChain: an empty history is intact; a history not starting at seq 1 is broken at 1', () => {
    expect(verifyChain([])).toEqual({ ok: true, entries: 0, firstBrokenSeq: null });
    const e2 = { ...entry, seq: 2, hash: auditHash(GENESIS_HASH, { ...entry, seq: 2 }) };
    expect(verifyChain([e2])).toEqual({ ok: false, entries: 1, firstBrokenSeq: 1 });
  });
});

// ---------------------------------------------------------------------------------------------------------
// Cases driven through the real process, persisted the way the workflow persists them.

interface Step {
  entry: AuditAppend;
  view: CaseView;
  deadlines: DeadlineRow[];
  effects: Effect[];
}

function drive(config: VariantConfig, caseId: string, events: CaseEvent[]): Step[] {
  let snapshot: CaseSnapshot = start(config, { caseId, caseworker: CW, openedAt: T0 });
  const projection = (s: CaseSnapshot) => ({
    view: viewOf(config, s),
    deadlines: deadlinesOf(config, s).map(({ kind, ref, level, dueAt }) => ({
      kind,
      ref,
      dueAt,
      ...(level ? { level } : {}),
    })),
  });
  const opening = openingEvent(config, { caseId, caseworker: CW, openedAt: T0 });
  const steps: Step[] = [{ entry: { caseId, seq: 1, ...opening }, effects: [], ...projection(snapshot) }];
  for (const event of events) {
    const result = apply(config, snapshot, event);
    if ('rejected' in result) throw new Error(`${event.type} refused by ${result.rejected.rule}`);
    snapshot = result.snapshot;
    const seq = snapshot.context.seq;
    steps.push({
      entry: { caseId, seq, at: event.at, actor: event.actor, type: event.type, payload: event.payload },
      effects: result.effects,
      ...projection(snapshot),
    });
  }
  return steps;
}

/** What the workflow does after an accepted event: audit and projection together, then the effects. */
async function persist(acts: CaseActivities, step: Step): Promise<string> {
  const { hash } = await acts.recordEvent({
    entry: step.entry,
    projection: { view: step.view, deadlines: step.deadlines },
  });
  for (const effect of step.effects) {
    const params = effect.params as {
      document?: 'memo' | 'planLetter';
      recipients?: string[];
      event?: string;
    };
    if (effect.type === 'notifyRecipients') {
      const { event, recipients, ...details } = params as { event: string; recipients: string[] };
      await acts.queueNotifications({
        caseId: step.entry.caseId,
        seq: step.entry.seq,
        event,
        recipients,
        details,
      });
    } else {
      await acts.renderDocument({
        caseId: step.entry.caseId,
        seq: step.entry.seq,
        document: params.document!,
        recipients: params.recipients!,
        view: step.view,
      });
    }
  }
  return hash;
}

/** A network with names and promises that try to inject markup. */
const hostileName = '<script>alert("x")</script> & Co';
const network: Participant[] = [
  { id: 'client', name: 'Testi Nuori', relation: 'client', side: 'family' },
  { id: 'mother', name: hostileName, relation: 'mother', side: 'family' },
  { id: 'teacher', name: "O'Brien <i>Opettaja</i>", relation: 'teacher', side: 'professional' },
  { id: 'coach', name: 'Testi Valmentaja', relation: 'coach', side: 'professional' },
];

function networkMeetingCase(caseId: string): Step[] {
  const promise = (owner: string, what: string, days: number) => ({
    what,
    owner,
    verifier: CW.sub,
    dueAt: at(days),
  });
  return drive(builtInVariant('network-meeting'), caseId, [
    ev('participants.mapped', { participants: network }, at(0.1)),
    ev('meeting.scheduled', { at: at(7), place: 'Nuorisotalo' }, at(0.2)),
    ev(
      'meeting.held',
      {
        attendees: ['client', 'mother', 'teacher', CW.sub],
        reviews: [],
        newPromises: [
          promise('client', 'Käy koulussa joka päivä', 21),
          promise('mother', '<img src=x onerror=alert(1)> herättää aamulla', 21),
          promise('teacher', 'Soittaa perjantaisin', 28),
        ],
        nextMeetingAt: at(35),
      },
      at(7),
    ),
    ev(
      'meeting.held',
      {
        attendees: ['client', 'mother', CW.sub],
        reviews: [
          { promiseId: 'p1', outcome: 'kept' },
          { promiseId: 'p2', outcome: 'notKept', newSolution: 'Herätyskello </td><td>' },
          { promiseId: 'p3', outcome: 'dropped', note: 'Opettaja vaihtui' },
        ],
        // Every present participant promises something, even at the last meeting.
        newPromises: [
          promise('client', 'Kertoo kuulumiset koululle', 49),
          promise('mother', 'Pitää yhteyttä opettajaan', 49),
        ],
        close: { reason: 'needsMet', note: 'Kiitos <3' },
      },
      at(35),
    ),
  ]);
}

function networkMappingCase(caseId: string): Step[] {
  return drive(builtInVariant('network-mapping'), caseId, [
    ev('coordinator.assigned', { coordinatorId: 'lead1', unit: 'south' }, at(0.1)),
    ev('participants.mapped', { participants: network }, at(0.2)),
    ev('meeting.scheduled', { at: at(5), place: 'Sosiaaliasema' }, at(0.3), actors.co),
    ev(
      'meeting.held',
      {
        attendees: ['client', 'mother', 'lead1'],
        reviews: [],
        newPromises: [
          {
            what: 'Mummo & <b>vaari</b> hakevat koulusta',
            owner: 'mother',
            verifier: 'lead1',
            dueAt: at(20),
          },
        ],
        close: { reason: 'needsMet' },
      },
      at(5),
      actors.co,
    ),
    ev('planLetter.sent', {}, at(6), actors.co),
  ]);
}

async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApplicationFailure);
  return error as ApplicationFailure;
}

const ALL_TABLES = [
  'audit_entries',
  'cases',
  'case_promises',
  'case_deadlines',
  'case_members',
  'notification_outbox',
  'document_outbox',
  'variant_versions',
  'idempotency_keys',
  'access_log',
];

async function existingTables(ds: DataSource): Promise<string[]> {
  const runner = ds.createQueryRunner();
  try {
    const found: string[] = [];
    for (const name of ALL_TABLES) if (await runner.hasTable(name)) found.push(name);
    return found;
  } finally {
    await runner.release();
  }
}

// ---------------------------------------------------------------------------------------------------------

describe.each(databases)('persistence on $name', (db) => {
  describe('migrations', () => {
    it('run on an empty database; a second run is a no-op; the schema is exactly the entities', async () => {
      const options = await db.fresh();
      const first = await initDataSource(options);
      try {
        expect(await existingTables(first)).toEqual(ALL_TABLES);
        expect(await first.query('SELECT name FROM typeorm_migrations ORDER BY id')).toEqual([
          { name: 'InitialSchema1763900000000' },
          { name: 'BuiltInVariants1763900000001' },
        ]);
        expect(await first.query('SELECT key FROM variant_versions ORDER BY key')).toEqual([
          { key: 'acute' },
          { key: 'fgc' },
          { key: 'network-mapping' },
          { key: 'network-meeting' },
        ]);
      } finally {
        await first.destroy();
      }
      const second = await initDataSource(options);
      try {
        expect(await second.query('SELECT name FROM typeorm_migrations')).toHaveLength(MIGRATIONS.length);
        expect(await second.showMigrations()).toBe(false);
        // What `synchronize` would change: nothing, so the hand-written migration and the entities agree.
        expect((await second.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query)).toEqual([]);
        // down() removes everything it made, and up() makes it again.
        for (let i = 0; i < MIGRATIONS.length; i++) await second.undoLastMigration();
        expect(await existingTables(second)).toEqual([]);
        await second.runMigrations();
        expect(await existingTables(second)).toEqual(ALL_TABLES);
      } finally {
        await second.destroy();
      }
    });

    it('two processes starting together on an empty database both come up, and migrate once', async () => {
      const options = await db.fresh();
      const sources = await Promise.all([
        initDataSource(options),
        initDataSource(options),
        initDataSource(options),
      ]);
      try {
        expect(await sources[0]!.query('SELECT name FROM typeorm_migrations')).toHaveLength(
          MIGRATIONS.length,
        );
        for (const ds of sources) expect(await existingTables(ds)).toEqual(ALL_TABLES);
      } finally {
        for (const ds of sources) await ds.destroy();
      }
    });
  });

  describe('activities', () => {
    let app: INestApplicationContext;
    let acts: CaseActivities;
    let ds: DataSource;

    @Module({})
    class WorkerLikeModule {
      static with(options: PersistenceOptions): DynamicModule {
        return {
          module: WorkerLikeModule,
          imports: [PersistenceModule.forRoot({ ...options, retryAttempts: 1 }), ActivitiesModule],
        };
      }
    }

    beforeAll(async () => {
      app = await NestFactory.createApplicationContext(WorkerLikeModule.with(await db.fresh()), {
        logger: false,
      });
      acts = activitiesFrom(app);
      ds = app.get(DataSource);
    });
    afterAll(async () => {
      await app?.close();
    });

    const auditRows = (caseId: string) =>
      ds.getRepository(AuditEntryRow).find({ where: { caseId }, order: { seq: 'ASC' } });

    describe('audit log', () => {
      it('chains every entry as contract.md says, recomputed here independently', async () => {
        const steps = networkMeetingCase('c_chain');
        const returned: string[] = [];
        for (const step of steps) returned.push(await persist(acts, step));

        const rows = await auditRows('c_chain');
        expect(rows.map((r) => r.seq)).toEqual(steps.map((s) => s.entry.seq));
        let prevHash = GENESIS_HASH;
        rows.forEach((row, i) => {
          const item = historyItemOf(row);
          const step = steps[i]!;
          expect(item).toMatchObject({
            seq: step.entry.seq,
            at: step.entry.at,
            actor: step.entry.actor,
            type: step.entry.type,
            prevHash,
          });
          expect(item.payload).toEqual(JSON.parse(JSON.stringify(step.entry.payload)));
          expect(item.hash).toBe(contractHash(item));
          expect(item.hash).toBe(returned[i]);
          prevHash = item.hash;
        });
        expect(verifyChain(rows.map(historyItemOf))).toEqual({
          ok: true,
          entries: steps.length,
          firstBrokenSeq: null,
        });
      });

      it('a retry of a stored entry is a no-op that answers the same hash', async () => {
        const [first, second] = networkMeetingCase('c_retry');
        const h1 = (await acts.appendAudit(first!.entry)).hash;
        const h2 = (await acts.appendAudit(second!.entry)).hash;
        // Same entry again, with its payload's keys in another order: still the same entry.
        const again = {
          ...second!.entry,
          payload: Object.fromEntries(Object.entries(second!.entry.payload as object).reverse()),
        };
        expect(await acts.appendAudit(again)).toEqual({ hash: h2 });
        expect(await acts.appendAudit(first!.entry)).toEqual({ hash: h1 });
        expect(await auditRows('c_retry')).toHaveLength(2);
      });

      it('concurrent attempts of one entry store it once; concurrent cases do not mix', async () => {
        const cases = Array.from({ length: 6 }, (_, i) => networkMeetingCase(`c_par_${i}`));
        await Promise.all(
          cases.map(async (steps) => {
            for (const step of steps) {
              const answers = await Promise.all([1, 2, 3].map(() => acts.appendAudit(step.entry)));
              expect(new Set(answers.map((a) => a.hash)).size).toBe(1);
              await acts.upsertProjection({ view: step.view, deadlines: step.deadlines });
            }
          }),
        );
        for (const [i, steps] of cases.entries()) {
          const rows = await auditRows(`c_par_${i}`);
          expect(rows).toHaveLength(steps.length);
          expect(verifyChain(rows.map(historyItemOf)).ok).toBe(true);
          expect((await ds.getRepository(CaseRow).findOneByOrFail({ id: `c_par_${i}` })).lastSeq).toBe(
            steps.length,
          );
        }
      });

      it('other content under a stored seq at the same or an earlier time fails without retry and changes nothing', async () => {
        const [first, second] = networkMeetingCase('c_conflict');
        await acts.appendAudit(first!.entry);
        await acts.appendAudit(second!.entry);
        const before = await auditRows('c_conflict');

        const failure = await failureOf(
          acts.appendAudit({ ...second!.entry, payload: { participants: [] } }),
        );
        expect(failure.type).toBe('AuditConflict');
        expect(failure.nonRetryable).toBe(true);
        expect(failure.message).not.toContain('Testi'); // no personal data in Temporal's history
        const earlier = await failureOf(acts.appendAudit({ ...second!.entry, at: at(0.05) }));
        expect(earlier.type).toBe('AuditConflict');
        expect(await auditRows('c_conflict')).toEqual(before);
      });

      it('a later entry under a stored seq supersedes it and the entries after it (a workflow task that never completed)', async () => {
        // The worker wrote entries 2 and 3 and died before Temporal recorded its workflow task; the retried
        // task applies the event at entry 2 again, at its own later time, and must not be stuck behind them.
        const steps = networkMeetingCase('c_orphan');
        for (const step of steps.slice(0, 3)) await acts.appendAudit(step.entry);
        const retried = { ...steps[1]!.entry, at: at(0.15) };
        const { hash } = await acts.appendAudit(retried);

        const rows = await auditRows('c_orphan');
        expect(rows.map((r) => [r.seq, r.at, r.hash])).toEqual([
          [1, T0, rows[0]!.hash],
          [2, at(0.15), hash],
        ]);
        expect(verifyChain(rows.map(historyItemOf)).ok).toBe(true);
        // The retried task goes on from there; a retry of the superseding entry changes nothing.
        await acts.appendAudit({ ...steps[2]!.entry, at: at(0.2) });
        expect(await acts.appendAudit(retried)).toEqual({ hash });
        expect((await auditRows('c_orphan')).map((r) => r.seq)).toEqual([1, 2, 3]);
      });

      it('a late write of the dead task cannot undo the retried one', async () => {
        const steps = networkMeetingCase('c_zombie');
        await acts.appendAudit(steps[0]!.entry);
        await acts.appendAudit({ ...steps[1]!.entry, at: at(0.15) }); // the retried task, already stored
        const before = await auditRows('c_zombie');
        // The dead task's entry 2 (earlier) and its entry 3 (earlier than the stored entry 2).
        expect((await failureOf(acts.appendAudit(steps[1]!.entry))).type).toBe('AuditConflict');
        const third = await failureOf(acts.appendAudit({ ...steps[2]!.entry, at: at(0.12) }));
        expect(third.type).toBe('AuditConflict');
        expect(third.message).toContain('earlier than entry 2');
        expect(await auditRows('c_zombie')).toEqual(before);
      });

      it('an entry whose predecessor is missing fails without retry', async () => {
        const steps = networkMeetingCase('c_gap');
        const failure = await failureOf(acts.appendAudit(steps[1]!.entry));
        expect(failure.type).toBe('AuditGap');
        expect(failure.nonRetryable).toBe(true);
        await acts.appendAudit(steps[0]!.entry);
        expect((await failureOf(acts.appendAudit(steps[2]!.entry))).type).toBe('AuditGap');
        expect((await auditRows('c_gap')).map((r) => r.seq)).toEqual([1]);
      });

      it('rejects malformed entries without retry (a time without milliseconds would hash differently)', async () => {
        const [first] = networkMeetingCase('c_bad');
        const failure = await failureOf(acts.appendAudit({ ...first!.entry, at: '2026-01-05T08:00:00Z' }));
        expect(failure.type).toBe('InvalidActivityInput');
        expect(failure.nonRetryable).toBe(true);
        expect((await failureOf(acts.appendAudit({ ...first!.entry, seq: 0 }))).type).toBe(
          'InvalidActivityInput',
        );
        expect(await auditRows('c_bad')).toEqual([]);
      });

      it('verifyChain finds a row edited in the database, and a deleted one', async () => {
        const steps = networkMeetingCase('c_tamper');
        for (const step of steps) await acts.appendAudit(step.entry);
        const edit = (sql: string, params: Record<string, unknown>) =>
          ds.transaction((m) => rawQuery(m, sql, params));

        // Someone rewrites the payload of entry 3 (the meeting date) …
        await edit(`UPDATE audit_entries SET payload = :payload WHERE case_id = 'c_tamper' AND seq = 3`, {
          payload: JSON.stringify({ at: at(8), place: 'Nuorisotalo' }),
        });
        expect(verifyChain((await auditRows('c_tamper')).map(historyItemOf))).toEqual({
          ok: false,
          entries: steps.length,
          firstBrokenSeq: 3,
        });

        // … and then its hash too, to cover it up: the next entry no longer follows.
        const three = historyItemOf((await auditRows('c_tamper'))[2]!);
        await edit(`UPDATE audit_entries SET hash = :hash WHERE case_id = 'c_tamper' AND seq = 3`, {
          hash: auditHash(three.prevHash, three),
        });
        expect(verifyChain((await auditRows('c_tamper')).map(historyItemOf)).firstBrokenSeq).toBe(4);

        // A deleted entry is a gap: broken from the missing seq.
        await edit(`DELETE FROM audit_entries WHERE case_id = 'c_tamper' AND seq = 2`, {});
        expect(verifyChain((await auditRows('c_tamper')).map(historyItemOf))).toEqual({
          ok: false,
          entries: steps.length - 1,
          firstBrokenSeq: 2,
        });
      });
    });

    describe('projection', () => {
      it('writes the case view with its promises, deadlines and members', async () => {
        const steps = networkMeetingCase('c_proj');
        for (const step of steps.slice(0, 4)) await persist(acts, step);
        const step = steps[3]!; // after the first meeting: three open promises, the next meeting on day 35

        const row = await ds.getRepository(CaseRow).findOneByOrFail({ id: 'c_proj' });
        expect(row).toMatchObject({
          variantKey: 'network-meeting',
          variantVersion: 1,
          phase: 'actionPeriod',
          state: step.view.state,
          caseworkerSub: 'cw1',
          caseworkerUnit: 'north',
          coordinatorSubs: [],
          closedReason: null,
          updatedAt: at(7),
          lastSeq: 4,
        });
        expect(row.view).toEqual(step.view);
        expect(row.nextDueAt).toBe([...step.deadlines.map((d) => d.dueAt)].sort()[0]);

        const promises = await ds
          .getRepository(CasePromiseRow)
          .find({ where: { caseId: 'c_proj' }, order: { promiseId: 'ASC' } });
        expect(
          promises.map((p) => [p.promiseId, p.owner, p.verifier, p.dueAt, p.status, p.escalation]),
        ).toEqual(
          step.view.promises.map((p) => [p.id, p.owner, p.verifier, p.dueAt, p.status, p.escalation]),
        );
        const deadlines = await ds
          .getRepository(CaseDeadlineRow)
          .find({ where: { caseId: 'c_proj' }, order: { pos: 'ASC' } });
        expect(
          deadlines.map(({ kind, ref, level, dueAt }) => ({ kind, ref, dueAt, ...(level ? { level } : {}) })),
        ).toEqual(step.deadlines);
        expect(await ds.getRepository(CaseMemberRow).findBy({ caseId: 'c_proj' })).toEqual([
          { caseId: 'c_proj', sub: 'cw1', relation: 'caseworker' },
        ]);

        // The closing meeting: every promise reviewed, two made, and no deadline runs in a closed case.
        await persist(acts, steps[4]!);
        expect(await ds.getRepository(CaseRow).findOneByOrFail({ id: 'c_proj' })).toMatchObject({
          phase: 'closed',
          closedReason: 'needsMet',
          nextDueAt: null,
          lastSeq: 5,
        });
        expect(await ds.getRepository(CaseDeadlineRow).countBy({ caseId: 'c_proj' })).toBe(0);
        expect(
          (await ds.getRepository(CasePromiseRow).findBy({ caseId: 'c_proj' })).map((p) => p.status).sort(),
        ).toEqual(['dropped', 'kept', 'notKept', 'open', 'open']);
      });

      it('ignores a write older than the stored one; the same lastSeq again is harmless', async () => {
        const steps = networkMappingCase('c_order');
        const write = (i: number) =>
          acts.upsertProjection({ view: steps[i]!.view, deadlines: steps[i]!.deadlines });
        await write(4); // planDelivery, with the plan letter's deadlines
        const snapshot = async () => ({
          row: await ds.getRepository(CaseRow).findOneByOrFail({ id: 'c_order' }),
          promises: await ds.getRepository(CasePromiseRow).findBy({ caseId: 'c_order' }),
          deadlines: await ds
            .getRepository(CaseDeadlineRow)
            .find({ where: { caseId: 'c_order' }, order: { pos: 'ASC' } }),
          members: await ds
            .getRepository(CaseMemberRow)
            .find({ where: { caseId: 'c_order' }, order: { relation: 'ASC' } }),
        });
        const stored = await snapshot();
        expect(stored.row.lastSeq).toBe(5);
        expect(stored.deadlines.length).toBeGreaterThan(0);
        expect(stored.members.map((m) => [m.relation, m.sub])).toEqual([
          ['caseworker', 'cw1'],
          ['coordinator', 'lead1'],
        ]);

        await write(2); // a late retry of an older write
        expect(await snapshot()).toEqual(stored);
        await write(4);
        expect(await snapshot()).toEqual(stored);

        await write(5); // planLetter.sent closes the case
        const closed = await snapshot();
        expect(closed.row).toMatchObject({
          lastSeq: 6,
          phase: 'closed',
          closedReason: 'needsMet',
          nextDueAt: null,
        });
        expect(closed.deadlines).toEqual([]);
      });

      it('concurrent writes of one case end with the newest, whatever their order', async () => {
        const steps = networkMeetingCase('c_race');
        const order = [3, 1, 4, 0, 2, 4, 3];
        await Promise.all(
          order.map((i) => acts.upsertProjection({ view: steps[i]!.view, deadlines: steps[i]!.deadlines })),
        );
        const row = await ds.getRepository(CaseRow).findOneByOrFail({ id: 'c_race' });
        expect(row.lastSeq).toBe(5);
        expect(row.view).toEqual(steps[4]!.view);
        expect(await ds.getRepository(CaseDeadlineRow).countBy({ caseId: 'c_race' })).toBe(
          steps[4]!.deadlines.length,
        );
        expect(await ds.getRepository(CasePromiseRow).countBy({ caseId: 'c_race' })).toBe(5);
      });

      it('recordEvent writes the audit entry and the projection in one transaction: both or neither', async () => {
        const steps = networkMeetingCase('c_record');
        const record = (i: number, view = steps[i]!.view) =>
          acts.recordEvent({ entry: steps[i]!.entry, projection: { view, deadlines: steps[i]!.deadlines } });
        await record(0);
        expect((await ds.getRepository(CaseRow).findOneByOrFail({ id: 'c_record' })).lastSeq).toBe(1);

        // A projection the database refuses takes the audit entry back with it …
        const bad = await failureOf(record(1, { ...steps[1]!.view, lastSeq: 'x' } as never));
        expect(bad.type).toBe('InvalidActivityInput');
        expect((await auditRows('c_record')).map((r) => r.seq)).toEqual([1]);
        // … and an entry the audit log refuses leaves the projection as it was.
        const conflict = await failureOf(
          acts.recordEvent({
            entry: { ...steps[0]!.entry, payload: { variant: 'other' } },
            projection: { view: steps[1]!.view, deadlines: steps[1]!.deadlines },
          }),
        );
        expect(conflict.type).toBe('AuditConflict');
        expect((await ds.getRepository(CaseRow).findOneByOrFail({ id: 'c_record' })).lastSeq).toBe(1);

        const { hash } = await record(1);
        expect(await record(1)).toEqual({ hash }); // a retry
        expect((await auditRows('c_record')).map((r) => r.seq)).toEqual([1, 2]);
        expect((await ds.getRepository(CaseRow).findOneByOrFail({ id: 'c_record' })).view).toEqual(
          steps[1]!.view,
        );
      });

      it('recordEvent keeps the rows of parts marked unchanged, unless its entry superseded an orphan', async () => {
        const steps = networkMeetingCase('c_keep');
        const deadlineRows = async () =>
          (
            await ds
              .getRepository(CaseDeadlineRow)
              .find({ where: { caseId: 'c_keep' }, order: { pos: 'ASC' } })
          ).map((d) => [d.kind, d.ref, d.dueAt]);
        await persist(acts, steps[0]!);
        const before = await deadlineRows();
        const other = [{ kind: 'meeting', ref: 'meeting', dueAt: at(3) }];
        // Marked unchanged: the stored rows stay, whatever the list says (the workflow vouches for them).
        await acts.recordEvent({
          entry: steps[1]!.entry,
          projection: { view: steps[1]!.view, deadlines: other, unchanged: ['deadlines'] },
        });
        expect(await deadlineRows()).toEqual(before);
        expect((await ds.getRepository(CaseRow).findOneByOrFail({ id: 'c_keep' })).lastSeq).toBe(2);
        // Not marked: written.
        await acts.recordEvent({
          entry: steps[2]!.entry,
          projection: { view: steps[2]!.view, deadlines: other },
        });
        expect(await deadlineRows()).toEqual([['meeting', 'meeting', at(3)]]);
        // A retried task superseding entry 3 writes every part, marked or not.
        await acts.recordEvent({
          entry: { ...steps[2]!.entry, at: at(0.25) },
          projection: { view: steps[2]!.view, deadlines: steps[2]!.deadlines, unchanged: ['deadlines'] },
        });
        expect(await deadlineRows()).toEqual(steps[2]!.deadlines.map((d) => [d.kind, d.ref, d.dueAt]));
      });

      it('rejects a view that is not a case view, without retry', async () => {
        const [first] = networkMeetingCase('c_badview');
        const failure = await failureOf(
          acts.upsertProjection({ view: { ...first!.view, lastSeq: 'x' } as never, deadlines: [] }),
        );
        expect(failure.type).toBe('InvalidActivityInput');
        expect(failure.message).toContain('lastSeq');
        expect(await ds.getRepository(CaseRow).countBy({ id: 'c_badview' })).toBe(0);
      });
    });

    describe('outboxes', () => {
      it('notifications: one row per distinct recipient; the same request again inserts nothing', async () => {
        const request = {
          caseId: 'c_notify',
          seq: 9,
          event: 'escalation.raised',
          recipients: ['cw1', 'role:supervisor@north', 'cw1'],
          details: { promiseId: 'p1', level: 'lapsed' },
        };
        expect(await acts.queueNotifications(request)).toEqual({ queued: 2 });
        const first = await ds
          .getRepository(NotificationOutboxRow)
          .find({ where: { caseId: 'c_notify' }, order: { id: 'ASC' } });
        expect(first.map((r) => [r.seq, r.recipient, r.event, r.details, r.sentAt])).toEqual([
          [9, 'cw1', 'escalation.raised', { promiseId: 'p1', level: 'lapsed' }, null],
          [9, 'role:supervisor@north', 'escalation.raised', { promiseId: 'p1', level: 'lapsed' }, null],
        ]);

        await new Promise((r) => setTimeout(r, 5));
        expect(await acts.queueNotifications(request)).toEqual({ queued: 2 });
        await Promise.all([acts.queueNotifications(request), acts.queueNotifications(request)]);
        expect(
          await ds
            .getRepository(NotificationOutboxRow)
            .find({ where: { caseId: 'c_notify' }, order: { id: 'ASC' } }),
        ).toEqual(first);

        // Another event or seq is another notification.
        await acts.queueNotifications({ ...request, seq: 10, recipients: ['cw1'] });
        await acts.queueNotifications({ ...request, event: 'reminder.sent', recipients: ['cw1'] });
        expect(await ds.getRepository(NotificationOutboxRow).countBy({ caseId: 'c_notify' })).toBe(4);
        expect(await acts.queueNotifications({ ...request, recipients: [] })).toEqual({ queued: 0 });
      });

      it('reminders and escalations of a driven case arrive with their recipients', async () => {
        const config = builtInVariant('network-meeting');
        const steps = networkMeetingCase('c_timer').slice(0, 4);
        for (const step of steps) await persist(acts, step);
        // The first pending step after the first meeting: a reminder, fed back as the workflow would.
        const last = steps[3]!;
        let snapshot = start(config, { caseId: 'c_timer', caseworker: CW, openedAt: T0 });
        for (const s of steps.slice(1)) {
          const r = apply(config, snapshot, {
            type: s.entry.type,
            at: s.entry.at,
            actor: s.entry.actor,
            payload: s.entry.payload,
          });
          if ('rejected' in r) throw new Error(r.rejected.rule);
          snapshot = r.snapshot;
        }
        const due = deadlinesOf(config, snapshot)[0]!;
        const timer = {
          type: due.event.type,
          at: due.dueAt,
          actor: actors.system,
          payload: due.event.payload,
        } as CaseEvent;
        const r = apply(config, snapshot, timer);
        if ('rejected' in r) throw new Error(r.rejected.rule);
        const seq = last.entry.seq + 1;
        await persist(acts, {
          entry: {
            caseId: 'c_timer',
            seq,
            at: timer.at,
            actor: timer.actor,
            type: timer.type,
            payload: timer.payload,
          },
          view: viewOf(config, r.snapshot),
          deadlines: [],
          effects: r.effects,
        });
        const rows = await ds.getRepository(NotificationOutboxRow).findBy({ caseId: 'c_timer', seq });
        const recipients = (due.event.payload as { recipients: string[] }).recipients;
        expect(rows.map((x) => x.recipient).sort()).toEqual([...new Set(recipients)].sort());
        expect(rows.every((x) => x.event === timer.type && !('recipients' in x.details))).toBe(true);
      });

      it('documents: the memo is escaped, print-ready HTML, one per recipient, rendered once', async () => {
        const steps = networkMeetingCase('c_memo');
        for (const step of steps.slice(0, 4)) await persist(acts, step);
        const memos = await ds
          .getRepository(DocumentOutboxRow)
          .find({ where: { caseId: 'c_memo' }, order: { recipient: 'ASC' } });
        expect(memos.map((m) => [m.seq, m.document, m.recipient, m.contentType])).toEqual(
          ['client', 'coach', 'mother', 'teacher'].map((r) => [4, 'memo', r, 'text/html; charset=utf-8']),
        );
        const body = memos.find((m) => m.recipient === 'mother')!.body;
        expect(body.startsWith('<!doctype html>')).toBe(true);
        expect(body).toContain('<html lang="fi">');
        expect(body).toContain('@page');
        // Every user-given value escaped: names, promises.
        expect(body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co');
        expect(body).toContain('O&#39;Brien &lt;i&gt;Opettaja&lt;/i&gt;');
        expect(body).toContain('&lt;img src=x onerror=alert(1)&gt; herättää aamulla');
        expect(body).not.toMatch(/<script|<img|<i>/);
        // What a memo holds: attendees, promises (what, who, by when), the next meeting.
        expect(body).toContain('Läsnä');
        expect(body).toContain('Testi Nuori');
        expect(body).toContain('cw1 (sosiaalityöntekijä)');
        expect(body).not.toContain('Testi Valmentaja'); // invited, not present
        expect(body).toContain('Käy koulussa joka päivä');
        expect(body).toContain('26.1.2026'); // promise p1 due (day 21)
        expect(body).toContain('Seuraava tapaaminen');
        expect(body).toContain('9.2.2026 klo 10.00'); // day 35, 08:00 UTC = 10.00 in Helsinki
        expect(body).toContain('Vastaanottaja: &lt;script&gt;');

        // A retry renders nothing new and keeps the first rendering.
        await acts.renderDocument({
          caseId: 'c_memo',
          seq: 4,
          document: 'memo',
          recipients: ['mother', 'client', 'mother'],
          view: steps[0]!.view,
        });
        expect(
          await ds
            .getRepository(DocumentOutboxRow)
            .find({ where: { caseId: 'c_memo' }, order: { recipient: 'ASC' } }),
        ).toEqual(memos);

        // The closing meeting's memo: reviews and the closure instead of a next date.
        await persist(acts, steps[4]!);
        const closing = (
          await ds
            .getRepository(DocumentOutboxRow)
            .findOneByOrFail({ caseId: 'c_memo', seq: 5, recipient: 'client' })
        ).body;
        expect(closing).toContain('Edellisten lupausten toteutuminen');
        expect(closing).toContain('Ei toteutunut');
        expect(closing).toContain('Uusi ratkaisu: Herätyskello &lt;/td&gt;&lt;td&gt;');
        expect(closing).toContain('Verkostotyön päättyminen');
        expect(closing).toContain('Kiitos &lt;3');
        expect(closing).not.toContain('Seuraava tapaaminen');
      });

      it('documents: the plan letter lists what was agreed and who is responsible', async () => {
        for (const step of networkMappingCase('c_letter')) await persist(acts, step);
        const letters = await ds
          .getRepository(DocumentOutboxRow)
          .find({ where: { caseId: 'c_letter' }, order: { recipient: 'ASC' } });
        expect(letters.map((l) => [l.seq, l.document, l.recipient])).toEqual(
          ['client', 'coach', 'mother', 'teacher'].map((r) => [6, 'planLetter', r]),
        );
        const body = letters[0]!.body;
        expect(body).toContain('<html lang="fi">');
        expect(body).toContain('Mummo &amp; &lt;b&gt;vaari&lt;/b&gt; hakevat koulusta');
        expect(body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co'); // the owner, by name
        expect(body).toContain('lead1 (koollekutsuja)');
        expect(body).toContain('25.1.2026');
        expect(body).toContain('Kartoituksen päättyminen');
        expect(body).not.toMatch(/<script|<b>/);
      });
    });
  });
});
