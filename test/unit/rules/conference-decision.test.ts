/**
 * fgc and acute, the conference meeting itself: information (tiedonanto), private deliberation
 * (läheisten neuvonpito) and presentation with the caseworker's approval or rejection.
 */
import {
  addDuration,
  allowedEvents,
  apply,
  type CaseSnapshot,
  type VariantConfig,
  promisesOf,
} from '../../../libs/process/src';
import {
  accepted,
  actors,
  acute,
  applyAll,
  at,
  conferenceUpToPresentation,
  derived,
  ev,
  fgc,
  fgcConfig,
  foldAll,
  refusedBy,
  withPayload,
} from '../../support/scenarios';

/** Events of `conferenceUpToPresentation` up to (not including) the first event of `type`. */
function upTo(config: VariantConfig, type: string): CaseSnapshot {
  const events = conferenceUpToPresentation(config);
  return foldAll(
    config,
    events.slice(
      0,
      events.findIndex((e) => e.type === type),
    ),
  );
}

const plan = (items: Partial<typeof item>[]) => ({ plan: { items } });
const item = { what: 'grandma takes the child to school', owner: 'grandma', verifier: 'co1', dueAt: at(30) };
/** `deliberation.completed` with any payload, well-formed or not. */
const deliberate = (payload: unknown, when = at(2.1)) =>
  withPayload(ev('deliberation.completed', { plan: { items: [item] } }, when, actors.co), payload);
const approve = (when = at(2.2), firstFollowUpAt?: string) =>
  ev('plan.approved', firstFollowUpAt ? { firstFollowUpAt } : {}, when);
const reject = (when: string) =>
  ev('plan.rejected', { reasons: ['nobody takes the child to school on Fridays'] }, when);

describe('information (tiedonanto): the child’s voice (rule 5)', () => {
  it('information allows only completing it (or closing)', () => {
    expect(allowedEvents(fgc(), upTo(fgc(), 'information.completed'))).toEqual([
      'information.completed',
      'case.closed',
    ]);
  });

  it('recordChildWishes stores the wishes and who told them, then the family deliberates', () => {
    const snapshot = upTo(fgc(), 'information.completed');
    const { snapshot: next } = accepted(
      fgc(),
      snapshot,
      ev(
        'information.completed',
        { childWishes: 'to stay at home', recordedBy: 'supportPerson' },
        at(2.05),
        actors.co,
      ),
    );
    expect(next.value).toBe('privateDeliberation');
    expect(next.context.childWishes).toEqual({ text: 'to stay at home', recordedBy: 'supportPerson' });
  });

  describe('in a variant where the support person is optional', () => {
    const optional = () =>
      derived(fgcConfig(), (c) => {
        c.rules.supportPersonRequired = false;
      });
    const withoutAvustaja = () => {
      const config = optional();
      const events = conferenceUpToPresentation(config).filter((e) => e.type !== 'supportPerson.appointed');
      return foldAll(
        config,
        events.slice(
          0,
          events.findIndex((e) => e.type === 'information.completed'),
        ),
      );
    };

    it('rule 5: the child’s wishes are told by the support person only if one was appointed (childVoiceAvailable)', () => {
      const r = apply(
        optional(),
        withoutAvustaja(),
        ev(
          'information.completed',
          { childWishes: 'to stay', recordedBy: 'supportPerson' },
          at(2.05),
          actors.co,
        ),
      );
      const rejection = refusedBy(r, 'childVoiceAvailable');
      expect(rejection.allowedEvents).toEqual(['information.completed', 'case.closed']);
    });

    it('rule 5: the child may always tell the wishes personally', () => {
      const r = accepted(
        optional(),
        withoutAvustaja(),
        ev('information.completed', { childWishes: 'to stay', recordedBy: 'child' }, at(2.05), actors.co),
      );
      expect(r.snapshot.value).toBe('privateDeliberation');
    });
  });
});

