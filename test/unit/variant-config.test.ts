/**
 * Variant config (contract.md "Variant config"): one zod schema, every problem listed at once, durations
 * as ISO-8601 down to one second, the four built-in variants with the defaults of product.md.
 */
import fgcJson from '../../libs/process/src/variants/fgc.json';
import acuteJson from '../../libs/process/src/variants/acute.json';
import networkMappingJson from '../../libs/process/src/variants/network-mapping.json';
import networkMeetingJson from '../../libs/process/src/variants/network-meeting.json';
import {
  builtInVariant,
  builtInVariants,
  eventsOf,
  parseVariantConfig,
  templates,
  variantConfigSchema,
  variantJsonSchema,
  type Problem,
} from '../../libs/process/src';
import { problemsOf } from '../../libs/contracts/src';
import { acute, derived, fgcConfig as fgc, networkMapping, networkMeeting } from '../support/scenarios';

const problemsFor = (input: unknown): Problem[] => {
  const r = parseVariantConfig(input);
  if (r.ok) throw new Error('expected problems, got a valid config');
  return r.problems;
};
const pathsOf = (input: unknown) => problemsFor(input).map((p) => p.path);
const isValid = (input: unknown) => parseVariantConfig(input).ok;

const defaultLadder = [
  { after: 'P0D', level: 'reminder', notify: ['owner', 'verifier'] },
  { after: 'P3D', level: 'lapsed', notify: ['caseworker'] },
  { after: 'P7D', level: 'coordinator', notify: ['coordinators'] },
  { after: 'P14D', level: 'supervisor', notify: ['supervisor'] },
];

describe('the built-in variants', () => {
  it.each([
    ['fgc', fgcJson],
    ['acute', acuteJson],
    ['network-mapping', networkMappingJson],
    ['network-meeting', networkMeetingJson],
  ])('%s parses and is returned unchanged (a config can be POSTed back as it is read)', (key, raw) => {
    const r = parseVariantConfig(raw);
    expect(r).toEqual({ ok: true, config: raw });
    expect(builtInVariant(key)).toEqual(raw);
  });

  it('there are exactly four, one per template', () => {
    expect(builtInVariants.map((v) => [v.key, v.template, v.version])).toEqual([
      ['fgc', 'fgc', 1],
      ['acute', 'acute', 1],
      ['network-mapping', 'network-mapping', 1],
      ['network-meeting', 'network-meeting', 1],
    ]);
    expect(() => builtInVariant('nope')).toThrow();
  });

  it('every built-in has the default escalation ladder of contract.md and labels in fi, sv and en', () => {
    for (const v of builtInVariants) {
      expect(v.escalation).toEqual(defaultLadder);
      expect(Object.keys(v.labels).sort()).toEqual(['en', 'fi', 'sv']);
    }
  });

  it('fgc has the product.md defaults: 6 weeks, 8 weeks, 7-day reminder and grace, 2 coordinators from another unit, 2 rounds', () => {
    const c = fgc();
    expect(c.durations).toEqual({
      conferenceWithin: 'P42D',
      firstFollowUpAfter: 'P56D',
      meetingReminderBefore: 'P7D',
      meetingGrace: 'P7D',
    });
    expect(c.counts).toEqual({ coordinatorsRequired: 2, maxRejectionRounds: 2 });
    expect(c.rules).toEqual({
      coordinatorFromOtherUnit: true,
      crisisRequired: false,
      oralSummariesAllowed: false,
      supportPersonRequired: true,
    });
  });

  it('acute has the product.md defaults: 72 hours, first follow-up after 14 days, one coordinator, a crisis, oral summaries', () => {
    const c = acute();
    expect(c.durations).toMatchObject({ conferenceWithin: 'PT72H', firstFollowUpAfter: 'P14D' });
    expect(c.counts.coordinatorsRequired).toBe(1);
    expect(c.rules).toMatchObject({ crisisRequired: true, oralSummariesAllowed: true });
  });

  it('network-mapping mails the plan within 3 days with one leader; network-meeting closes as needsMet, moved or declined', () => {
    expect(networkMapping().durations.planLetterWithin).toBe('P3D');
    expect(networkMapping().counts.leadersRequired).toBe(1);
    expect(networkMeeting().closeReasons).toEqual(['needsMet', 'moved', 'declined']);
    expect(networkMeeting().rules.promisePerPresentParticipant).toBe(true);
  });

  it('fgc’s policies are the defaults of contract.md (cw = caseworker, co = coordinator)', () => {
    const cw = ['caseworker'];
    const co = ['coordinator'];
    const both = ['coordinator', 'caseworker'];
    expect(fgc().policies).toEqual({
      'agreement.recorded': cw,
      'coordinator.assigned': cw,
      'participants.mapped': co,
      'supportPerson.appointed': co,
      'summary.received': co,
      'meeting.scheduled': co,
      'conference.opened': co,
      'information.completed': co,
      'deliberation.completed': co,
      'deliberation.failed': co,
      'plan.approved': cw,
      'plan.rejected': cw,
      'meeting.held': co,
      'promise.made': both,
      'promise.kept': both,
      'promise.notKept': both,
      'case.closed': cw,
      'case.reopened': cw,
    });
    expect(networkMeeting().policies['meeting.held']).toEqual(cw);
  });

  it('each built-in’s policies name exactly the events of its template', () => {
    for (const v of builtInVariants)
      expect(Object.keys(v.policies).sort()).toEqual([...eventsOf[v.template]].sort());
  });
});

