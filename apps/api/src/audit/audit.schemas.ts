import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { isoTime } from '../../../../libs/contracts/src';
import { CaseViewDto } from '../cases/cases.schemas';
import { pageQueryShape, pageSchemaOf } from '../paging';

/** Query strings of the audit endpoints (400 names the parameter). */
export const historyQuery = z.strictObject({ ...pageQueryShape });

/** `asOf` defaults to now: the state as it is. */
export const stateQuery = z.strictObject({
  asOf: isoTime.optional().describe('UTC ISO-8601 time, e.g. 2026-11-23T08:00:00.000Z; default now'),
});

export const accessLogQuery = z
  .strictObject({
    caseId: z.string().min(1).max(100).optional().describe('Only reads of this case'),
    sub: z.string().min(1).max(200).optional().describe('Only reads by this user'),
    from: isoTime.optional().describe('Reads at or after this time'),
    to: isoTime.optional().describe('Reads at or before this time'),
    ...pageQueryShape,
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, {
    message: 'must not be earlier than from',
    path: ['to'],
  });

// Answers, for the OpenAPI document. A DTO's root carries no `id` (nestjs-zod would name it twice); items do.

export const historyItemSchema = z
  .object({
    seq: z.number().int(),
    at: z.string(),
    actor: z.object({ sub: z.string(), role: z.string() }),
    type: z.string(),
    // Every payload is a JSON object (contract.md "Events"); a record keeps input and output schemas alike.
    payload: z.record(z.string(), z.unknown()).describe("the event's payload"),
    prevHash: z.string().describe('hash of entry seq - 1; 64 zeros for seq 1'),
    hash: z.string().describe('hex SHA-256 over prevHash then the RFC 8785 JSON of the entry without hash'),
  })
  .meta({ id: 'HistoryItem' });
export class HistoryPageDto extends createZodDto(pageSchemaOf(historyItemSchema)) {}

export const verifyReportSchema = z.object({
  ok: z.boolean().describe('every check below passed'),
  entries: z.number().int().describe('audit entries checked'),
  firstBrokenSeq: z
    .number()
    .int()
    .nullable()
    .describe('the first entry that cannot be trusted (edited, missing or truncated)'),
  stateMatchesWorkflow: z
    .boolean()
    .describe("the history folded through the pinned machine equals the live workflow's state"),
  historyReplays: z.boolean().describe('the Temporal history replays against the current workflow code'),
  problems: z.array(z.string()).describe('one sentence per failed check'),
});
export class VerifyReportDto extends createZodDto(verifyReportSchema) {}

export class CaseExportDto extends createZodDto(
  z.object({ case: CaseViewDto.schema, history: z.array(historyItemSchema), verify: verifyReportSchema }),
) {}

export const accessLogItemSchema = z
  .object({
    at: z.string(),
    sub: z.string(),
    role: z.string().describe('the role the read relied on'),
    caseId: z.string().nullable(),
    action: z.string().describe('view, list, history, state, verify, export, …'),
  })
  .meta({ id: 'AccessLogItem' });
export class AccessLogPageDto extends createZodDto(pageSchemaOf(accessLogItemSchema)) {}
