/**
 * fgc and acute, phase `preparation` (valmisteluvaihe): the agreement, coordinators, network mapping,
 * support person, summaries and the scheduled meeting that must all exist before the conference opens.
 */
import { allowedEvents, apply, type CaseSnapshot } from '../../../libs/process/src';
import {
  accepted,
  actors,
  acute,
  agreement,
  at,
  CW,
  derived,
  ev,
  family,
  fgc,
  fgcConfig,
  foldAll,
  opened,
  refusedBy,
  seriesOf,
  timerEvent,
  withPayload,
} from '../../support/scenarios';

const steps = {
  agreement: ev('agreement.recorded', agreement, at(0.1)),
  coordinator1: ev('coordinator.assigned', { coordinatorId: 'co1', unit: 'south' }, at(1)),
  coordinator2: ev('coordinator.assigned', { coordinatorId: 'co2', unit: 'east' }, at(1)),
  mapping: ev('participants.mapped', { participants: family }, at(1.1), actors.co),
  supportPerson: ev(
    'supportPerson.appointed',
    { name: 'Testi Mummo', forParticipantId: 'child' },
    at(1.2),
    actors.co,
  ),
  summary: ev(
    'summary.received',
    { professional: 'Testi Opettaja', organisation: 'School', disclosure: 'partial' },
    at(1.3),
    actors.co,
  ),
  meeting: ev('meeting.scheduled', { at: at(2), place: 'Library' }, at(1.4), actors.co),
};
type Step = keyof typeof steps;

const openConference = ev(
  'conference.opened',
  { attendees: ['child', 'mother', 'grandma', 'co1'] },
  at(2),
  actors.co,
);

function fgcPreparedWithout(...missing: Step[]): CaseSnapshot {
  return foldAll(
    fgc(),
    (Object.keys(steps) as Step[]).filter((k) => !missing.includes(k)).map((k) => steps[k]),
  );
}

describe('fgc preparation: the agreement comes first', () => {
  it('a new case allows only recording the agreement (or closing)', () => {
    expect(allowedEvents(fgc(), opened(fgc()))).toEqual(['agreement.recorded', 'case.closed']);
  });

  it('recordAgreement stores the agreement with its time and moves to preparing', () => {
    const { snapshot } = accepted(fgc(), opened(fgc()), steps.agreement);
    expect(snapshot.value).toEqual({ preparation: 'preparing' });
    expect(snapshot.context.agreement).toEqual({ at: at(0.1), ...agreement });
    expect(snapshot.context.crisis).toBeNull();
  });

  it.each([
    ['coordinator.assigned', steps.coordinator1],
    ['participants.mapped', steps.mapping],
    ['supportPerson.appointed', steps.supportPerson],
    ['summary.received', steps.summary],
    ['meeting.scheduled', steps.meeting],
  ])('rule 6: %s before the agreement is refused (agreementRecorded)', (_type, event) => {
    const rejection = refusedBy(apply(fgc(), opened(fgc()), event), 'agreementRecorded');
    expect(rejection.allowedEvents).toEqual(['agreement.recorded', 'case.closed']);
    expect(rejection.state).toEqual({ preparation: 'awaitingAgreement' });
  });

  it('the agreement is recorded once', () => {
    refusedBy(apply(fgc(), fgcPreparedWithout(), { ...steps.agreement, at: at(1.5) }), 'eventAllowedInPhase');
  });

  it.each([
    [
      'a guardian without consent',
      { ...agreement, guardians: [{ name: 'Isä', consent: false }] },
      'payload.guardians.0.consent',
    ],
    ['no guardian', { ...agreement, guardians: [] }, 'payload.guardians'],
    ['no concern', { ...agreement, concerns: [] }, 'payload.concerns'],
    ['no question', { ...agreement, questions: [] }, 'payload.questions'],
    [
      'no word on consulting the child',
      { ...agreement, childConsulted: undefined },
      'payload.childConsulted',
    ],
  ])('an agreement with %s does not match its schema', (_what, payload, path) => {
    const r = refusedBy(apply(fgc(), opened(fgc()), { ...steps.agreement, payload }), 'payloadMatchesSchema');
    expect(r.problems?.map((p) => p.path)).toContain(path);
  });
});

