import type { ProjectionPart, ProjectionUpsert } from '../activities/contracts';
import { deadlinesOf, viewOf, type CaseSnapshot, type VariantConfig } from '../libs/process/src';

/** The read model of a case after an event, as the record activity writes it. */
export function projectionOf(config: VariantConfig, snapshot: CaseSnapshot): ProjectionUpsert {
  return {
    view: viewOf(config, snapshot),
    deadlines: deadlinesOf(config, snapshot).map(({ kind, ref, level, dueAt }) => ({
      kind,
      ref,
      dueAt,
      ...(level ? { level } : {}),
    })),
  };
}

/** Each part of a projection as text, to tell which parts an event left as they were. */
export type ProjectionParts = Record<ProjectionPart, string>;

export function partsOf({ view, deadlines }: ProjectionUpsert): ProjectionParts {
  return {
    promises: JSON.stringify(view.promises),
    deadlines: JSON.stringify(deadlines),
    members: JSON.stringify([view.caseworker, view.coordinators]),
  };
}

/** The parts equal in both; none when there is no previous projection (a new run). */
export function unchangedParts(
  before: ProjectionParts | undefined,
  after: ProjectionParts,
): ProjectionPart[] {
  if (!before) return [];
  return (Object.keys(after) as ProjectionPart[]).filter((part) => before[part] === after[part]);
}
