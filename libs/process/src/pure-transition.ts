import type { AnyActorScope, AnyMachineSnapshot, AnyStateMachine, EventObject } from 'xstate';

export interface ExecutableAction {
  type: string;
  params?: unknown;
}

/**
 * XState's pure `transition(machine, snapshot, event)` builds a throw-away actor (with an actor system
 * and an initial snapshot) on every call, which costs more than the transition itself. This does the
 * same with one inert scope per caller: nothing is ever started, scheduled or sent; the actions a
 * transition would run are only collected and handed back, exactly as `transition()` does.
 * `test/unit/pure-transition.test.ts` checks both give the same snapshots and actions.
 */
export function pureTransitions(machine: AnyStateMachine) {
  let collected: ExecutableAction[] = [];
  const inert = () => undefined;
  const system = {
    _sendInspectionEvent: inert,
    _register: inert,
    _unregister: inert,
    get: inert,
    scheduler: { schedule: inert, cancel: inert },
  };
  const scope = {
    self: { id: machine.id, sessionId: '', system, send: inert },
    id: '',
    sessionId: '',
    system,
    logger: inert,
    defer: inert,
    emit: inert,
    stopChild: inert,
    actionExecutor: (action: ExecutableAction) => void collected.push(action),
  } as unknown as AnyActorScope;

  return (snapshot: AnyMachineSnapshot, event: EventObject): [AnyMachineSnapshot, ExecutableAction[]] => {
    collected = [];
    const next = machine.transition(snapshot, event, scope) as AnyMachineSnapshot;
    return [next, collected];
  };
}