describe('fgc preparation: coordinators (koollekutsujat)', () => {
  const afterAgreement = () => foldAll(fgc(), [steps.agreement]);

  it("rule 1: a coordinator may not belong to the caseworker's unit", () => {
    const r = apply(
      fgc(),
      afterAgreement(),
      ev('coordinator.assigned', { coordinatorId: 'co9', unit: CW.unit }, at(1)),
    );
    const rejection = refusedBy(r, 'coordinatorOutsideCaseworkerUnit');
    expect(rejection.allowedEvents).toContain('coordinator.assigned');
  });

  it("rule 1: the unit comparison ignores case and surrounding spaces (' North ' is the caseworker's unit north)", () => {
    const r = apply(
      fgc(),
      afterAgreement(),
      ev('coordinator.assigned', { coordinatorId: 'co9', unit: ' North ' }, at(1)),
    );
    refusedBy(r, 'coordinatorOutsideCaseworkerUnit');
  });

  it("rule 1: the case's own social worker cannot coordinate it", () => {
    const r = apply(
      fgc(),
      afterAgreement(),
      ev('coordinator.assigned', { coordinatorId: CW.sub, unit: 'south' }, at(1)),
    );
    refusedBy(r, 'coordinatorIndependentOfCaseworker');
  });

  it('rule 1: the unit rule is a setting of the variant (coordinatorFromOtherUnit: false allows the same unit)', () => {
    const lenient = derived(fgcConfig(), (c) => {
      c.rules.coordinatorFromOtherUnit = false;
    });
    const snapshot = foldAll(lenient, [steps.agreement]);
    const { snapshot: next } = accepted(
      lenient,
      snapshot,
      ev('coordinator.assigned', { coordinatorId: 'co9', unit: CW.unit }, at(1)),
    );
    expect(next.context.coordinators).toEqual([{ sub: 'co9', unit: CW.unit }]);
  });

  it('the same coordinator is not assigned twice', () => {
    const snapshot = foldAll(fgc(), [steps.agreement, steps.coordinator1]);
    refusedBy(apply(fgc(), snapshot, steps.coordinator1), 'coordinatorNotYetAssigned');
  });

  it('assignCoordinator records each coordinator with its unit', () => {
    const snapshot = foldAll(fgc(), [steps.agreement, steps.coordinator1, steps.coordinator2]);
    expect(snapshot.context.coordinators).toEqual([
      { sub: 'co1', unit: 'south' },
      { sub: 'co2', unit: 'east' },
    ]);
  });

  it('rule 2: fgc works in pairs, so a third coordinator is refused and no longer allowed', () => {
    const snapshot = foldAll(fgc(), [steps.agreement, steps.coordinator1, steps.coordinator2]);
    expect(allowedEvents(fgc(), snapshot)).not.toContain('coordinator.assigned');
    const rejection = refusedBy(
      apply(fgc(), snapshot, ev('coordinator.assigned', { coordinatorId: 'co3', unit: 'west' }, at(1.5))),
      'coordinatorPlaceOpen',
    );
    expect(rejection.allowedEvents).not.toContain('coordinator.assigned');
  });
});