describe('a bad config lists every problem at once', () => {
  it('bad key, bad duration, an event the template lacks and an unordered ladder are all reported with their paths', () => {
    const bad = {
      ...fgc(),
      key: 'Läheis Neuvonpito',
      durations: { ...fgc().durations, conferenceWithin: 'six weeks' },
      policies: { ...fgc().policies, 'planLetter.sent': ['coordinator'] },
      escalation: [
        defaultLadder[0],
        { ...defaultLadder[1], after: 'P30D' },
        defaultLadder[2],
        defaultLadder[3],
      ],
    };
    expect(problemsFor(bad)).toEqual([
      { path: 'key', message: 'must be kebab-case, e.g. fgc or network-meeting' },
      {
        path: 'durations.conferenceWithin',
        message: 'must be an ISO-8601 duration such as P42D, PT72H or PT5S',
      },
      { path: 'policies.planLetter.sent', message: 'the fgc template has no event planLetter.sent' },
      { path: 'escalation.2.after', message: 'steps must come in time order' },
    ]);
  });

  it('the cross-field problems are reported even when another field has the wrong type', () => {
    const bad = {
      ...fgc(),
      counts: { ...fgc().counts, coordinatorsRequired: 'two' },
      policies: { ...fgc().policies, 'planLetter.sent': ['coordinator'] },
      escalation: [
        defaultLadder[0],
        { ...defaultLadder[1], after: 'P30D' },
        defaultLadder[2],
        defaultLadder[3],
      ],
    };
    expect(pathsOf(bad)).toEqual([
      'counts.coordinatorsRequired',
      'policies.planLetter.sent',
      'escalation.2.after',
    ]);
    const viaSchema = variantConfigSchema.safeParse(bad);
    expect(viaSchema.success).toBe(false);
    if (!viaSchema.success) expect(problemsOf(viaSchema.error).map((p) => p.path)).toEqual(pathsOf(bad));
  });

  it('an event that exists nowhere is reported under policies, with its name', () => {
    const problems = problemsFor({
      ...fgc(),
      policies: { ...fgc().policies, 'case.deleted': ['caseworker'] },
    });
    expect(problems).toEqual([{ path: 'policies', message: expect.stringContaining('case.deleted') }]);
  });

  it('every event of the template needs its roles', () => {
    const { 'case.reopened': _gone, ...policies } = fgc().policies;
    expect(problemsFor({ ...fgc(), policies })).toEqual([
      {
        path: 'policies.case.reopened',
        message: 'every event of the template needs the roles that may send it',
      },
    ]);
  });

  it('auditors and admins never send events', () => {
    expect(
      pathsOf({
        ...fgc(),
        policies: { ...fgc().policies, 'case.closed': ['auditor'], 'case.reopened': ['admin'] },
      }),
    ).toEqual(['policies.case.closed.0', 'policies.case.reopened.0']);
  });

  it('a ladder level appears once', () => {
    const escalation = [defaultLadder[0], { ...defaultLadder[1], level: 'reminder' }];
    expect(problemsFor({ ...fgc(), escalation })).toEqual([
      { path: 'escalation.1.level', message: 'level reminder appears twice' },
    ]);
  });

  it('a ladder needs at least one step, each with someone to notify', () => {
    expect(pathsOf({ ...fgc(), escalation: [] })).toEqual(['escalation']);
    expect(pathsOf({ ...fgc(), escalation: [{ ...defaultLadder[0], notify: [] }] })).toEqual([
      'escalation.0.notify',
    ]);
  });

  it('unknown fields, a wrong version and empty labels are reported together', () => {
    expect(
      pathsOf({ ...fgc(), version: 0, labels: { fi: '', sv: 'x', en: ' ' }, colour: 'blue' }).sort(),
    ).toEqual(['', 'labels.en', 'labels.fi', 'version'].sort());
  });

  it.each([
    [
      'coordinatorsRequired 0',
      { counts: { coordinatorsRequired: 0, maxRejectionRounds: 2 } },
      'counts.coordinatorsRequired',
    ],
    [
      'maxRejectionRounds 1.5',
      { counts: { coordinatorsRequired: 2, maxRejectionRounds: 1.5 } },
      'counts.maxRejectionRounds',
    ],
    [
      'a missing rule',
      { rules: { coordinatorFromOtherUnit: true, crisisRequired: false, oralSummariesAllowed: false } },
      'rules.supportPersonRequired',
    ],
  ])('a conference config with %s is refused', (_what, change, path) => {
    expect(pathsOf({ ...fgc(), ...change })).toEqual([path]);
  });

  it('network-meeting closes only for reasons of the contract, and needs at least one', () => {
    expect(pathsOf({ ...networkMeeting(), closeReasons: ['bored'] })).toEqual(['closeReasons.0']);
    expect(pathsOf({ ...networkMeeting(), closeReasons: [] })).toEqual(['closeReasons']);
  });

  it('an unknown template still reports the problems of the fields every template shares', () => {
    const bad = {
      ...fgc(),
      template: 'family-council',
      key: 'Family Council',
      labels: { fi: '', sv: 'x', en: 'x' },
      escalation: [defaultLadder[1], defaultLadder[0]],
    };
    expect(pathsOf(bad).sort()).toEqual(['escalation.1.after', 'key', 'labels.fi', 'template'].sort());
  });

  it.each([
    null,
    undefined,
    42,
    'fgc',
    [],
    {},
    { template: 'fgc' },
    { template: 'network-meeting', escalation: [{}] },
    { ...fgc(), escalation: 'x', policies: null },
  ])('garbage (%p) is answered with problems, never an exception', (input) => {
    expect(problemsFor(input).length).toBeGreaterThan(0);
  });
});

