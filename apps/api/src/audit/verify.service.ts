import { isDeepStrictEqual } from 'node:util';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { bundleWorkflowCode, Worker, type WorkflowBundle } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { AuditEntryRow, historyItemOf, verifyChain } from '../../../../libs/persistence/src';
import { fold, type CaseSnapshot } from '../../../../libs/process/src';
import { dataConverterOf, workflowIdOf } from '../../../../libs/temporal/src';
import { snapshotQuery } from '../../../../workflows/definitions';
import { AccessLogService } from '../access-log/access-log.service';
import type { Principal } from '../auth/principal';
import { ApiError } from '../errors/api-error';
import { isUnavailable } from '../errors/unavailable';
import { eventOf } from './audit.service';
import { requireAuditor, visibleCase, type CaseHead } from './case-access';
import { PinnedConfigService } from './pinned-config.service';
import { TEMPORAL_CLIENT } from './temporal-client.token';

/** `POST /cases/:id/verify` (contract.md "Audit endpoints"), plus `problems`: one sentence per failed check. */
export interface VerifyReport {
  ok: boolean;
  entries: number;
  firstBrokenSeq: number | null;
  stateMatchesWorkflow: boolean;
  historyReplays: boolean;
  problems: string[];
}

/** Optional provider: a prebuilt workflow bundle (tests share theirs); otherwise built on first verify. */
export const WORKFLOW_BUNDLE = Symbol('WORKFLOW_BUNDLE');
export type WorkflowBundleSource = () => Promise<WorkflowBundle>;

const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error };
let processBundle: Promise<WorkflowBundle> | undefined;

/** The workflow code this process would run, bundled once per process (webpack takes seconds). */
function ownBundle(): Promise<WorkflowBundle> {
  if (!processBundle) {
    processBundle = bundleWorkflowCode({
      workflowsPath: require.resolve('../../../../workflows'),
      logger: quiet as never,
    });
    // A failed build is not cached: the next verify tries again.
    processBundle.catch(() => (processBundle = undefined));
  }
  return processBundle;
}

/** Checks one case three ways: its hash chain, its fold against the live workflow, its Temporal replay. */
@Injectable()
export class VerifyService {
  private readonly bundle: WorkflowBundleSource;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(PinnedConfigService) private readonly configs: PinnedConfigService,
    @Inject(AccessLogService) private readonly accessLog: AccessLogService,
    @Optional() @Inject(WORKFLOW_BUNDLE) bundle?: WorkflowBundleSource,
  ) {
    this.bundle = bundle ?? ownBundle;
  }

  /** `POST /cases/:id/verify`: 404 unless visible, 403 unless an auditor; the report, logged as `verify`. */
  async verifyCase(principal: Principal, caseId: string): Promise<VerifyReport> {
    const head = await visibleCase(this.db, principal, caseId);
    requireAuditor(principal, 'verify a case');
    const report = await this.verify(head);
    await this.accessLog.record(principal, 'auditor', caseId, 'verify');
    return report;
  }

  /**
   * The workflow's snapshot is read before the audit rows: the workflow appends an entry before its
   * snapshot moves, so every seq the snapshot counts is already stored, and an event arriving meanwhile
   * cannot make a sound case look broken.
   */
  async verify(head: CaseHead): Promise<VerifyReport> {
    const problems: string[] = [];
    const workflowId = workflowIdOf(head.id);
    const handle = this.temporal.workflow.getHandle(workflowId);
    const query = await this.workflowCall(() => handle.query(snapshotQuery), head.id);
    const live = 'value' in query ? query.value : undefined;
    if ('missing' in query) problems.push(`The case has no workflow ${workflowId}.`);
    if ('failed' in query) problems.push(`The workflow did not answer its snapshot query: ${query.failed}`);
    const rows = await this.db
      .getRepository(AuditEntryRow)
      .find({ where: { caseId: head.id }, order: { seq: 'ASC' } });

    const chain = verifyChain(rows.map(historyItemOf));
    let firstBrokenSeq = chain.firstBrokenSeq;
    if (firstBrokenSeq !== null) problems.push(`The hash chain breaks at entry ${firstBrokenSeq}.`);
    // The newest entries could be deleted without breaking the chain: count against the projection and the workflow.
    const expected = Math.max(head.lastSeq, live?.context.seq ?? 0);
    if (firstBrokenSeq === null && rows.length < expected) {
      firstBrokenSeq = rows.length + 1;
      problems.push(`The audit log ends at entry ${rows.length}, but the case has ${expected} entries.`);
    }

    let stateMatchesWorkflow = false;
    if (live) {
      const config = await this.configs.configOf(head.variantKey, head.variantVersion);
      const prefix = rows.slice(0, live.context.seq);
      const folded =
        prefix.length > 0 ? fold(config, head.id, prefix.map(eventOf), { validate: true }) : undefined;
      if (!folded) {
        problems.push('The audit log is empty.');
      } else if ('brokenAt' in folded) {
        problems.push(
          `The audit log does not fold: entry ${folded.brokenAt + 1} is refused by rule ${folded.rejected.rule}.`,
        );
      } else {
        stateMatchesWorkflow = sameSnapshot(folded.snapshot, live);
        if (!stateMatchesWorkflow)
          problems.push("The state folded from the audit log differs from the workflow's state.");
      }
    }

    let historyReplays = false;
    if (!('missing' in query)) {
      const fetched = await this.workflowCall(() => handle.fetchHistory(), head.id);
      if (!('value' in fetched)) {
        problems.push(`The history of workflow ${workflowId} could not be read.`);
      } else {
        const workflowBundle = await this.bundle();
        try {
          await Worker.runReplayHistory(
            { workflowBundle, dataConverter: dataConverterOf() },
            fetched.value,
            workflowId,
          );
          historyReplays = true;
        } catch (error) {
          // Non-determinism, or a history this code cannot read at all (a codec key that is gone).
          problems.push(
            `The Temporal history does not replay: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      }
    }

    return {
      ok: firstBrokenSeq === null && stateMatchesWorkflow && historyReplays,
      entries: rows.length,
      firstBrokenSeq,
      stateMatchesWorkflow,
      historyReplays,
      problems,
    };
  }

  /**
   * A Temporal call: `missing` when the workflow does not exist, `failed` when the workflow cannot answer
   * (a failing workflow task is itself a finding), 503 when Temporal cannot be reached.
   */
  private async workflowCall<T>(
    call: () => Promise<T>,
    caseId: string,
  ): Promise<{ value: T } | { missing: true } | { failed: string }> {
    try {
      return { value: await call() };
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return { missing: true };
      if (isUnavailable(error))
        throw new ApiError('unavailable', `Temporal did not answer for case ${caseId}; try again shortly.`);
      return { failed: error instanceof Error ? error.message : String(error) };
    }
  }
}

/** Value and context compared as the JSON both sides are (a query answer has no undefined fields). */
function sameSnapshot(a: CaseSnapshot, b: CaseSnapshot): boolean {
  const json = (s: CaseSnapshot) =>
    JSON.parse(JSON.stringify({ value: s.value, context: s.context })) as unknown;
  return isDeepStrictEqual(json(a), json(b));
}