describe('private deliberation (rule 7): only the family’s plan or its failure is recorded', () => {
  const deliberating = () => upTo(fgc(), 'deliberation.completed');

  it('rule 7: only deliberation.completed or deliberation.failed can be recorded', () => {
    expect(allowedEvents(fgc(), deliberating())).toEqual(['deliberation.completed', 'deliberation.failed']);
  });

  it('rule 7: the absent caseworker cannot close the case during private deliberation', () => {
    const rejection = refusedBy(
      apply(fgc(), deliberating(), ev('case.closed', { reason: 'other' }, at(2.1))),
      'eventAllowedInPhase',
    );
    expect(rejection.allowedEvents).toEqual(['deliberation.completed', 'deliberation.failed']);
    expect(rejection.state).toBe('privateDeliberation');
  });

  it('the caseworker cannot approve before the plan is presented', () => {
    refusedBy(apply(fgc(), deliberating(), approve(at(2.1))), 'eventAllowedInPhase');
  });

  it('recordPlan keeps the plan and moves to presentation', () => {
    const { snapshot } = accepted(fgc(), deliberating(), deliberate(plan([item])));
    expect(snapshot.value).toBe('presentation');
    expect(snapshot.context.plan).toEqual({ items: [item], rejections: 0 });
  });

  it.each(['what', 'owner', 'verifier', 'dueAt'] as const)(
    'rule 10: a plan item without %s does not match its schema (payloadMatchesSchema names the field)',
    (field) => {
      const { [field]: _dropped, ...rest } = item;
      const rejection = refusedBy(
        apply(fgc(), deliberating(), deliberate(plan([item, rest]))),
        'payloadMatchesSchema',
      );
      expect(rejection.problems?.map((p) => p.path)).toEqual([`payload.plan.items.1.${field}`]);
      expect(rejection.allowedEvents).toEqual(['deliberation.completed', 'deliberation.failed']);
    },
  );

  it('rule 8: a plan has at least one item', () => {
    const rejection = refusedBy(apply(fgc(), deliberating(), deliberate(plan([]))), 'payloadMatchesSchema');
    expect(rejection.problems?.map((p) => p.path)).toEqual(['payload.plan.items']);
  });

  it.each([
    ['an owner', { owner: 'neighbour' }],
    ['a verifier', { verifier: 'stranger' }],
  ])('rule 10: a plan item with %s outside the case is refused (planPartiesKnown)', (_who, change) => {
    refusedBy(apply(fgc(), deliberating(), deliberate(plan([{ ...item, ...change }]))), 'planPartiesKnown');
  });

  it('rule 10: the verifier may be one of the case’s workers', () => {
    const byCaseworker = { ...item, verifier: 'cw1', owner: 'mother' };
    expect(accepted(fgc(), deliberating(), deliberate(plan([byCaseworker]))).snapshot.value).toBe(
      'presentation',
    );
  });

  it('rule 10: every plan item is due in the future (planDueDatesInFuture)', () => {
    refusedBy(
      apply(fgc(), deliberating(), deliberate(plan([item, { ...item, dueAt: at(2) }]))),
      'planDueDatesInFuture',
    );
  });

  it('deliberation.failed closes the case as noAgreement (closeAsNoAgreement)', () => {
    const { snapshot } = accepted(
      fgc(),
      deliberating(),
      ev('deliberation.failed', { reason: 'no unanimous plan' }, at(2.5), actors.co),
    );
    expect(snapshot.value).toBe('closed');
    expect(snapshot.context.closedReason).toBe('noAgreement');
    expect(snapshot.context.nextMeetingAt).toBeNull();
    expect(allowedEvents(fgc(), snapshot)).toEqual(['case.reopened']);
  });
});

