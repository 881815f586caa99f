import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Connection } from '@temporalio/client';
import { searchAttributeFlags } from '../../../../libs/temporal/src';
import { temporalBinaries } from '../../../../libs/temporal/src/binaries';
import { CliFailure } from '../failure';

export interface TemporalServer {
  stop(): Promise<void>;
}

/** `temporal server start-dev` with its data in a file, so cases and their timers survive a restart. */
export async function startTemporal(options: {
  host: string;
  port: number;
  uiPort: number;
  dbFile: string;
  log: (line: string) => void;
}): Promise<TemporalServer> {
  const child: ChildProcess = spawn(
    temporalBinaries().cli,
    [
      'server',
      'start-dev',
      '--ip',
      options.host,
      '--port',
      String(options.port),
      '--ui-port',
      String(options.uiPort),
      '--db-filename',
      options.dbFile,
      '--log-level',
      'error',
      ...searchAttributeFlags(),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  for (const stream of [child.stdout, child.stderr])
    if (stream) createInterface({ input: stream }).on('line', options.log);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const address = `${options.host}:${options.port}`;
  const until = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new CliFailure(
        `the Temporal dev server stopped at start (exit ${child.exitCode}); see the [temporal] lines above`,
      );
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      await connection.workflowService.getSystemInfo({});
      await connection.close();
      break;
    } catch {
      if (Date.now() > until)
        throw new CliFailure(`the Temporal dev server did not answer on ${address} within 60 s`);
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  return {
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
