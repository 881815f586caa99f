import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { inTransaction, VariantVersionRow } from '../../../../libs/persistence/src';
import { parseVariantConfig, type Template, type VariantConfig } from '../../../../libs/process/src';
import type { Principal } from '../auth/principal';
import { ApiError } from '../errors/api-error';
import { invalidPayload } from '../errors/error-body';
import { decodeCursor, pageOf, type Page } from '../paging';
import { z } from 'zod';
import type { VariantSummary } from './variants.schemas';

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Published variant versions. A version never changes once written, so parsed configs are cached for good. */
@Injectable()
export class VariantsService {
  private readonly configs = new Map<string, VariantConfig>();

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(limit: number, cursor?: string): Promise<Page<VariantSummary>> {
    const after = decodeCursor(cursor, z.tuple([z.string()]));
    const query = this.db
      .getRepository(VariantVersionRow)
      .createQueryBuilder('v')
      .select('v.key', 'key')
      .addSelect('MAX(v.version)', 'latest')
      .groupBy('v.key')
      .orderBy('v.key', 'ASC')
      .limit(limit + 1);
    if (after) query.where('v.key > :after', { after: after[0] });
    const keys = await query.getRawMany<{ key: string; latest: number | string }>();
    const rows = keys.length
      ? await this.db
          .getRepository(VariantVersionRow)
          .find({ where: keys.map((k) => ({ key: k.key, version: Number(k.latest) })) })
      : [];
    const byKey = new Map(rows.map((r) => [r.key, r]));
    const summaries = keys.flatMap((k) => {
      const row = byKey.get(k.key);
      const labels = row?.config.labels as VariantSummary['labels'] | undefined;
      return row && labels
        ? [{ key: row.key, template: row.template as Template, labels, latestVersion: row.version }]
        : [];
    });
    return pageOf(
      summaries,
      limit,
      (s) => s,
      (s) => [s.key],
    );
  }

  /** The config exactly as stored (what `GET …/versions/:v` serves and what can be POSTed back). */
  async stored(key: string, version: number): Promise<Record<string, unknown>> {
    const row = await this.db.getRepository(VariantVersionRow).findOneBy({ key, version });
    if (!row)
      throw new ApiError(
        'not_found',
        `Variant ${key} has no version ${version}; GET /variants lists what exists.`,
      );
    return row.config;
  }

  /** The parsed config of a version, or undefined when it does not exist. */
  async config(key: string, version?: number): Promise<VariantConfig | undefined> {
    const wanted = version ?? (await this.latestVersion(key));
    if (wanted === undefined) return undefined;
    const cached = this.configs.get(`${key}@${wanted}`);
    if (cached) return cached;
    const row = await this.db.getRepository(VariantVersionRow).findOneBy({ key, version: wanted });
    if (!row) return undefined;
    const parsed = parseVariantConfig(row.config);
    if (!parsed.ok)
      throw new Error(
        `stored variant ${key} v${wanted} no longer parses: ${JSON.stringify(parsed.problems)}`,
      );
    this.configs.set(`${key}@${wanted}`, parsed.config);
    return parsed.config;
  }

  private async latestVersion(
    key: string,
    manager: EntityManager = this.db.manager,
  ): Promise<number | undefined> {
    const raw = await manager
      .getRepository(VariantVersionRow)
      .createQueryBuilder('v')
      .select('MAX(v.version)', 'latest')
      .where('v.key = :key', { key })
      .getRawOne<{ latest: number | string | null }>();
    return raw?.latest === null || raw?.latest === undefined ? undefined : Number(raw.latest);
  }

  /**
   * Publishes a new version of `key`: 400 lists every problem of the config, 403 unless a coordinator
   * publishes (checked in that order, as for commands). The version is the next free one.
   */
  async publish(key: string, body: unknown, principal: Principal): Promise<Record<string, unknown>> {
    if (!isRecord(body))
      throw invalidPayload([{ path: '', message: 'must be a JSON object: a variant config' }]);
    const problems: { path: string; message: string }[] = [];
    if (body.key !== undefined && body.key !== key)
      problems.push({ path: 'key', message: `must be ${key} (the key in the path) or absent` });
    // The version is assigned below; whatever was sent is ignored.
    const parsed = parseVariantConfig({ ...body, key, version: 1 });
    if (!parsed.ok) problems.push(...parsed.problems);
    if (problems.length > 0 || !parsed.ok)
      throw invalidPayload(problems, 'The variant config has problems; details lists every one.');
    if (!principal.roles.includes('coordinator'))
      throw new ApiError('forbidden', 'Only coordinators publish variant versions.');

    for (let attempt = 1; ; attempt++) {
      try {
        return await inTransaction(this.db, async (manager) => {
          const version = ((await this.latestVersion(key, manager)) ?? 0) + 1;
          const config = { ...parsed.config, version };
          await manager.insert(VariantVersionRow, {
            key,
            version,
            template: config.template,
            config,
            publishedAt: new Date().toISOString(),
            publishedBy: principal.sub,
          });
          return config as Record<string, unknown>;
        });
      } catch (error) {
        // Two publishes of one key at once: the loser takes the next version.
        if (attempt >= 5 || !isUniqueViolation(error)) throw error;
      }
    }
  }
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; driverError?: { code?: unknown } };
  const code = e?.driverError?.code ?? e?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT';
}
