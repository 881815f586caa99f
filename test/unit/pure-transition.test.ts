import { transition } from 'xstate';
import { builtInVariant, machineOf, start } from '../../libs/process/src';
import { pureTransitions } from '../../libs/process/src/pure-transition';
import { at, conferenceUpToPresentation, CW, ev, T0 } from '../support/scenarios';

describe('pureTransitions (one inert scope per fold)', () => {
  it('gives the same snapshots and actions as XState’s transition() for a whole conference', () => {
    const config = builtInVariant('fgc');
    const machine = machineOf(config);
    const step = pureTransitions(machine);
    let ours = machine.resolveState(start(config, { caseId: 'c1', caseworker: CW, openedAt: T0 }));
    let theirs = ours;
    const events = [
      ...conferenceUpToPresentation(config),
      ev('plan.approved', {}, at(2.2)),
      ev('plan.approved', {}, at(2.3)),
    ];
    for (const event of events) {
      const [a, actionsA] = step(ours, event);
      const [b, actionsB] = transition(machine, theirs, event);
      expect(a.value).toEqual(b.value);
      expect(a.context).toEqual(b.context);
      expect(actionsA.map((x) => [x.type, x.params])).toEqual(actionsB.map((x) => [x.type, x.params]));
      ours = a;
      theirs = b;
    }
    // The last event is refused: both hand back the very same snapshot.
    expect(step(ours, ev('plan.approved', {}, at(3)))[0]).toBe(ours);
  });

  it('collects effects (timer notifications) like transition() does', () => {
    const config = builtInVariant('network-meeting');
    const machine = machineOf(config);
    const step = pureTransitions(machine);
    const s0 = machine.resolveState(start(config, { caseId: 'c2', caseworker: CW, openedAt: T0 }));
    const mapped = ev(
      'participants.mapped',
      { participants: [{ id: 'mother', name: 'M', relation: 'mother', side: 'family' }] },
      at(0.1),
    );
    const [s1] = step(s0, mapped);
    const [s2] = step(s1, ev('meeting.scheduled', { at: at(2), place: 'Office' }, at(0.2)));
    const held = ev(
      'meeting.held',
      {
        attendees: ['mother'],
        reviews: [],
        newPromises: [{ what: 'x', owner: 'mother', verifier: 'cw1', dueAt: at(5) }],
        nextMeetingAt: at(14),
      },
      at(2),
    );
    const [, ours] = step(s2, held);
    const [, theirs] = transition(machine, s2, held);
    expect(ours.map((a) => a.type)).toEqual(['renderMemo']);
    expect(ours.map((a) => a.params)).toEqual(theirs.map((a) => a.params));
  });
});
