import { Inject, Injectable } from '@nestjs/common';
import {
  Client,
  Connection,
  WithStartWorkflowOperation,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import type { Actor, CaseView, Rejection } from '../../../../libs/contracts/src';
import type { VariantConfig } from '../../../../libs/process/src';
import { TASK_QUEUE, workflowIdOf } from '../../../../libs/temporal/src';
import { caseWorkflow } from '../../../../workflows';
import { applyEventUpdate, openedUpdate, TRANSITION_REJECTED } from '../../../../workflows/definitions';
import type { ApiSettings } from '../settings';
import { API_SETTINGS } from '../settings.module';

export type CommandOutcome = { view: CaseView } | { rejected: Rejection };

/**
 * The API's two writes to Temporal: open a case (update-with-start) and apply an event (Update). Each
 * waits for the workflow's answer at most `commandTimeoutMs`; past that the call fails as a timeout,
 * which the error filter answers with 503.
 */
@Injectable()
export class CaseCommands {
  constructor(
    @Inject(Client) private readonly client: Client,
    @Inject(Connection) private readonly connection: Connection,
    @Inject(API_SETTINGS) private readonly settings: ApiSettings,
  ) {}

  open(caseId: string, config: VariantConfig, caseworker: { sub: string; unit: string }): Promise<CaseView> {
    const startWorkflowOperation = new WithStartWorkflowOperation(caseWorkflow, {
      workflowId: workflowIdOf(caseId),
      taskQueue: TASK_QUEUE,
      workflowIdConflictPolicy: 'FAIL',
      args: [{ caseId, config, opening: { caseworker } }],
    });
    return this.bounded(() =>
      this.client.workflow.executeUpdateWithStart(openedUpdate, { startWorkflowOperation }),
    );
  }

  /** `updateId` makes a retried command (same Idempotency-Key and body) join the first one in Temporal. */
  async apply(
    caseId: string,
    event: { type: string; payload: unknown; actor: Actor },
    updateId?: string,
  ): Promise<CommandOutcome> {
    const handle = this.client.workflow.getHandle(workflowIdOf(caseId));
    try {
      const view = await this.bounded(() =>
        handle.executeUpdate(applyEventUpdate, { args: [event], ...(updateId ? { updateId } : {}) }),
      );
      return { view };
    } catch (error) {
      const rejected = rejectionOf(error);
      if (rejected) return { rejected };
      throw error;
    }
  }

  private bounded<T>(call: () => Promise<T>): Promise<T> {
    return this.connection.withDeadline(Date.now() + this.settings.commandTimeoutMs, call);
  }
}

/** The process's refusal carried by a failed Update, or undefined for any other failure. */
export function rejectionOf(error: unknown): Rejection | undefined {
  if (!(error instanceof WorkflowUpdateFailedError)) return undefined;
  const cause = error.cause as { type?: string; details?: unknown[]; message?: string } | undefined;
  if (cause?.type !== TRANSITION_REJECTED) return undefined;
  const d = (cause.details?.[0] ?? {}) as Partial<Rejection>;
  return {
    rule: d.rule ?? 'unknown',
    state: d.state ?? null,
    allowedEvents: d.allowedEvents ?? [],
    message: d.message ?? cause.message ?? 'The process refused the event.',
  };
}
