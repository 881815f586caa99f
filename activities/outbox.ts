import type { EntityManager } from 'typeorm';

const CHUNK = 200;

/** INSERT … ON CONFLICT DO NOTHING on both databases: only a unique-key clash is ignored, never a bad row. */
export async function insertOrIgnore<T extends object>(
  manager: EntityManager,
  entity: new () => T,
  rows: object[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await manager
      .createQueryBuilder()
      .insert()
      .into(entity)
      .values(rows.slice(i, i + CHUNK) as never)
      .orIgnore()
      .updateEntity(false)
      .execute();
  }
}
