import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { all, call, type ClientOptions } from '../api-client';
import { CliFailure } from '../failure';
import { print, table } from '../output';

export function casesCommand(program: Command, options: () => ClientOptions & { json: boolean }): void {
  const cases = program.command('cases').description('cases: list, show, open, send an event');
  cases
    .command('list')
    .description('cases you may see')
    .option('--phase <phase>', 'only this phase')
    .option('--variant <key>', 'only this variant')
    .option('--overdue', 'only cases with an overdue deadline')
    .action(async (o: { phase?: string; variant?: string; overdue?: boolean }) => {
      const q = new URLSearchParams();
      if (o.phase) q.set('phase', o.phase);
      if (o.variant) q.set('variant', o.variant);
      if (o.overdue) q.set('overdue', 'true');
      const items = await all<Record<string, unknown>>(options(), `/cases?${q}`);
      if (options().json) print(items, true);
      else
        table(
          items.map((c) => ({
            ...c,
            variant: `${(c.variant as { key: string }).key}@${(c.variant as { version: number }).version}`,
          })),
          ['id', 'variant', 'phase', 'nextMeetingAt', 'updatedAt'],
        );
    });
  cases
    .command('show <id>')
    .description('the case view: phase, allowed events, people, plan, promises, deadlines')
    .action(async (id: string) =>
      print(await call(options(), 'GET', `/cases/${encodeURIComponent(id)}`), options().json),
    );
  cases
    .command('open <variant>')
    .description('open a case of a variant (caseworkers; you become its caseworker)')
    .option('--version <n>', 'variant version (default: latest)')
    .action(async (variant: string, o: { version?: string }) => {
      const view = await call<{ id: string }>(options(), 'POST', '/cases', {
        variant,
        ...(o.version ? { version: Number(o.version) } : {}),
      });
      if (options().json) print(view, true);
      else process.stdout.write(`${view.id}\n`);
    });
  cases
    .command('event <id> <type>')
    .description(
      'send an event to a case, e.g. neuvo cases event c_1 agreement.recorded --data \'{"guardians":[...]}\'',
    )
    .option('--data <json>', 'the event payload as JSON', '{}')
    .option(
      '--idempotency-key <key>',
      'send again safely: the same key returns the first answer (default: a new key)',
    )
    .action(async (id: string, type: string, o: { data: string; idempotencyKey?: string }) => {
      let payload: unknown;
      try {
        payload = JSON.parse(o.data);
      } catch {
        throw new CliFailure('--data is not valid JSON');
      }
      if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
        throw new CliFailure('--data must be a JSON object');
      const view = await call<{ phase: string; allowedEvents: string[] }>(
        options(),
        'POST',
        `/cases/${encodeURIComponent(id)}/events`,
        { type, ...payload },
        { 'idempotency-key': o.idempotencyKey ?? randomUUID() },
      );
      if (options().json) print(view, true);
      else
        process.stdout.write(
          `${id}: ${type} accepted; phase ${view.phase}; next: ${view.allowedEvents.join(', ') || 'none'}\n`,
        );
    });
}
