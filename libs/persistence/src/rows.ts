import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { ApplyValueTransformers } from 'typeorm/util/ApplyValueTransformers';
import { rawQuery } from './transactions';

/** Rows per INSERT: far below SQLite's and PostgreSQL's limits on bound parameters. */
const CHUNK = 200;

/**
 * A multi-row INSERT of entities as one plain statement per chunk, with the entity's own columns and value
 * transformers (generated columns left to the database). Used on the hot path of every event, where
 * TypeORM's query builder cost more than the database itself. `orIgnore` skips rows whose key is already stored (both databases: ON CONFLICT DO NOTHING); `returning`
 * names the columns to read back from the rows actually inserted.
 */
export async function insertRows(
  manager: EntityManager,
  entity: EntityTarget<ObjectLiteral>,
  rows: readonly ObjectLiteral[],
  options: { orIgnore?: boolean; returning?: string[] } = {},
): Promise<Record<string, unknown>[]> {
  const meta = manager.connection.getMetadata(entity);
  // Generated columns (an increment id) are the database's to fill.
  const columns = meta.columns.filter((c) => !c.isGenerated);
  const names = columns.map((c) => c.databaseName).join(', ');
  const tail =
    (options.orIgnore ? ' ON CONFLICT DO NOTHING' : '') +
    (options.returning ? ` RETURNING ${options.returning.join(', ')}` : '');
  const returned: Record<string, unknown>[] = [];
  for (let start = 0; start < rows.length; start += CHUNK) {
    const params: Record<string, unknown> = {};
    const tuples = rows.slice(start, start + CHUNK).map((row, i) => {
      const slots = columns.map((column, j) => {
        const value: unknown = column.getEntityValue(row);
        const stored: unknown = column.transformer
          ? ApplyValueTransformers.transformTo(column.transformer, value)
          : value;
        params[`v${i}_${j}`] = stored ?? null;
        return `:v${i}_${j}`;
      });
      return `(${slots.join(', ')})`;
    });
    const sql = `INSERT INTO ${meta.tableName} (${names}) VALUES ${tuples.join(', ')}${tail}`;
    returned.push(...(await rawQuery(manager, sql, params)));
  }
  return returned;
}

/** Deletes every row of a case from one of its tables. */
export async function deleteCaseRows(
  manager: EntityManager,
  entity: EntityTarget<ObjectLiteral>,
  caseId: string,
) {
  const table = manager.connection.getMetadata(entity).tableName;
  await rawQuery(manager, `DELETE FROM ${table} WHERE case_id = :caseId`, { caseId });
}
