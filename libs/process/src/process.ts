import { getNextTransitions, type AnyMachineSnapshot, type AnyStateMachine, type StateValue } from 'xstate';
import {
  caseEventSchema,
  commandTypes,
  problemsOf,
  timerTypes,
  type CaseEvent,
  type Rejection,
} from '../../contracts/src';
import type { CaseContext, CaseInput } from './context';
import { pendingDeadlines, type Deadline } from './deadlines';
import { buildCaseMachine } from './machine';
import { pureTransitions } from './pure-transition';
import { effects as effectParams, type Effect, type EffectName } from './reducers';
import { rules, type RuleName } from './rules';
import type { VariantConfig } from './variant-config';

/** A case's state as plain JSON: the statechart's value and the case context. */
export interface CaseSnapshot {
  value: StateValue;
  context: CaseContext;
}

export type ApplyResult =
  | { snapshot: CaseSnapshot; effects: Effect[] }
  | { rejected: Rejection & { problems?: { path: string; message: string }[] } };

const machines = new WeakMap<VariantConfig, AnyStateMachine>();
const machinesByText = new Map<string, AnyStateMachine>();

/** The machine of a config, built once per config (by identity, then by content). */
export function machineOf(config: VariantConfig): AnyStateMachine {
  let machine = machines.get(config);
  if (machine) return machine;
  const text = JSON.stringify(config);
  machine = machinesByText.get(text);
  if (!machine) {
    machine = buildCaseMachine(config);
    if (machinesByText.size > 100) machinesByText.clear();
    machinesByText.set(text, machine);
  }
  machines.set(config, machine);
  return machine;
}

export function phaseOf(value: StateValue): string {
  return typeof value === 'string' ? value : (Object.keys(value)[0] ?? '');
}

interface GuardUse {
  name: RuleName;
  params: { phase?: string };
}

/** The named rules a transition's guard consists of, in order. */
function guardsOf(t: { guard?: unknown }): GuardUse[] {
  const g = t.guard as unknown;
  if (!g) return [];
  // XState's and() is a function carrying its parts in `guards`.
  const parts: unknown[] = typeof g === 'function' ? ((g as { guards?: unknown[] }).guards ?? []) : [g];
  return parts.map((p) =>
    typeof p === 'string'
      ? { name: p as RuleName, params: {} }
      : { name: (p as { type: RuleName }).type, params: (p as { params?: { phase?: string } }).params ?? {} },
  );
}

const isCommand = (type: string) => (commandTypes as string[]).includes(type);

/** The process as seen from one snapshot: what it allows and why it refuses. */
class Stepper {
  private readonly transition: ReturnType<typeof pureTransitions>;

  constructor(
    readonly config: VariantConfig,
    readonly machine: AnyStateMachine,
    public current: AnyMachineSnapshot,
  ) {
    this.transition = pureTransitions(machine);
  }

  get context(): CaseContext {
    return this.current.context as CaseContext;
  }

  candidates(type: string) {
    return getNextTransitions(this.current).filter((t) => t.eventType === type);
  }

  failingRule(uses: GuardUse[], event: CaseEvent, kinds: readonly string[]): GuardUse | undefined {
    return uses.find(
      (u) =>
        kinds.includes(rules[u.name].kind) &&
        !rules[u.name].check(this.context, event, this.config, u.params),
    );
  }

  allowedEvents(): string[] {
    const allowed = new Set<string>();
    for (const t of getNextTransitions(this.current)) {
      if (!isCommand(t.eventType) || allowed.has(t.eventType)) continue;
      if (!this.failingRule(guardsOf(t), { type: t.eventType } as CaseEvent, ['state']))
        allowed.add(t.eventType);
    }
    return commandTypes.filter((t) => allowed.has(t));
  }

  reject(rule: string, message: string, problems?: { path: string; message: string }[]): ApplyResult {
    return {
      rejected: {
        rule,
        message,
        state: this.current.value,
        allowedEvents: this.allowedEvents(),
        ...(problems ? { problems } : {}),
      },
    };
  }

  /** Why no transition takes this event: the first failing rule of the most fitting transition. */
  explain(event: CaseEvent): ApplyResult {
    const ts = this.candidates(event.type);
    if (ts.length === 0) {
      return this.reject(
        'eventAllowedInPhase',
        `${event.type} is not possible in ${phaseOf(this.current.value)}.`,
      );
    }
    const uses = ts.map(guardsOf);
    const fitting = uses.find((u) => !this.failingRule(u, event, ['branch'])) ?? uses[0] ?? [];
    const failing =
      this.failingRule(fitting, event, ['state', 'event']) ?? this.failingRule(fitting, event, ['branch']);
    const name = failing?.name ?? 'eventAllowedInPhase';
    return this.reject(name, failing ? rules[failing.name].message : `${event.type} was refused.`);
  }

