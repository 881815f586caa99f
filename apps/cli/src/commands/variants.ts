import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { call, all, type ClientOptions } from '../api-client';
import { CliFailure } from '../failure';
import { print, table } from '../output';

export function variantsCommand(program: Command, options: () => ClientOptions & { json: boolean }): void {
  const variants = program
    .command('variants')
    .description('process variants: list, show, publish a new version, diagram');
  variants
    .command('list')
    .description('list variants with their latest version')
    .action(async () => {
      const items = await all<Record<string, unknown>>(options(), '/variants');
      if (options().json) print(items, true);
      else
        table(
          items.map((v) => ({ ...v, label: (v.labels as { en?: string })?.en })),
          ['key', 'template', 'latestVersion', 'label'],
        );
    });
  variants
    .command('show <key>')
    .description('print a variant version as JSON (a config that can be published back)')
    .option('--version <n>', 'version (default: latest)')
    .action(async (key: string, o: { version?: string }) => {
      print(
        await call(
          options(),
          'GET',
          `/variants/${encodeURIComponent(key)}/versions/${await versionOf(key, o.version)}`,
        ),
        options().json,
      );
    });
  variants
    .command('publish <file>')
    .description('publish a new version from a JSON file (coordinators only); every problem is listed')
    .action(async (file: string) => {
      let config: { key?: string };
      try {
        config = JSON.parse(readFileSync(file, 'utf8'));
      } catch (error) {
        throw new CliFailure(`cannot read ${file}: ${(error as Error).message}`);
      }
      if (!config.key) throw new CliFailure(`${file} has no "key"`);
      const stored = await call<{ key: string; version: number }>(
        options(),
        'POST',
        `/variants/${encodeURIComponent(config.key)}/versions`,
        config,
      );
      process.stdout.write(`published ${stored.key} version ${stored.version}\n`);
    });
  variants
    .command('diagram <key>')
    .description('print the statechart of a variant version as Mermaid text')
    .option('--version <n>', 'version (default: latest)')
    .action(async (key: string, o: { version?: string }) => {
      process.stdout.write(
        String(
          await call(
            options(),
            'GET',
            `/variants/${encodeURIComponent(key)}/versions/${await versionOf(key, o.version)}/diagram`,
          ),
        ),
      );
    });

  async function versionOf(key: string, given?: string): Promise<number> {
    if (given !== undefined) {
      if (!/^[1-9]\d*$/.test(given)) throw new CliFailure('--version must be a positive whole number');
      return Number(given);
    }
    const found = (await all<{ key: string; latestVersion: number }>(options(), '/variants')).find(
      (v) => v.key === key,
    );
    if (!found) throw new CliFailure(`no variant ${key}`);
    return found.latestVersion;
  }
}
