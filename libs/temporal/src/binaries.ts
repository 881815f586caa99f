/**
 * Temporal server binaries for tests and local runs. They come from `scripts/ensure-temporal`
 * (pinned PyPI wheels in .temporal/), because the SDK's own download cannot work on this network.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { Connection } from '@temporalio/client';

export interface TemporalBinaries {
  cli: string;
  testServer: string;
}

export interface DevServerOptions {
  /** SQLite file to keep state across restarts; in memory when omitted. */
  dbFile?: string;
  /** Serve the Web UI on a free port (headless otherwise). */
  ui?: boolean;
  extraArgs?: string[];
}

export interface DevServer {
  address: string;
  uiPort?: number;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 30_000;
const KILL_GRACE_MS = 5_000;

let cached: TemporalBinaries | undefined;

/** Walks up rather than counting levels so this works from both the sources and a compiled dist/. */
function projectRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'scripts', 'ensure-temporal'))) return dir;
    if (dirname(dir) === dir) throw new Error(`scripts/ensure-temporal not found above ${__dirname}`);
  }
}

export function temporalBinaries(): TemporalBinaries {
  if (cached) return cached;
  const root = projectRoot();
  let out: string;
  try {
    out = execFileSync(process.execPath, [join(root, 'scripts', 'ensure-temporal'), '--json'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    const stderr = String((e as { stderr?: unknown }).stderr ?? '').trim();
    throw new Error(`ensure-temporal failed: ${stderr || (e as Error).message}`);
  }
  const parsed = JSON.parse(out) as Partial<TemporalBinaries>;
  if (typeof parsed.cli !== 'string' || typeof parsed.testServer !== 'string') {
    throw new Error(`ensure-temporal printed unexpected output: ${out}`);
  }
  cached = { cli: parsed.cli, testServer: parsed.testServer };
  return cached;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

// A test run that dies without calling stop() must not leave servers behind.
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export async function startDevServer(opts: DevServerOptions = {}): Promise<DevServer> {
  const { cli } = temporalBinaries();
  const port = await freePort();
  const uiPort = opts.ui ? await freePort() : undefined;
  const address = `127.0.0.1:${port}`;
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'error'];
  args.push(...(uiPort === undefined ? ['--headless'] : ['--ui-port', String(uiPort)]));
  if (opts.dbFile) args.push('--db-filename', opts.dbFile);
  args.push(...(opts.extraArgs ?? []));

  const child = spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  const keepTail = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keepTail);
  child.stderr?.on('data', keepTail);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      running.delete(child);
      resolve();
    });
  });
  let hasExited = false;
  void exited.then(() => (hasExited = true));

  const stop = async (): Promise<void> => {
    if (hasExited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
    await exited;
    clearTimeout(timer);
  };

  try {
    await waitUntilReady(address, () =>
      hasExited ? `dev server exited (code ${child.exitCode}): ${output}` : undefined,
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return { address, uiPort, stop };
}

/** Polls until the frontend answers and the default namespace exists; `failure` reports an early exit. */
async function waitUntilReady(address: string, failure: () => string | undefined): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const failed = failure();
    if (failed) throw new Error(failed);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2_000 });
      try {
        await connection.workflowService.describeNamespace({ namespace: 'default' });
        return;
      } finally {
        await connection.close();
      }
    } catch (e) {
      lastError = e;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new Error(`dev server at ${address} not ready after ${READY_TIMEOUT_MS} ms: ${String(lastError)}`);
}
