import { apply, builtInVariant, start, type CaseSnapshot } from '../../libs/process/src';
import { partsOf, projectionOf, unchangedParts } from '../../workflows/projection';
import { CW, T0, agreement, at, ev } from '../support/scenarios';

const config = builtInVariant('fgc');
const step = (s: CaseSnapshot, event: ReturnType<typeof ev>) => {
  const result = apply(config, s, event);
  if ('rejected' in result) throw new Error(result.rejected.rule);
  return result.snapshot;
};

describe('the parts of a projection an event left as they were', () => {
  const opened = start(config, { caseId: 'c1', caseworker: CW, openedAt: T0 });
  const agreed = step(opened, ev('agreement.recorded', agreement, at(0.1)));
  const assigned = step(agreed, ev('coordinator.assigned', { coordinatorId: 'co1', unit: 'south' }, at(0.2)));
  const parts = (s: CaseSnapshot) => partsOf(projectionOf(config, s));

  it('none in a new run: there is nothing recorded to compare with', () => {
    expect(unchangedParts(undefined, parts(opened))).toEqual([]);
  });

  it('an agreement starts the conference deadline: promises and members stay', () => {
    expect(unchangedParts(parts(opened), parts(agreed))).toEqual(['promises', 'members']);
  });

  it('a coordinator joins the members; the deadlines stay', () => {
    expect(unchangedParts(parts(agreed), parts(assigned))).toEqual(['promises', 'deadlines']);
  });

  it('the same projection again: every part', () => {
    expect(unchangedParts(parts(assigned), parts(assigned))).toEqual(['promises', 'deadlines', 'members']);
  });
});