  step(raw: unknown, validate: boolean): ApplyResult {
    let event = raw as CaseEvent;
    if (validate) {
      const parsed = caseEventSchema.safeParse(raw);
      if (!parsed.success) {
        return this.reject(
          'payloadMatchesSchema',
          'The event does not match its schema.',
          problemsOf(parsed.error),
        );
      }
      event = parsed.data as CaseEvent;
    }
    if ((timerTypes as string[]).includes(event.type) && event.actor.role !== 'system') {
      return this.reject(
        'timersRaisedByWorkflowOnly',
        'Reminders, escalations and deadlines are raised by the workflow only.',
      );
    }
    if (Date.parse(event.at) < Date.parse(this.context.updatedAt)) {
      return this.reject('timeMovesForward', 'An event cannot be earlier than the last accepted event.');
    }
    // XState picks the first transition whose rules hold, as `explain` reads them; it hands back the very
    // same snapshot when none does (every accepted event at least stamps seq and time).
    const [next, actions] = this.transition(this.current, event);
    if (next === this.current) return this.explain(event);
    this.current = next;
    const effects = actions
      .filter((a) => a.type in effectParams)
      .map((a) => ({ type: a.type as EffectName, params: (a.params ?? {}) as Record<string, unknown> }));
    return { snapshot: persist(next), effects };
  }
}

function persist(s: AnyMachineSnapshot): CaseSnapshot {
  return { value: s.value, context: s.context as CaseContext };
}

function stepperOf(config: VariantConfig, snapshot: CaseSnapshot): Stepper {
  const machine = machineOf(config);
  return new Stepper(
    config,
    machine,
    machine.resolveState({ value: snapshot.value, context: snapshot.context }),
  );
}

/** The snapshot of a newly opened case (history entry 1, `case.opened`). */
export function start(config: VariantConfig, input: Omit<CaseInput, 'variant'>): CaseSnapshot {
  const machine = machineOf(config);
  const full: CaseInput = { ...input, variant: { key: config.key, version: config.version } };
  return persist(machine.getInitialSnapshot({} as never, full));
}

/** The `case.opened` entry that `start` stands for, so that a history can be folded from its first line. */
export function openingEvent(config: VariantConfig, input: Omit<CaseInput, 'variant'>): CaseEvent {
  return {
    type: 'case.opened',
    at: input.openedAt,
    actor: { sub: input.caseworker.sub, role: 'caseworker' },
    payload: { variant: config.key, version: config.version, caseworker: input.caseworker },
  };
}

/** Applies one event: the next snapshot and the effects to run, or the rule that refused it. Never throws. */
export function apply(config: VariantConfig, snapshot: CaseSnapshot, event: unknown): ApplyResult {
  return stepperOf(config, snapshot).step(event, true);
}

export function allowedEvents(config: VariantConfig, snapshot: CaseSnapshot): string[] {
  return stepperOf(config, snapshot).allowedEvents();
}

/** Absolute due times of every pending timer step, earliest first. */
export function deadlinesOf(config: VariantConfig, snapshot: CaseSnapshot): Deadline[] {
  return pendingDeadlines(config, phaseOf(snapshot.value), snapshot.context);
}

/**
 * Folds a history (entry 1 is `case.opened`) into a snapshot. A stored history was validated when it was
 * accepted, so by default entries are not parsed again; a refused entry means the history is not one this
 * machine produced, and is reported with its position.
 */
export function fold(
  config: VariantConfig,
  caseId: string,
  history: readonly CaseEvent[],
  options: { validate?: boolean } = {},
): { snapshot: CaseSnapshot } | { brokenAt: number; rejected: Rejection } {
  const [raw, ...rest] = history;
  // The opening is always parsed: everything after it rests on its caseworker and time.
  const first = caseEventSchema.safeParse(raw);
  if (!first.success || first.data.type !== 'case.opened') {
    return {
      brokenAt: 0,
      rejected: {
        rule: 'historyStartsWithOpening',
        message: 'A history starts with case.opened.',
        state: null,
        allowedEvents: [],
      },
    };
  }
  const opened = first.data.payload as { caseworker: { sub: string; unit: string } };
  const initial = start(config, { caseId, caseworker: opened.caseworker, openedAt: first.data.at });
  const machine = machineOf(config);
  const stepper = new Stepper(config, machine, machine.resolveState(initial));
  for (let i = 0; i < rest.length; i++) {
    let result: ApplyResult;
    try {
      result = stepper.step(rest[i], options.validate ?? false);
    } catch {
      // A malformed stored entry (never accepted in this shape): let its schema say what is wrong.
      result = stepper.step(rest[i], true);
    }
    if ('rejected' in result) return { brokenAt: i + 1, rejected: result.rejected };
  }
  return { snapshot: persist(stepper.current) };
}
