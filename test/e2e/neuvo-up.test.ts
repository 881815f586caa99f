/**
 * `neuvo up` as a person runs it: a child process in the foreground. A case is driven with the CLI, the
 * stack is stopped with SIGINT and started again, and the case and its pending timers are still there.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../libs/temporal/src/binaries';

jest.setTimeout(240_000);

const root = join(__dirname, '..', '..');
const bin = join(root, 'apps', 'cli', 'bin', 'neuvo.js');
const run = promisify(execFile);
let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'neuvo-up-'));
  env = {
    ...process.env,
    PORT: String(await freePort()),
    TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`,
    NEUVO_TEMPORAL_UI_PORT: String(await freePort()),
    NEUVO_DATA_DIR: dir,
    DATABASE_URL: join(dir, 'neuvo.sqlite'),
    NEUVO_JWT_SECRET: '',
    NODE_ENV: 'development',
  };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts `neuvo up` and resolves once it prints that it is up; collects its output. */
function up(args: string[] = []): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, [bin, 'up', ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('Press Ctrl-C to stop.')) resolve({ child, output: () => text });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`neuvo up exited with ${code} before it was up:\n${text}`)));
  });
}

async function stop(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.kill('SIGINT');
  return exited;
}

const neuvo = async (...args: string[]) => (await run(process.execPath, [bin, '--api', `http://localhost:${env.PORT}`, ...args], { cwd: root, env })).stdout;

describe('neuvo up', () => {
  it('comes up healthy with demo data, keeps a case and its timers across a SIGINT restart', async () => {
    const first = await up();
    const printed = first.output();
    expect(printed).toContain(`http://localhost:${env.PORT}/docs`);
    expect(printed).toMatch(/cw1\s+caseworker\s+north\s+eyJ/);
    const health = await (await fetch(`http://localhost:${env.PORT}/health`)).json();
    expect(health).toMatchObject({ database: 'up', temporal: 'up' });

    const demo = JSON.parse(await neuvo('--json', '--as', 'aud1:auditor:central', 'cases', 'list'));
    expect(demo.length).toBeGreaterThanOrEqual(8);
    expect(new Set(demo.map((c: { variant: { key: string } }) => c.variant.key))).toEqual(
      new Set(['fgc', 'acute', 'network-mapping', 'network-meeting', 'fgc-drill']),
    );

    const id = (await neuvo('--as', 'cw1:caseworker:north', 'cases', 'open', 'fgc')).trim();
    expect(id).toMatch(/^c_/);
    const agreement = { guardians: [{ name: 'Testi Äiti', consent: true }], childConsulted: true, concerns: ['c'], questions: ['q'], professionals: [] };
    const said = await neuvo('--as', 'cw1:caseworker:north', 'cases', 'event', id, 'agreement.recorded', '--data', JSON.stringify(agreement));
    expect(said).toContain('accepted; phase preparation');
    const before = JSON.parse(await neuvo('--json', '--as', 'cw1:caseworker:north', 'cases', 'show', id));
    expect(before.deadlines).toEqual([expect.objectContaining({ kind: 'conference' })]);

    expect(await stop(first.child)).toBe(0);
    const second = await up();
    expect(second.output()).not.toContain('seeding demo');
    const after = JSON.parse(await neuvo('--json', '--as', 'cw1:caseworker:north', 'cases', 'show', id));
    expect(after.lastSeq).toBe(before.lastSeq);
    expect(after.deadlines).toEqual(before.deadlines);
    // The workflow itself survived too: it still takes events and its history verifies.
    await neuvo('--as', 'cw1:caseworker:north', 'cases', 'event', id, 'coordinator.assigned', '--data', '{"coordinatorId":"co1","unit":"south"}');
    const verified = JSON.parse(await neuvo('--json', '--as', 'aud1:auditor:central', 'audit', 'verify', id));
    expect(verified).toMatchObject({ ok: true, stateMatchesWorkflow: true, historyReplays: true });
    expect(await stop(second.child)).toBe(0);
  });

  it('a port already in use gives one line naming the port and the variable', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(Number(env.PORT), '0.0.0.0', r));
    try {
      const result = await run(process.execPath, [bin, 'up'], { cwd: root, env }).catch((e: { code: number; stderr: string }) => e);
      expect((result as { code: number }).code).toBe(1);
      expect((result as { stderr: string }).stderr.trim()).toBe(`neuvo: port ${env.PORT} is already in use: stop what uses it, or set PORT to another port`);
    } finally {
      blocker.close();
    }
  });
});
