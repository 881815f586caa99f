import type { Command } from 'commander';
import { DEV_JWT_SECRET, signDevToken } from '../../../api/src/auth/dev-token';
import { roles, type Role } from '../../../../libs/contracts/src';
import { CliFailure } from '../failure';

export function tokenCommand(program: Command): void {
  program
    .command('token')
    .description('print a development token (HS256, NEUVO_JWT_SECRET or the development secret)')
    .requiredOption('--sub <id>', 'user id, e.g. cw1')
    .requiredOption('--roles <roles>', `comma-separated: ${roles.join(', ')}`)
    .requiredOption('--unit <unit>', 'organisational unit, e.g. north')
    .option('--ttl <seconds>', 'lifetime in seconds', '28800')
    .action(async (o: { sub: string; roles: string; unit: string; ttl: string }) => {
      const asked = o.roles
        .split(',')
        .map((r) => r.trim())
        .filter(Boolean);
      const unknown = asked.filter((r) => !(roles as readonly string[]).includes(r));
      if (asked.length === 0 || unknown.length)
        throw new CliFailure(
          `--roles: unknown role ${unknown.join(', ') || '(none)'}; use ${roles.join(', ')}`,
        );
      if (!/^[1-9]\d*$/.test(o.ttl)) throw new CliFailure('--ttl must be a whole number of seconds');
      const token = await signDevToken(
        { sub: o.sub, roles: asked as Role[], unit: o.unit },
        process.env.NEUVO_JWT_SECRET || DEV_JWT_SECRET,
        Number(o.ttl),
      );
      process.stdout.write(`${token}\n`);
    });
}
