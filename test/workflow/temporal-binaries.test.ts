import { execFileSync } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { startDevServer, temporalBinaries } from '../../libs/temporal/src/binaries';

jest.setTimeout(60_000);

describe('Temporal binaries from scripts/ensure-temporal', () => {
  it('the CLI prints its version', () => {
    const out = execFileSync(temporalBinaries().cli, ['--version'], { encoding: 'utf8' });
    expect(out).toMatch(/^temporal version \d+\.\d+\.\d+/);
  });

  it('the time-skipping test server starts from the installed binary', async () => {
    const env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: temporalBinaries().testServer } },
    });
    try {
      expect(env.supportsTimeSkipping).toBe(true);
      const info = await env.connection.workflowService.getSystemInfo({});
      expect(info.capabilities).toBeDefined();
    } finally {
      await env.teardown();
    }
  });

  it('startDevServer starts a dev server that answers, and stop() ends it', async () => {
    const server = await startDevServer();
    try {
      const connection = await Connection.connect({ address: server.address });
      try {
        const info = await connection.workflowService.getSystemInfo({});
        expect(info.serverVersion).toMatch(/^\d+\.\d+\.\d+/);
      } finally {
        await connection.close();
      }
    } finally {
      await server.stop();
    }
    await expect(Connection.connect({ address: server.address, connectTimeout: 1_000 })).rejects.toThrow();
  });
});