describe('presentation and approval (rule 9)', () => {
  const presenting = (config: VariantConfig = fgc()) => foldAll(config, conferenceUpToPresentation(config));

  it('presentation allows approving, rejecting or closing', () => {
    expect(allowedEvents(fgc(), presenting())).toEqual(['plan.approved', 'plan.rejected', 'case.closed']);
  });

  it('approvePlan turns every plan item into an open promise p1, p2, … and sets the first follow-up 8 weeks later (fgc)', () => {
    const { snapshot } = accepted(fgc(), presenting(), approve(at(2.2)));
    expect(snapshot.value).toEqual({ followUp: 'awaitingMeeting' });
    expect(promisesOf(snapshot.context).map((p) => [p.id, p.status, p.owner])).toEqual([
      ['p1', 'open', 'grandma'],
      ['p2', 'open', 'mother'],
    ]);
    expect(promisesOf(snapshot.context)[0]).toMatchObject(snapshot.context.plan.items[0]!);
    expect(snapshot.context.nextMeetingAt).toBe(at(2.2 + 56));
  });

  it('acute: the first follow-up is 14 days after approval', () => {
    const { snapshot } = accepted(acute(), presenting(acute()), approve(at(2.2)));
    expect(snapshot.context.nextMeetingAt).toBe(at(2.2 + 14));
  });

  it('the first follow-up follows the variant’s firstFollowUpAfter', () => {
    const quick = derived(fgcConfig(), (c) => {
      c.durations.firstFollowUpAfter = 'PT30S';
    });
    const { snapshot } = accepted(quick, presenting(quick), approve(at(2.2)));
    expect(snapshot.context.nextMeetingAt).toBe(addDuration(at(2.2), 'PT30S'));
  });

  it('rule 10: the caseworker may set the first follow-up date explicitly', () => {
    const { snapshot } = accepted(fgc(), presenting(), approve(at(2.2), at(40)));
    expect(snapshot.context.nextMeetingAt).toBe(at(40));
  });

  it('rule 10: an explicit first follow-up lies in the future (followUpInFuture)', () => {
    refusedBy(apply(fgc(), presenting(), approve(at(2.2), at(2.2))), 'followUpInFuture');
  });

  it('a rejection needs at least one reason', () => {
    const rejection = refusedBy(
      apply(fgc(), presenting(), ev('plan.rejected', { reasons: [] }, at(2.2))),
      'payloadMatchesSchema',
    );
    expect(rejection.problems?.map((p) => p.path)).toEqual(['payload.reasons']);
  });

  it('rule 9: a rejection returns to private deliberation and is counted (recordRejection)', () => {
    const { snapshot } = accepted(fgc(), presenting(), reject(at(2.2)));
    expect(snapshot.value).toBe('privateDeliberation');
    expect(snapshot.context.plan.rejections).toBe(1);
    expect(allowedEvents(fgc(), snapshot)).toEqual(['deliberation.completed', 'deliberation.failed']);
  });

  it('after a rejection the family presents a new plan, which can then be approved', () => {
    const snapshot = applyAll(fgc(), presenting(), [
      reject(at(2.2)),
      deliberate(plan([{ ...item, what: 'grandma and mother share the school run' }]), at(2.3)),
    ]);
    expect(snapshot.value).toBe('presentation');
    const { snapshot: approved } = accepted(fgc(), snapshot, approve(at(2.4)));
    expect(promisesOf(approved.context).map((p) => p.what)).toEqual([
      'grandma and mother share the school run',
    ]);
    expect(approved.context.plan.rejections).toBe(1);
  });

  it('at most 2 rejection rounds: the 3rd rejection closes the case as noAgreement', () => {
    let snapshot = presenting();
    for (const round of [1, 2]) {
      snapshot = applyAll(fgc(), snapshot, [
        reject(at(2 + round / 10)),
        deliberate(plan([item]), at(2.05 + round / 10)),
      ]);
      expect(snapshot.value).toBe('presentation');
      expect(snapshot.context.plan.rejections).toBe(round);
    }
    const { snapshot: closed } = accepted(fgc(), snapshot, reject(at(2.5)));
    expect(closed.value).toBe('closed');
    expect(closed.context.closedReason).toBe('noAgreement');
    expect(closed.context.plan.rejections).toBe(3);
    expect(allowedEvents(fgc(), closed)).toEqual(['case.reopened']);
  });

  it('with maxRejectionRounds 0 the first rejection closes the case (rejectionRoundsLeft)', () => {
    const strict = derived(fgcConfig(), (c) => {
      c.counts.maxRejectionRounds = 0;
    });
    const { snapshot } = accepted(strict, presenting(strict), reject(at(2.2)));
    expect(snapshot.value).toBe('closed');
    expect(snapshot.context.closedReason).toBe('noAgreement');
  });

  it('a case closed as noAgreement can be reconvened: reopened into preparation with the plan cleared (reopenCase)', () => {
    const closed = applyAll(fgc(), presenting(), [ev('case.closed', { reason: 'noAgreement' }, at(2.3))]);
    const { snapshot } = accepted(
      fgc(),
      closed,
      ev('case.reopened', { reason: 'the family asks for a new conference' }, at(10)),
    );
    expect(snapshot.value).toEqual({ preparation: 'preparing' });
    expect(snapshot.context.closedReason).toBeNull();
    expect(snapshot.context.plan).toEqual({ items: [], rejections: 0 });
    expect(snapshot.context.nextMeetingAt).toBeNull();
    expect(allowedEvents(fgc(), snapshot)).not.toContain('conference.opened');
  });
});
