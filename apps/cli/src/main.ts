import { Command, CommanderError } from 'commander';
import { auditCommand } from './commands/audit';
import { casesCommand } from './commands/cases';
import { migrateCommand } from './commands/migrate';
import { tokenCommand } from './commands/token';
import { variantsCommand } from './commands/variants';
import { seedDemo } from './demo';
import { CliFailure } from './failure';

const program = new Command('neuvo')
  .description('Neuvo: family group conference cases as durable workflows')
  .option(
    '--api <url>',
    'API address (or NEUVO_API)',
    process.env.NEUVO_API || `http://localhost:${process.env.PORT || 3000}`,
  )
  .option('--token <jwt>', 'bearer token (or NEUVO_TOKEN)', process.env.NEUVO_TOKEN)
  .option('--as <sub:roles:unit>', 'act as a development user, e.g. cw1:caseworker:north (mints a dev token)')
  .option('--json', 'print JSON on one line, for programs', false)
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

const options = () => program.opts<{ api: string; token?: string; as?: string; json: boolean }>();

program
  .command('up')
  .description(
    'start the Temporal dev server, the worker and the API in the foreground (what npm start runs)',
  )
  .option('--no-demo', 'do not seed demo cases into an empty database')
  // Loaded on demand: the server side (Nest, the worker) is heavy for the commands that only call the API.
  .action(async (o: { demo: boolean }) => (await import('./up/up')).up(o));
tokenCommand(program);
variantsCommand(program, options);
casesCommand(program, options);
auditCommand(program, options);
migrateCommand(program);
program
  .command('demo')
  .description('seed the demo cases through the API (run by the first npm start on an empty database)')
  .action(async () => {
    const ids = await seedDemo(options().api, (line) => process.stdout.write(`${line}\n`));
    process.stdout.write(`seeded ${ids.length} cases\n`);
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  const message =
    error instanceof CliFailure ? error.message : error instanceof Error ? error.message : String(error);
  process.stderr.write(`neuvo: ${message}\n`);
  process.exit(error instanceof CliFailure ? error.code : 1);
});