describe('fgc preparation: network mapping, support person and summaries (rules 5 and 6)', () => {
  it('rule 6: the mapping needs at least one family member (the family decides who is invited)', () => {
    const onlyProfessionals = family.filter((p) => p.side === 'professional');
    const r = apply(
      fgc(),
      foldAll(fgc(), [steps.agreement]),
      withPayload(steps.mapping, { participants: onlyProfessionals }),
    );
    const rejection = refusedBy(r, 'payloadMatchesSchema');
    expect(rejection.problems).toEqual([
      { path: 'payload.participants', message: 'needs at least one family member' },
    ]);
  });

  it('participant ids are unique', () => {
    const twice = [family[0]!, family[0]!];
    const r = apply(
      fgc(),
      foldAll(fgc(), [steps.agreement]),
      withPayload(steps.mapping, { participants: twice }),
    );
    expect(refusedBy(r, 'payloadMatchesSchema').problems?.map((p) => p.message)).toContain(
      'participant ids must be unique',
    );
  });

  it('mapParticipants replaces the list when the family changes its mind', () => {
    const smaller = family.slice(0, 2);
    const snapshot = foldAll(fgc(), [
      steps.agreement,
      steps.mapping,
      withPayload({ ...steps.mapping, at: at(1.15) }, { participants: smaller }),
    ]);
    expect(snapshot.context.participants).toEqual(smaller);
  });

  it('rule 5: the support person is appointed only after mapping (participantsMapped)', () => {
    const snapshot = foldAll(fgc(), [steps.agreement]);
    expect(allowedEvents(fgc(), snapshot)).not.toContain('supportPerson.appointed');
    const rejection = refusedBy(apply(fgc(), snapshot, steps.supportPerson), 'participantsMapped');
    expect(rejection.allowedEvents).toContain('participants.mapped');
  });

  it.each([
    ['a professional', 'teacher'],
    ['someone not mapped', 'neighbour'],
  ])(
    'rule 5: the support person is not appointed for %s (supportPersonForMappedFamilyMember)',
    (_who, id) => {
      const snapshot = foldAll(fgc(), [steps.agreement, steps.mapping]);
      const r = apply(
        fgc(),
        snapshot,
        withPayload(steps.supportPerson, { name: 'Testi Mummo', forParticipantId: id }),
      );
      refusedBy(r, 'supportPersonForMappedFamilyMember');
    },
  );

  it('appointSupportPerson records the avustaja for the child', () => {
    const snapshot = foldAll(fgc(), [steps.agreement, steps.mapping, steps.supportPerson]);
    expect(snapshot.context.supportPerson).toEqual({ name: 'Testi Mummo', forParticipantId: 'child' });
  });

  it('rule 6: a summary comes from a professional named in the agreement', () => {
    const r = apply(
      fgc(),
      foldAll(fgc(), [steps.agreement]),
      withPayload(steps.summary, { professional: 'Someone Else', organisation: 'Clinic', disclosure: 'all' }),
    );
    refusedBy(r, 'summaryFromAgreedProfessional');
  });

  it('rule 6: the professional is matched by name regardless of case and spaces', () => {
    const { snapshot } = accepted(
      fgc(),
      foldAll(fgc(), [steps.agreement]),
      withPayload(steps.summary, {
        professional: ' testi opettaja ',
        organisation: 'School',
        disclosure: 'none',
      }),
    );
    expect(snapshot.context.summaries).toHaveLength(1);
  });

  it("rule 6: every summary carries the family's disclosure decision", () => {
    const r = apply(
      fgc(),
      foldAll(fgc(), [steps.agreement]),
      withPayload(steps.summary, { professional: 'Testi Opettaja', organisation: 'School' }),
    );
    expect(refusedBy(r, 'payloadMatchesSchema').problems?.map((p) => p.path)).toEqual(['payload.disclosure']);
  });

  it('fgc needs written summaries (oralSummaryAllowed)', () => {
    const r = apply(
      fgc(),
      foldAll(fgc(), [steps.agreement]),
      withPayload(steps.summary, {
        professional: 'Testi Opettaja',
        organisation: 'School',
        disclosure: 'all',
        oral: true,
      }),
    );
    refusedBy(r, 'oralSummaryAllowed');
  });

  it('receiveSummary keeps one summary per professional: a later one replaces the earlier', () => {
    const later = withPayload(
      { ...steps.summary, at: at(1.35) },
      { professional: 'Testi Opettaja', organisation: 'School', disclosure: 'all' as const },
    );
    const snapshot = foldAll(fgc(), [steps.agreement, steps.summary, later]);
    expect(snapshot.context.summaries).toEqual([
      { professional: 'Testi Opettaja', organisation: 'School', disclosure: 'all', oral: false },
    ]);
  });
});

describe('fgc preparation: the meeting is scheduled', () => {
  it.each([
    ['in the past', at(1)],
    ['at the same instant', at(1.4)],
  ])('a meeting %s is refused (meetingInFuture)', (_when, time) => {
    const r = apply(
      fgc(),
      foldAll(fgc(), [steps.agreement]),
      withPayload(steps.meeting, { at: time, place: 'Library' }),
    );
    refusedBy(r, 'meetingInFuture');
  });

  it('scheduleMeeting records the time and place', () => {
    const snapshot = foldAll(fgc(), [steps.agreement, steps.meeting]);
    expect(snapshot.context.nextMeetingAt).toBe(at(2));
    expect(snapshot.context.meetingPlace).toBe('Library');
  });
});