describe('durations', () => {
  const withGrace = (meetingGrace: string) => ({ ...fgc(), durations: { ...fgc().durations, meetingGrace } });
  const withFirstStep = (after: string) => ({
    ...fgc(),
    escalation: [{ ...defaultLadder[0], after }, ...defaultLadder.slice(1)],
  });

  it.each(['PT1S', 'PT5S', 'PT90M', 'PT72H', 'P1D', 'P2W', 'P1M', 'P1Y2M3DT4H5M6S', 'PT1.000S'])(
    '%s is a valid named duration',
    (d) => {
      expect(isValid(withGrace(d))).toBe(true);
    },
  );

  it('every duration of a variant may be one second, so a drill runs a whole case in seconds', () => {
    const drill = derived(fgc(), (c) => {
      c.durations = {
        conferenceWithin: 'PT1S',
        firstFollowUpAfter: 'PT1S',
        meetingReminderBefore: 'PT1S',
        meetingGrace: 'PT1S',
      };
      c.escalation = c.escalation.map((s, i) => ({ ...s, after: `PT${i}S` }));
    });
    expect(drill.escalation.map((s) => s.after)).toEqual(['PT0S', 'PT1S', 'PT2S', 'PT3S']);
  });

  it.each([
    ['P0D', 'must be longer than zero'],
    ['PT0S', 'must be longer than zero'],
    ['PT0.5S', 'must be whole seconds'],
    ['PT1.5S', 'must be whole seconds'],
  ])('%s is refused for a named duration: %s', (d, message) => {
    expect(problemsFor(withGrace(d))).toEqual([{ path: 'durations.meetingGrace', message }]);
  });

  it.each(['P', 'PT', '42D', 'P42', 'P-1D', 'p42d', 'P1.5D', 'PT1H ', '', 'P1DT'])(
    '%p is not an ISO-8601 duration (one problem, no more)',
    (d) => {
      expect(problemsFor(withGrace(d))).toEqual([
        {
          path: 'durations.meetingGrace',
          message: 'must be an ISO-8601 duration such as P42D, PT72H or PT5S',
        },
      ]);
    },
  );

  it('P0D (and PT0S) is accepted only as a ladder step’s `after`', () => {
    expect(isValid(withFirstStep('P0D'))).toBe(true);
    expect(isValid(withFirstStep('PT0S'))).toBe(true);
    expect(pathsOf(withGrace('P0D'))).toEqual(['durations.meetingGrace']);
    expect(
      pathsOf({ ...networkMapping(), durations: { ...networkMapping().durations, planLetterWithin: 'P0D' } }),
    ).toEqual(['durations.planLetterWithin']);
  });

  it('a ladder step’s `after` is whole seconds too', () => {
    expect(pathsOf(withFirstStep('PT0.5S'))).toEqual(['escalation.0.after']);
  });

  it('ladder steps compare by length across units (PT72H after P2D is in order; P1W before P6D is not)', () => {
    const ladder = (a: string, b: string) => ({
      ...fgc(),
      escalation: [
        { ...defaultLadder[0], after: a },
        { ...defaultLadder[1], after: b },
      ],
    });
    expect(isValid(ladder('P2D', 'PT72H'))).toBe(true);
    expect(pathsOf(ladder('P1W', 'P6D'))).toEqual(['escalation.1.after']);
    expect(isValid(ladder('P3D', 'P3D'))).toBe(true);
  });
});

