/**
 * The `neuvo` command as a person uses it: a child process against a running API (dev server, worker and
 * API from test/support/api-stack.ts). Every command has help text; errors are one line, never a stack.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtInVariant } from '../../libs/process/src';
import { apiStack, testDatabases, TEST_JWT_SECRET, type ApiStack } from '../support/api-stack';

jest.setTimeout(180_000);

const root = join(__dirname, '..', '..');
const bin = join(root, 'apps', 'cli', 'bin', 'neuvo.js');
let stack: ApiStack;
let dir: string;

beforeAll(async () => {
  stack = await apiStack(testDatabases()[0]!);
  dir = mkdtempSync(join(tmpdir(), 'neuvo-cli-'));
});
afterAll(async () => {
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function neuvo(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, '--api', stack.baseUrl, ...args],
      { cwd: root, env: { ...process.env, NEUVO_JWT_SECRET: TEST_JWT_SECRET, NEUVO_TOKEN: '', ...env } },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const cw = ['--as', 'cw1:caseworker:north'];
const co = ['--as', 'co1:coordinator:south'];
const auditor = ['--as', 'aud1:auditor:audit'];

/** One line on stderr, no stack trace, exit code 1. */
function expectOneLineError(r: Result, pattern: RegExp) {
  expect(r.code).toBe(1);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('neuvo --help', () => {
  const commands = [
    [],
    ['up'],
    ['token'],
    ['variants'],
    ['variants', 'list'],
    ['variants', 'show'],
    ['variants', 'publish'],
    ['variants', 'diagram'],
    ['cases'],
    ['cases', 'list'],
    ['cases', 'show'],
    ['cases', 'open'],
    ['cases', 'event'],
    ['audit'],
    ['audit', 'history'],
    ['audit', 'state'],
    ['audit', 'verify'],
    ['audit', 'export'],
    ['migrate'],
    ['demo'],
  ];
  it('every command explains itself', async () => {
    const results = await Promise.all(commands.map((c) => neuvo([...c, '--help'])));
    results.forEach((r, i) => {
      expect({ command: commands[i], code: r.code }).toEqual({ command: commands[i], code: 0 });
      expect(r.stdout).toMatch(new RegExp(`^Usage: neuvo ${commands[i]!.join(' ')}`.trim()));
    });
  });
});

describe('neuvo against a running API', () => {
  let caseId: string;

  it('token prints a development token; an unknown role is one line', async () => {
    const r = await neuvo(['token', '--sub', 'cw1', '--roles', 'caseworker', '--unit', 'north']);
    expect(r.stdout.trim().split('.')).toHaveLength(3);
    expectOneLineError(
      await neuvo(['token', '--sub', 'x', '--roles', 'wizard', '--unit', 'n']),
      /--roles: unknown role wizard/,
    );
  });

  it('variants list, show, diagram and publish', async () => {
    expect((await neuvo([...cw, 'variants', 'list'])).stdout).toMatch(/fgc\s+fgc\s+1/);
    expect(JSON.parse((await neuvo([...cw, 'variants', 'show', 'acute'])).stdout)).toMatchObject({
      key: 'acute',
      version: 1,
    });
    expect((await neuvo([...cw, 'variants', 'diagram', 'fgc'])).stdout).toContain('stateDiagram-v2');
    const file = join(dir, 'drill.json');
    writeFileSync(file, JSON.stringify({ ...builtInVariant('network-meeting'), key: 'cli-drill' }));
    expect((await neuvo([...co, 'variants', 'publish', file])).stdout.trim()).toBe(
      'published cli-drill version 1',
    );
    writeFileSync(file, JSON.stringify({ ...builtInVariant('fgc'), key: 'cli-drill', escalation: [] }));
    expectOneLineError(
      await neuvo([...co, 'variants', 'publish', file]),
      /400 invalid_payload: .*escalation/,
    );
    expectOneLineError(await neuvo([...cw, 'variants', 'publish', join(dir, 'missing.json')]), /cannot read/);
  });

  it('cases open, event, show and list; refusals are one line with what is allowed', async () => {
    caseId = (await neuvo([...cw, 'cases', 'open', 'fgc'])).stdout.trim();
    expect(caseId).toMatch(/^c_/);
    const agreement = {
      guardians: [{ name: 'Testi Äiti', consent: true }],
      childConsulted: true,
      concerns: ['c'],
      questions: ['q'],
      professionals: [],
    };
    const sent = await neuvo([
      ...cw,
      'cases',
      'event',
      caseId,
      'agreement.recorded',
      '--data',
      JSON.stringify(agreement),
    ]);
    expect(sent.stdout).toContain(`${caseId}: agreement.recorded accepted; phase preparation`);
    expectOneLineError(
      await neuvo([...cw, 'cases', 'event', caseId, 'plan.approved']),
      /409 transition_rejected: .*\(allowed: .*coordinator\.assigned/,
    );
    expectOneLineError(
      await neuvo([...cw, 'cases', 'event', caseId, 'agreement.recorded', '--data', '{oops']),
      /--data is not valid JSON/,
    );
    expectOneLineError(
      await neuvo([...cw, 'cases', 'event', caseId, 'coordinator.assigned', '--data', '{}']),
      /400 invalid_payload: .*coordinatorId/,
    );
    const view = JSON.parse((await neuvo([...cw, '--json', 'cases', 'show', caseId])).stdout);
    expect(view).toMatchObject({ id: caseId, phase: 'preparation', lastSeq: 2 });
    expect((await neuvo([...cw, 'cases', 'list'])).stdout).toContain(caseId);
    expectOneLineError(await neuvo(['cases', 'list']), /no token/);
  });

  it('audit history, state, verify, verify --all and export', async () => {
    expect((await neuvo([...auditor, 'audit', 'history', caseId])).stdout).toMatch(
      /1\s+\S+\s+cw1 \(caseworker\)\s+case\.opened/,
    );
    const state = JSON.parse(
      (await neuvo([...auditor, 'audit', 'state', caseId, '--as-of', new Date().toISOString()])).stdout,
    );
    expect(state).toMatchObject({ id: caseId, lastSeq: 2 });
    const verify = await neuvo([...auditor, 'audit', 'verify', caseId]);
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true });
    const all = await neuvo([...auditor, 'audit', 'verify', '--all']);
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/^all \d+ cases verified/);
    const out = join(dir, 'export.json');
    expect((await neuvo([...auditor, 'audit', 'export', caseId, '--out', out])).stdout.trim()).toBe(
      `wrote ${out}`,
    );
    expect(
      JSON.parse(readFileSync(out, 'utf8')).history.items ?? JSON.parse(readFileSync(out, 'utf8')).history,
    ).toBeTruthy();
    expectOneLineError(await neuvo([...cw, 'audit', 'verify', caseId]), /403 forbidden/);
  });

  it('audit verify exits 1 and names the broken entry when a row was edited in the database', async () => {
    await stack.db.query(
      `UPDATE audit_entries SET payload = '{"edited":true}' WHERE case_id = '${caseId}' AND seq = 2`,
    );
    const r = await neuvo([...auditor, 'audit', 'verify', '--all']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${caseId}: hash chain broken at seq 2`);
  });

  it('demo seeds cases through the API; migrate reports an up-to-date database', async () => {
    const demo = await neuvo(['demo']);
    expect(demo.code).toBe(0);
    expect(demo.stdout).toMatch(/seeded \d+ cases/);
    const migrate = await neuvo(['migrate'], { DATABASE_URL: stack.databaseUrl });
    expect(migrate.stdout).toMatch(/database is up to date/);
  });

  it('an unreachable API is one line', async () => {
    const r = await new Promise<Result>((resolve) =>
      execFile(
        process.execPath,
        [bin, '--api', 'http://127.0.0.1:9', ...cw, 'cases', 'list'],
        { cwd: root },
        (error, stdout, stderr) =>
          resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      ),
    );
    expectOneLineError(r, /cannot reach the API at http:\/\/127\.0\.0\.1:9/);
  });
});
