/**
 * Promises (lupaukset) in every variant: made, kept, not kept; a resolved promise leaves the escalation
 * ladder (contract.md "Escalation ladder": its remaining steps are cancelled).
 */
import { allowedEvents, apply, deadlinesOf, type CaseSnapshot, promisesOf } from '../../../libs/process/src';
import {
  accepted,
  actors,
  applyAll,
  at,
  conferenceUpToFollowUp,
  ev,
  fgc,
  foldAll,
  networkMeeting,
  networkMeetingFirstMeeting,
  networkMeetingUpToMeeting,
  refusedBy,
  seriesOf,
  timerEvent,
} from '../../support/scenarios';

/** Follow-up with p1 (grandma, verifier co1, due day 30) and p2 (mother, verifier teacher, due day 20). */
const followUp = (): CaseSnapshot => foldAll(fgc(), conferenceUpToFollowUp(fgc()));
const promise = {
  what: 'mother calls the school every Monday',
  owner: 'mother',
  verifier: 'co1',
  dueAt: at(40),
};

describe('promise.made', () => {
  it('makePromise adds an open promise with the next id', () => {
    const { snapshot } = accepted(fgc(), followUp(), ev('promise.made', promise, at(10), actors.co));
    expect(promisesOf(snapshot.context)[2]).toEqual({ ...promise, id: 'p3', status: 'open' });
    expect(seriesOf(fgc(), snapshot, 'promise', 'p3')[0]).toMatchObject({ dueAt: at(40), level: 'reminder' });
  });

  it.each([
    ['owner', { owner: 'neighbour' }],
    ['verifier', { verifier: 'neighbour' }],
  ])(
    'rule 12: a promise whose %s takes no part in the case is refused (promisePartiesKnown)',
    (_field, change) => {
      refusedBy(
        apply(fgc(), followUp(), ev('promise.made', { ...promise, ...change }, at(10), actors.co)),
        'promisePartiesKnown',
      );
    },
  );

  it('rule 12: a promise says by when, in the future (promiseDueInFuture)', () => {
    refusedBy(
      apply(fgc(), followUp(), ev('promise.made', { ...promise, dueAt: at(10) }, at(10), actors.co)),
      'promiseDueInFuture',
    );
  });

  it('a promise has what, owner, verifier and dueAt', () => {
    const { verifier: _v, ...withoutVerifier } = promise;
    const rejection = refusedBy(
      apply(fgc(), followUp(), { ...ev('promise.made', promise, at(10)), payload: withoutVerifier } as never),
      'payloadMatchesSchema',
    );
    expect(rejection.problems?.map((p) => p.path)).toEqual(['payload.verifier']);
  });
});

describe('promise.kept and promise.notKept', () => {
  it('keepPromise marks the promise kept with its note', () => {
    const { snapshot } = accepted(
      fgc(),
      followUp(),
      ev('promise.kept', { promiseId: 'p2', note: 'met the teacher' }, at(19)),
    );
    expect(promisesOf(snapshot.context)[1]).toMatchObject({
      id: 'p2',
      status: 'kept',
      note: 'met the teacher',
    });
    expect(promisesOf(snapshot.context)[0]).toMatchObject({ id: 'p1', status: 'open' });
  });

  it('markPromiseNotKept marks the promise not kept, keeping the new solution as its note', () => {
    const { snapshot } = accepted(
      fgc(),
      followUp(),
      ev('promise.notKept', { promiseId: 'p2', newSolution: 'grandma goes instead' }, at(21)),
    );
    expect(promisesOf(snapshot.context)[1]).toMatchObject({
      id: 'p2',
      status: 'notKept',
      note: 'grandma goes instead',
    });
  });

  it.each([
    ['a promise already kept', 'p2'],
    ['an unknown promise', 'p7'],
  ])('%s cannot be marked (promiseIsOpen)', (_what, id) => {
    const snapshot = applyAll(fgc(), followUp(), [ev('promise.kept', { promiseId: 'p2' }, at(19))]);
    refusedBy(apply(fgc(), snapshot, ev('promise.kept', { promiseId: id }, at(20))), 'promiseIsOpen');
    refusedBy(apply(fgc(), snapshot, ev('promise.notKept', { promiseId: id }, at(20))), 'promiseIsOpen');
  });

  it('with no open promise, marking is not allowed at all (someOpenPromise)', () => {
    const snapshot = applyAll(fgc(), followUp(), [
      ev('promise.kept', { promiseId: 'p1' }, at(19)),
      ev('promise.notKept', { promiseId: 'p2' }, at(21)),
    ]);
    expect(allowedEvents(fgc(), snapshot)).toEqual(['meeting.held', 'promise.made', 'case.closed']);
    const rejection = refusedBy(
      apply(fgc(), snapshot, ev('promise.kept', { promiseId: 'p1' }, at(22))),
      'someOpenPromise',
    );
    expect(rejection.allowedEvents).toEqual(['meeting.held', 'promise.made', 'case.closed']);
  });
});