describe('fgc: the conference opens only when preparation is complete (one missing prerequisite each)', () => {
  it('the conference cannot open before the agreement (agreementRecorded)', () => {
    const rejection = refusedBy(apply(fgc(), opened(fgc()), openConference), 'agreementRecorded');
    expect(rejection.allowedEvents).toEqual(['agreement.recorded', 'case.closed']);
  });

  it('rule 2: the conference cannot open with one coordinator of two (coordinatorsAssigned)', () => {
    const snapshot = fgcPreparedWithout('coordinator2');
    expect(allowedEvents(fgc(), snapshot)).not.toContain('conference.opened');
    const rejection = refusedBy(apply(fgc(), snapshot, openConference), 'coordinatorsAssigned');
    expect(rejection.allowedEvents).toContain('coordinator.assigned');
  });

  it('rule 2: the conference cannot open without any coordinator (coordinatorsAssigned)', () => {
    refusedBy(
      apply(fgc(), fgcPreparedWithout('coordinator1', 'coordinator2'), openConference),
      'coordinatorsAssigned',
    );
  });

  it('rule 6: the conference cannot open before the participants are mapped (participantsMapped)', () => {
    const snapshot = fgcPreparedWithout('mapping', 'supportPerson');
    refusedBy(
      apply(fgc(), snapshot, withPayload(openConference, { attendees: ['co1'] })),
      'participantsMapped',
    );
  });

  it('rule 5: the conference cannot open without a support person for the child (supportPersonAppointed)', () => {
    refusedBy(apply(fgc(), fgcPreparedWithout('supportPerson'), openConference), 'supportPersonAppointed');
  });

  it("rule 6: the conference cannot open before every professional's summary is in (summariesReceived)", () => {
    refusedBy(apply(fgc(), fgcPreparedWithout('summary'), openConference), 'summariesReceived');
  });

  it('the conference cannot open before the meeting is scheduled (meetingScheduled)', () => {
    refusedBy(apply(fgc(), fgcPreparedWithout('meeting'), openConference), 'meetingScheduled');
  });

  it('attendees are mapped participants or the case’s workers (attendeesKnown)', () => {
    const r = apply(
      fgc(),
      fgcPreparedWithout(),
      withPayload(openConference, { attendees: ['child', 'stranger'] }),
    );
    refusedBy(r, 'attendeesKnown');
  });

  it('with everything in place the conference opens: phase information, the meeting date consumed (openConference)', () => {
    const prepared = fgcPreparedWithout();
    expect(allowedEvents(fgc(), prepared)).toContain('conference.opened');
    const { snapshot } = accepted(fgc(), prepared, openConference);
    expect(snapshot.value).toBe('information');
    expect(snapshot.context.nextMeetingAt).toBeNull();
  });

  it('the conference deadline (6 weeks from the agreement) runs in preparation and stops when the conference opens', () => {
    const prepared = fgcPreparedWithout();
    const [first] = seriesOf(fgc(), prepared, 'conference');
    expect(first).toMatchObject({
      dueAt: at(42.1),
      event: { type: 'deadline.reached', payload: { kind: 'conference', ref: 'conference' } },
    });
    const { snapshot } = accepted(fgc(), prepared, openConference);
    expect(seriesOf(fgc(), snapshot, 'conference')).toEqual([]);
  });

  it('a variant without the support-person rule opens without one', () => {
    const noAvustaja = derived(fgcConfig(), (c) => {
      c.rules.supportPersonRequired = false;
    });
    const snapshot = foldAll(
      noAvustaja,
      (Object.keys(steps) as Step[]).filter((k) => k !== 'supportPerson').map((k) => steps[k]),
    );
    expect(accepted(noAvustaja, snapshot, openConference).snapshot.value).toBe('information');
  });

  it('a professional-free agreement needs no summaries', () => {
    const noProfessionals = ev('agreement.recorded', { ...agreement, professionals: [] }, at(0.1));
    const snapshot = foldAll(fgc(), [
      noProfessionals,
      steps.coordinator1,
      steps.coordinator2,
      steps.mapping,
      steps.supportPerson,
      steps.meeting,
    ]);
    expect(accepted(fgc(), snapshot, openConference).snapshot.value).toBe('information');
  });
});