describe('keys', () => {
  it.each(['fgc', 'acute', 'network-meeting', 'a1-b2-c3', 'x'])('%s is a valid key', (key) => {
    expect(isValid({ ...fgc(), key })).toBe(true);
  });

  it.each(['Fgc', 'fgc-', '-fgc', 'fgc--x', '1fgc', 'fgc_x', 'fgc x', ''])('%p is not a valid key', (key) => {
    expect(pathsOf({ ...fgc(), key })).toEqual(['key']);
  });
});

describe('the JSON Schema (GET /variants/schema)', () => {
  const schema = variantJsonSchema();
  const branches = (schema.oneOf ?? schema.anyOf) as Record<string, unknown>[];

  it('is generated as draft 2020-12 with one branch per statechart family', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(Array.isArray(branches)).toBe(true);
    const templateValues = branches.flatMap((b) => {
      const t = (b.properties as Record<string, { enum?: string[]; const?: string }>).template!;
      return t.enum ?? [t.const!];
    });
    expect(templateValues.sort()).toEqual([...templates].sort());
  });

  it('carries the key pattern, the required fields and the ladder levels', () => {
    for (const branch of branches) {
      expect((branch.properties as Record<string, { pattern?: string }>).key?.pattern).toBe(
        '^[a-z][a-z0-9]*(-[a-z0-9]+)*$',
      );
      expect(branch.required).toEqual(
        expect.arrayContaining([
          'key',
          'version',
          'template',
          'labels',
          'policies',
          'escalation',
          'durations',
        ]),
      );
      expect(branch.additionalProperties).toBe(false);
    }
    expect(JSON.stringify(schema)).toContain('"supervisor"');
  });

  it('is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });
});
