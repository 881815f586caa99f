import { defineSearchAttributeKey } from '@temporalio/common';

/**
 * Search attributes of a case workflow: ids, variant, phase and dates only, never names or free text.
 * They must be registered on the namespace (`searchAttributeFlags` gives the dev server's flags).
 */
export const caseSearchAttributes = {
  caseId: defineSearchAttributeKey('NeuvoCaseId', 'KEYWORD'),
  variant: defineSearchAttributeKey('NeuvoVariant', 'KEYWORD'),
  variantVersion: defineSearchAttributeKey('NeuvoVariantVersion', 'INT'),
  phase: defineSearchAttributeKey('NeuvoPhase', 'KEYWORD'),
  nextDueAt: defineSearchAttributeKey('NeuvoNextDueAt', 'DATETIME'),
} as const;

/** `--search-attribute` flags for `temporal server start-dev`. */
export function searchAttributeFlags(): string[] {
  const types = { KEYWORD: 'Keyword', INT: 'Int', DATETIME: 'Datetime' } as const;
  return Object.values(caseSearchAttributes).flatMap((k) => [
    '--search-attribute',
    `${k.name}=${types[k.type as keyof typeof types]}`,
  ]);
}
