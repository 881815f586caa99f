import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Connection } from '@temporalio/client';
import type { DataSource } from 'typeorm';

export type Liveness = 'up' | 'down';

/** How long a probe may take before its part counts as down. */
const PROBE_MS = 2_000;

@Injectable()
export class HealthService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(Connection) private readonly temporal: Connection,
  ) {}

  async database(): Promise<Liveness> {
    return probe(() => this.db.query('SELECT 1'));
  }

  async temporalServer(): Promise<Liveness> {
    return probe(() =>
      this.temporal.withDeadline(Date.now() + PROBE_MS, () =>
        this.temporal.workflowService.getSystemInfo({}),
      ),
    );
  }
}

async function probe(check: () => Promise<unknown>): Promise<Liveness> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('probe timed out')), PROBE_MS);
  });
  try {
    await Promise.race([check(), timeout]);
    return 'up';
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}
