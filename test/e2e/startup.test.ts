/**
 * `npm run start:api` as a process (tsx, so without decorator metadata): settings are checked at start-up
 * and name the bad variable; the API starts while Temporal is down, reports it on /health, and stops on SIGTERM.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../libs/temporal/src/binaries';
import { eventually } from '../support/api-stack';
import { tempDatabase } from '../support/temporal-stack';

jest.setTimeout(120_000);

const root = join(__dirname, '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

function startApi(env: Record<string, string>) {
  const child = spawn(tsx, ['apps/api/src/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

describe('API start-up', () => {
  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ TEMPORAL_ADDRESS: 'http://temporal' }, 'TEMPORAL_ADDRESS'],
    [{ DATABASE_URL: 'mysql://db/neuvo' }, 'DATABASE_URL'],
    [{ NEUVO_JWT_SECRET: 'short' }, 'NEUVO_JWT_SECRET'],
    [{ NEUVO_OIDC_ISSUER: 'https://login.example.fi' }, 'NEUVO_OIDC_JWKS_URL'],
    [{ NODE_ENV: 'production' }, 'NEUVO_CODEC_KEY'],
    [{ NODE_ENV: 'production', NEUVO_CODEC_KEY: Buffer.alloc(32, 1).toString('base64') }, 'NEUVO_JWT_SECRET'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
  ])('refuses %j, naming %s', async (env, variable) => {
    const api = startApi(env);
    expect(await api.exited).toBe(1);
    expect(api.output()).toContain(`${variable}:`);
    expect(api.output()).not.toMatch(/\n\s+at /);
  });

  it('starts without Temporal, says so on /health, and stops on SIGTERM', async () => {
    const port = await freePort();
    const database = tempDatabase();
    const api = startApi({
      PORT: String(port),
      DATABASE_URL: database.sqlitePath,
      TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`,
    });
    try {
      const health = await eventually(
        () =>
          fetch(`http://127.0.0.1:${port}/health`).then(
            async (r) => ({ status: r.status, body: await r.json() }),
            () => undefined,
          ),
        (answer) => answer !== undefined,
        60_000,
        250,
      );
      expect(health).toEqual({
        status: 503,
        body: { status: 'degraded', api: 'up', database: 'up', temporal: 'down' },
      });
      const variants = await fetch(`http://127.0.0.1:${port}/variants`);
      expect(variants.status).toBe(401);
      api.child.kill('SIGTERM');
      expect(await api.exited).toBe(0);
    } finally {
      api.child.kill('SIGKILL');
      database.remove();
    }
  });
});