describe('escalation steps stop when a promise is resolved', () => {
  it('a promise’s ladder: reminder at dueAt, then lapsed, coordinator and supervisor', () => {
    expect(
      seriesOf(fgc(), followUp(), 'promise', 'p2').map((d) => [d.level, d.dueAt, d.event.payload.recipients]),
    ).toEqual([
      ['reminder', at(20), ['mother', 'teacher']],
      ['lapsed', at(23), ['cw1']],
      ['coordinator', at(27), ['co1', 'co2']],
      ['supervisor', at(34), ['role:supervisor@north']],
    ]);
  });

  it('after promise.kept deadlinesOf lists no step of that promise', () => {
    const { snapshot } = accepted(fgc(), followUp(), ev('promise.kept', { promiseId: 'p2' }, at(19)));
    expect(deadlinesOf(fgc(), snapshot).filter((d) => d.ref === 'p2')).toEqual([]);
    expect(seriesOf(fgc(), snapshot, 'promise', 'p1')).toHaveLength(4);
  });

  it('after promise.notKept deadlinesOf lists no step of that promise', () => {
    const { snapshot } = accepted(
      fgc(),
      followUp(),
      ev('promise.notKept', { promiseId: 'p2', newSolution: 'grandma goes' }, at(19)),
    );
    expect(seriesOf(fgc(), snapshot, 'promise', 'p2')).toEqual([]);
  });

  it('a promise kept after its reminder and lapse has no further steps', () => {
    let snapshot = followUp();
    for (const level of ['reminder', 'lapsed']) {
      const [next] = seriesOf(fgc(), snapshot, 'promise', 'p2');
      expect(next?.level).toBe(level);
      snapshot = accepted(fgc(), snapshot, timerEvent(next!)).snapshot;
    }
    expect(seriesOf(fgc(), snapshot, 'promise', 'p2').map((d) => d.level)).toEqual([
      'coordinator',
      'supervisor',
    ]);
    snapshot = accepted(fgc(), snapshot, ev('promise.kept', { promiseId: 'p2' }, at(24))).snapshot;
    expect(seriesOf(fgc(), snapshot, 'promise', 'p2')).toEqual([]);
  });

  it('a stale step of a resolved promise is refused (timerStepDue)', () => {
    const before = followUp();
    const [reminder] = seriesOf(fgc(), before, 'promise', 'p2');
    const { snapshot } = accepted(fgc(), before, ev('promise.kept', { promiseId: 'p2' }, at(19)));
    refusedBy(apply(fgc(), snapshot, timerEvent(reminder!)), 'timerStepDue');
  });

  it('a promise reviewed at a network meeting leaves its ladder', () => {
    const config = networkMeeting();
    const snapshot = foldAll(config, [...networkMeetingUpToMeeting(), networkMeetingFirstMeeting()]);
    expect(seriesOf(config, snapshot, 'promise', 'p1')).toHaveLength(4);
    const { snapshot: next } = accepted(config, snapshot, ev('promise.kept', { promiseId: 'p1' }, at(10)));
    expect(seriesOf(config, next, 'promise', 'p1')).toEqual([]);
    expect(seriesOf(config, next, 'promise', 'p2')).toHaveLength(4);
  });
});
