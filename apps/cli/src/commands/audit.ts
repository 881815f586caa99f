import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { all, call, type ClientOptions } from '../api-client';
import { CliFailure } from '../failure';
import { print, progress, table } from '../output';

interface VerifyReport {
  ok: boolean;
  entries: number;
  firstBrokenSeq: number | null;
  stateMatchesWorkflow: boolean;
  historyReplays: boolean;
}

export function auditCommand(program: Command, options: () => ClientOptions & { json: boolean }): void {
  const audit = program
    .command('audit')
    .description('audit: history, state as of a time, verify, export (auditors)');
  audit
    .command('history <id>')
    .description('the audit log of a case: seq, time, actor, type, hashes')
    .action(async (id: string) => {
      const items = await all<Record<string, unknown>>(options(), `/cases/${encodeURIComponent(id)}/history`);
      if (options().json) print(items, true);
      else
        table(
          items.map((e) => ({
            ...e,
            actor: `${(e.actor as { sub: string }).sub} (${(e.actor as { role: string }).role})`,
            hash: String(e.hash).slice(0, 12),
          })),
          ['seq', 'at', 'actor', 'type', 'hash'],
        );
    });
  audit
    .command('state <id>')
    .description('the case view as it was at a time, folded from the audit log')
    .requiredOption('--as-of <time>', 'UTC ISO time, e.g. 2026-11-23T08:00:00.000Z')
    .action(async (id: string, o: { asOf: string }) => {
      print(
        await call(
          options(),
          'GET',
          `/cases/${encodeURIComponent(id)}/state?asOf=${encodeURIComponent(o.asOf)}`,
        ),
        options().json,
      );
    });
  audit
    .command('verify [id]')
    .description(
      'check the hash chain, the replayed state and the workflow history; exit code 1 when anything is broken',
    )
    .option('--all', 'verify every case you may see, with a progress bar')
    .action(async (id: string | undefined, o: { all?: boolean }) => {
      const ids = o.all ? (await all<{ id: string }>(options(), '/cases')).map((c) => c.id) : id ? [id] : [];
      if (ids.length === 0) throw new CliFailure(o.all ? 'no cases to verify' : 'give a case id, or --all');
      const broken: string[] = [];
      for (const [i, caseId] of ids.entries()) {
        const report = await call<VerifyReport>(
          options(),
          'POST',
          `/cases/${encodeURIComponent(caseId)}/verify`,
        );
        if (!report.ok) broken.push(`${caseId}: ${describe(report)}`);
        if (!o.all) print(report, options().json);
        progress(i + 1, ids.length, caseId);
      }
      if (o.all)
        process.stdout.write(broken.length ? `${broken.join('\n')}\n` : `all ${ids.length} cases verified\n`);
      if (broken.length)
        throw new CliFailure(`${broken.length} of ${ids.length} case(s) failed verification`);
    });
  audit
    .command('export <id>')
    .description('the case view, its whole history and a verification report, as one JSON document')
    .option('--out <file>', 'write to a file instead of standard output')
    .action(async (id: string, o: { out?: string }) => {
      const document = await call(options(), 'GET', `/cases/${encodeURIComponent(id)}/export`);
      if (o.out) {
        writeFileSync(o.out, `${JSON.stringify(document, null, 2)}\n`);
        process.stdout.write(`wrote ${o.out}\n`);
      } else print(document, options().json);
    });
}

function describe(r: VerifyReport): string {
  const problems = [];
  if (r.firstBrokenSeq !== null) problems.push(`hash chain broken at seq ${r.firstBrokenSeq}`);
  if (!r.stateMatchesWorkflow) problems.push('replayed state differs from the workflow');
  if (!r.historyReplays) problems.push('workflow history does not replay');
  return problems.join('; ') || 'not ok';
}
