import type { MigrationInterface, QueryRunner } from 'typeorm';
import { builtInVariants } from '../../../process/src/builtins';

/** When the built-in versions were first published; fixed, so every database seeds the same rows. */
const PUBLISHED_AT = '2025-11-23T00:00:00.000Z';

/**
 * Publishes the four built-in variants (fgc, acute, network-mapping, network-meeting) as version 1 by
 * `system`. The configs come from libs/process's data files, the one place they are defined; a database
 * that already holds a version 1 of a key keeps it (published versions never change).
 */
export class BuiltInVariants1763900000001 implements MigrationInterface {
  name = 'BuiltInVariants1763900000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const config of builtInVariants) {
      await run(queryRunner, INSERT, {
        key: config.key,
        template: config.template,
        config: JSON.stringify({ ...config, version: 1 }),
        at: PUBLISHED_AT,
      });
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const config of builtInVariants) {
      await run(
        queryRunner,
        "DELETE FROM variant_versions WHERE key = :key AND version = 1 AND published_by = 'system'",
        { key: config.key },
      );
    }
  }
}

/** Plain SQL (no entity metadata: a migration must not change with the entities), same on both databases. */
const INSERT = `INSERT INTO variant_versions (key, version, template, config, published_at, published_by)
VALUES (:key, 1, :template, :config, :at, 'system')
ON CONFLICT (key, version) DO NOTHING`;

async function run(
  queryRunner: QueryRunner,
  sql: string,
  parameters: Record<string, unknown>,
): Promise<void> {
  const [query, values] = queryRunner.connection.driver.escapeQueryWithParameters(sql, parameters);
  await queryRunner.query(query, values);
}
