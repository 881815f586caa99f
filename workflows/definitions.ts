import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor, CaseView } from '../libs/contracts/src';
import type { CaseSnapshot, VariantConfig } from '../libs/process/src';

/** What the API sends: the parsed command and who sends it. The workflow stamps the time. */
export interface EventEnvelope {
  type: string;
  payload: unknown;
  actor: Actor;
}

export interface CaseWorkflowInput {
  caseId: string;
  /** The pinned variant version: travels with the workflow, so a later publish never changes this case. */
  config: VariantConfig;
  opening: { caseworker: { sub: string; unit: string } };
  /** Carried over by continue-as-new; absent when the case is new. */
  snapshot?: CaseSnapshot;
  /** Upsert search attributes (they must be registered on the namespace). Default true. */
  indexed?: boolean;
  /** Continue-as-new when history passes this many events (default 2,000, or when the server suggests). */
  continueAsNewAfter?: number;
}

/** The failure type an Update carries when the process refuses an event; details[0] is the Rejection. */
export const TRANSITION_REJECTED = 'TransitionRejected';

export const applyEventUpdate = defineUpdate<CaseView, [EventEnvelope]>('applyEvent');
/** Answers once `case.opened` is in the audit log and the projection: the API opens a case with update-with-start. */
export const openedUpdate = defineUpdate<CaseView, []>('opened');
export const viewQuery = defineQuery<CaseView>('view');
export const snapshotQuery = defineQuery<CaseSnapshot>('snapshot');