describe('acute (akuuttineuvonpito): a recorded crisis, one coordinator, oral summaries', () => {
  const crisis = 'emergency placement on 4 January';
  const acuteAgreement = ev('agreement.recorded', { ...agreement, crisis }, at(0.1));
  const acutePrepared = () =>
    foldAll(acute(), [
      acuteAgreement,
      steps.coordinator1,
      steps.mapping,
      steps.supportPerson,
      steps.summary,
      steps.meeting,
    ]);

  it('acute needs the crisis or emergency placement in the agreement (crisisGivenWhenRequired)', () => {
    const rejection = refusedBy(apply(acute(), opened(acute()), steps.agreement), 'crisisGivenWhenRequired');
    expect(rejection.allowedEvents).toEqual(['agreement.recorded', 'case.closed']);
  });

  it('recordAgreement keeps the crisis apart from the agreement', () => {
    const { snapshot } = accepted(acute(), opened(acute()), acuteAgreement);
    expect(snapshot.context.crisis).toBe(crisis);
    expect(snapshot.context.agreement).toEqual({ at: at(0.1), ...agreement });
  });

  it('fgc accepts an agreement that mentions a crisis too', () => {
    expect(accepted(fgc(), opened(fgc()), acuteAgreement).snapshot.context.crisis).toBe(crisis);
  });

  it('rule 2: one coordinator is enough for acute, and a second is refused (coordinatorPlaceOpen)', () => {
    const snapshot = acutePrepared();
    expect(allowedEvents(acute(), snapshot)).toContain('conference.opened');
    refusedBy(apply(acute(), snapshot, { ...steps.coordinator2, at: at(1.5) }), 'coordinatorPlaceOpen');
    expect(accepted(acute(), snapshot, openConference).snapshot.value).toBe('information');
  });

  it('acute still refuses a coordinator from the caseworker’s unit (rule 1)', () => {
    const snapshot = foldAll(acute(), [acuteAgreement]);
    refusedBy(
      apply(acute(), snapshot, ev('coordinator.assigned', { coordinatorId: 'co9', unit: 'north' }, at(1))),
      'coordinatorOutsideCaseworkerUnit',
    );
  });

  it('acute accepts oral summaries (recorded as oral)', () => {
    const oral = withPayload(steps.summary, {
      professional: 'Testi Opettaja',
      organisation: 'School',
      disclosure: 'all' as const,
      oral: true,
    });
    const { snapshot } = accepted(acute(), foldAll(acute(), [acuteAgreement]), oral);
    expect(snapshot.context.summaries[0]?.oral).toBe(true);
  });

  it('the conference cannot open for acute without the recorded crisis (crisisRecorded)', () => {
    const prepared = acutePrepared();
    const tampered: CaseSnapshot = { ...prepared, context: { ...prepared.context, crisis: null } };
    expect(allowedEvents(acute(), tampered)).not.toContain('conference.opened');
    refusedBy(apply(acute(), tampered, openConference), 'crisisRecorded');
  });

  it('the acute conference is due 72 hours after the agreement', () => {
    const [first] = seriesOf(acute(), acutePrepared(), 'conference');
    expect(first?.dueAt).toBe(new Date(Date.parse(at(0.1)) + 72 * 3_600_000).toISOString());
  });

  it('the conference deadline ladder is taken by the workflow in preparation (recordTimerStep)', () => {
    const prepared = acutePrepared();
    const [first] = seriesOf(acute(), prepared, 'conference');
    const { snapshot } = accepted(acute(), prepared, timerEvent(first!));
    expect(snapshot.context.timers).toEqual({ 'conference:conference': 1 });
    expect(seriesOf(acute(), snapshot, 'conference')[0]).toMatchObject({
      level: 'lapsed',
      event: { type: 'escalation.raised' },
    });
  });
});
