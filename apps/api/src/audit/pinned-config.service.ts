import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { VariantVersionRow } from '../../../../libs/persistence/src';
import { builtInVariants, parseVariantConfig, type VariantConfig } from '../../../../libs/process/src';

/**
 * The variant config a case is pinned to (`cases.variant_key/variant_version` → `variant_versions.config`).
 * Published versions never change, so each is parsed once per process. A built-in variant whose version
 * has not been published to this database (a worker started with the built-in config) is used as is.
 */
@Injectable()
export class PinnedConfigService {
  private readonly cache = new Map<string, Promise<VariantConfig>>();

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  configOf(key: string, version: number): Promise<VariantConfig> {
    const id = `${key}@${version}`;
    let config = this.cache.get(id);
    if (!config) {
      config = this.load(key, version);
      this.cache.set(id, config);
      // A failed read (database down) must not stick.
      config.catch(() => this.cache.delete(id));
    }
    return config;
  }

  private async load(key: string, version: number): Promise<VariantConfig> {
    const row = await this.db
      .getRepository(VariantVersionRow)
      .findOne({ where: { key, version }, select: { config: true } });
    if (!row) {
      const builtIn = builtInVariants.find((v) => v.key === key && v.version === version);
      if (builtIn) return builtIn;
      throw new Error(`variant ${key} version ${version} is pinned by a case but not stored`);
    }
    const parsed = parseVariantConfig(row.config);
    if (!parsed.ok)
      throw new Error(
        `stored variant ${key} version ${version} does not parse: ${JSON.stringify(parsed.problems)}`,
      );
    return parsed.config;
  }
}
