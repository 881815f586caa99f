import type { DataConverter } from '@temporalio/common';
import { AesGcmPayloadCodec, codecKeysFromEnv, type CodecKeys } from './codec';

/** The task queue every case workflow and its activities run on. */
export const TASK_QUEUE = 'neuvo-cases';

/** Workflow ids carry only the case id, never a name (product.md "Non-negotiables"). */
export const workflowIdOf = (caseId: string) => `case-${caseId}`;

export interface TemporalSettings {
  address: string;
  namespace: string;
  taskQueue: string;
}

export function temporalSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): TemporalSettings {
  return {
    address: env.TEMPORAL_ADDRESS || '127.0.0.1:7233',
    namespace: env.TEMPORAL_NAMESPACE || 'default',
    taskQueue: TASK_QUEUE,
  };
}

/** The data converter of clients, workers and replays alike: every payload encrypted. */
export function dataConverterOf(keys: CodecKeys = codecKeysFromEnv()): DataConverter {
  return { payloadCodecs: [new AesGcmPayloadCodec(keys)] };
}
