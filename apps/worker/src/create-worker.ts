import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { CaseActivities } from '../../../activities/contracts';
import { dataConverterOf, TASK_QUEUE } from '../../../libs/temporal/src';

export interface CaseWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  taskQueue?: string;
  activities: CaseActivities;
  /** A prebuilt bundle (tests build one per file); otherwise the workflows are bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  dataConverter?: WorkerOptions['dataConverter'];
}

/** The worker of task queue `neuvo-cases`: the case workflow plus its activities. */
export function createCaseWorker(options: CaseWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    taskQueue: options.taskQueue ?? TASK_QUEUE,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: require.resolve('../../../workflows') }),
    activities: { ...options.activities },
    dataConverter: options.dataConverter ?? dataConverterOf(),
  });
}
