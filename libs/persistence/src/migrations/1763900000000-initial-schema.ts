import { Table, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

/*
 * Self-contained on purpose: a migration is frozen once released, so it shares no helpers with the
 * entities or later migrations. The Table API emits the right DDL for SQLite and PostgreSQL alike.
 * Times are varchar(24) ISO strings (fixed width, so text order is time order under any collation);
 * JSON is text (the same bytes on both databases).
 */
const id = (name: string): TableColumnOptions => ({ name, type: 'varchar', length: '100' });
const sub = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: '200',
  isNullable: nullable,
});
const str = (name: string, length: number, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
});
const time = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: '24',
  isNullable: nullable,
});
const int = (name: string): TableColumnOptions => ({ name, type: 'integer' });
const text = (name: string): TableColumnOptions => ({ name, type: 'text' });
const serial = (name: string): TableColumnOptions => ({
  name,
  type: 'integer',
  isPrimary: true,
  isGenerated: true,
  generationStrategy: 'increment',
});
const pk = (column: TableColumnOptions): TableColumnOptions => ({ ...column, isPrimary: true });

/** Built afresh per run: createTable mutates the Table it is given. */
const tables = (): Table[] => [
  new Table({
    name: 'audit_entries',
    columns: [
      pk(id('case_id')),
      pk(int('seq')),
      time('at'),
      sub('actor_sub'),
      str('actor_role', 32),
      str('type', 100),
      text('payload'),
      str('prev_hash', 64),
      str('hash', 64),
    ],
  }),
  new Table({
    name: 'cases',
    columns: [
      pk(id('id')),
      id('variant_key'),
      int('variant_version'),
      str('phase', 64),
      text('state'),
      sub('caseworker_sub'),
      sub('caseworker_unit'),
      text('coordinator_subs'),
      time('next_due_at', true),
      str('closed_reason', 32, true),
      time('updated_at'),
      int('last_seq'),
      text('view'),
    ],
    indices: [
      { name: 'idx_cases_updated_at_id', columnNames: ['updated_at', 'id'] },
      { name: 'idx_cases_phase', columnNames: ['phase'] },
      { name: 'idx_cases_variant_key', columnNames: ['variant_key'] },
      { name: 'idx_cases_caseworker_unit', columnNames: ['caseworker_unit'] },
      { name: 'idx_cases_next_due_at', columnNames: ['next_due_at'] },
    ],
  }),
  new Table({
    name: 'case_promises',
    columns: [
      pk(id('case_id')),
      pk(id('promise_id')),
      sub('owner'),
      sub('verifier'),
      time('due_at'),
      str('status', 16),
      str('escalation', 64, true),
    ],
    indices: [{ name: 'idx_case_promises_due_at', columnNames: ['due_at'] }],
  }),
  new Table({
    name: 'case_deadlines',
    columns: [
      pk(id('case_id')),
      pk(int('pos')),
      str('kind', 32),
      sub('ref'),
      str('level', 64, true),
      time('due_at'),
    ],
    indices: [{ name: 'idx_case_deadlines_due_at', columnNames: ['due_at'] }],
  }),
  new Table({
    name: 'case_members',
    columns: [pk(id('case_id')), pk(sub('sub')), pk(str('relation', 16))],
    indices: [{ name: 'idx_case_members_sub', columnNames: ['sub'] }],
  }),
  new Table({
    name: 'notification_outbox',
    columns: [
      serial('id'),
      id('case_id'),
      int('seq'),
      sub('recipient'),
      str('event', 100),
      text('details'),
      time('created_at'),
      time('sent_at', true),
    ],
    uniques: [{ name: 'uq_notification_outbox_key', columnNames: ['case_id', 'seq', 'recipient', 'event'] }],
    indices: [{ name: 'idx_notification_outbox_sent_at', columnNames: ['sent_at'] }],
  }),
  new Table({
    name: 'document_outbox',
    columns: [
      serial('id'),
      id('case_id'),
      int('seq'),
      str('document', 32),
      sub('recipient'),
      str('content_type', 100),
      text('body'),
      time('created_at'),
      time('sent_at', true),
    ],
    uniques: [{ name: 'uq_document_outbox_key', columnNames: ['case_id', 'seq', 'document', 'recipient'] }],
    indices: [{ name: 'idx_document_outbox_sent_at', columnNames: ['sent_at'] }],
  }),
  new Table({
    name: 'variant_versions',
    columns: [
      pk(id('key')),
      pk(int('version')),
      str('template', 32),
      text('config'),
      time('published_at'),
      sub('published_by'),
    ],
  }),
  new Table({
    name: 'idempotency_keys',
    columns: [
      pk(id('case_id')),
      pk(str('key', 200)),
      str('request_hash', 64),
      int('response_status'),
      text('response_body'),
      time('created_at'),
    ],
  }),
  new Table({
    name: 'access_log',
    columns: [
      serial('id'),
      time('at'),
      sub('sub'),
      str('role', 32),
      { ...id('case_id'), isNullable: true },
      str('action', 64),
    ],
    indices: [
      { name: 'idx_access_log_case_id', columnNames: ['case_id'] },
      { name: 'idx_access_log_sub', columnNames: ['sub'] },
      { name: 'idx_access_log_at', columnNames: ['at'] },
    ],
  }),
];

export class InitialSchema1763900000000 implements MigrationInterface {
  name = 'InitialSchema1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of tables()) await queryRunner.createTable(table, false, true, true);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of tables().reverse()) await queryRunner.dropTable(table.name, true, true, true);
  }
}
