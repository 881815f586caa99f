import type { CloseReason, Participant, PromiseInput } from '../../contracts/src';
import { allPromises, anyOpen, promiseAtIndex, type PromiseList } from './promise-list';

export interface UserRef {
  sub: string;
  unit: string;
}

export type PromiseStatus = 'open' | 'kept' | 'notKept' | 'dropped';

/** A promise (lupaus) with its status and how many steps of its escalation ladder were taken. */
export interface PromiseRecord extends PromiseInput {
  id: string;
  status: PromiseStatus;
  note?: string;
  /** Ladder steps taken; kept on the promise so a case with thousands of promises updates one item. */
  laddered?: number;
}

/** Everything the process knows about a case. Plain JSON: it is persisted, folded and compared. */
export interface CaseContext {
  caseId: string;
  variant: { key: string; version: number };
  caseworker: UserRef;
  coordinators: UserRef[];
  agreement: {
    at: string;
    guardians: { name: string; consent: true }[];
    childConsulted: boolean;
    concerns: string[];
    questions: string[];
    professionals: { name: string; organisation: string }[];
  } | null;
  crisis: string | null;
  /** When a closed case was reconvened: the conference deadline counts from here instead of the agreement. */
  reconvenedAt: string | null;
  participants: Participant[];
  supportPerson: { name: string; forParticipantId: string } | null;
  summaries: {
    professional: string;
    organisation: string;
    disclosure: 'all' | 'partial' | 'none';
    oral: boolean;
  }[];
  meetingPlace: string | null;
  nextMeetingAt: string | null;
  childWishes: { text: string; recordedBy: 'child' | 'supportPerson' } | null;
  plan: { items: PromiseInput[]; rejections: number };
  promises: PromiseList;
  meetingsHeld: number;
  /** network-mapping: the meeting decided to close; the case closes once the plan letter is sent. */
  pendingClose: { reason: CloseReason; note?: string } | null;
  planLetterDueAt: string | null;
  /** Ladder steps already taken per case-level series `${kind}:${ref}` (promises keep theirs). */
  timers: Record<string, number>;
  closedReason: CloseReason | null;
  openedAt: string;
  updatedAt: string;
  /** Sequence number of the last accepted event; equals the audit log's seq. */
  seq: number;
}

export interface CaseInput {
  caseId: string;
  variant: { key: string; version: number };
  caseworker: UserRef;
  openedAt: string;
}

export function initialContext(input: CaseInput): CaseContext {
  return {
    caseId: input.caseId,
    variant: input.variant,
    caseworker: input.caseworker,
    coordinators: [],
    agreement: null,
    crisis: null,
    reconvenedAt: null,
    participants: [],
    supportPerson: null,
    summaries: [],
    meetingPlace: null,
    nextMeetingAt: null,
    childWishes: null,
    plan: { items: [], rejections: 0 },
    promises: [],
    meetingsHeld: 0,
    pendingClose: null,
    planLetterDueAt: null,
    timers: {},
    closedReason: null,
    openedAt: input.openedAt,
    updatedAt: input.openedAt,
    seq: 1,
  };
}

/** Ids of everyone a promise or an attendance can name: mapped participants and the case's users. */
export function knownParties(ctx: CaseContext): Set<string> {
  return new Set([
    ...ctx.participants.map((p) => p.id),
    ctx.caseworker.sub,
    ...ctx.coordinators.map((c) => c.sub),
  ]);
}

/** Every promise, flat, in id order. */
export function promisesOf(ctx: CaseContext): PromiseRecord[] {
  return allPromises(ctx.promises);
}

export function openPromises(ctx: CaseContext): PromiseRecord[] {
  return promisesOf(ctx).filter((p) => p.status === 'open');
}

/** A promise by id, or undefined. */
export function promiseById(ctx: CaseContext, id: string): PromiseRecord | undefined {
  return promiseAtIndex(ctx.promises, promiseIndex(ctx, id));
}

/** Position of a promise: ids are given in order (`p1`, `p2`, …), so `pN` sits at N-1. */
export function promiseIndex(ctx: CaseContext, id: string): number {
  const n = /^p[1-9]\d*$/.test(id) ? Number(id.slice(1)) - 1 : -1;
  return promiseAtIndex(ctx.promises, n)?.id === id ? n : promisesOf(ctx).findIndex((p) => p.id === id);
}

/** Whether any promise is open. */
export function hasOpenPromise(ctx: CaseContext): boolean {
  return anyOpen(ctx.promises);
}
