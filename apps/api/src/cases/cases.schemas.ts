import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { caseViewSchema } from '../../../../libs/contracts/src';
import { pageQueryShape, pageSchemaOf } from '../paging';

export class CaseViewDto extends createZodDto(caseViewSchema) {}

export const caseListItemSchema = caseViewSchema
  .omit({ participants: true, plan: true, promises: true })
  .meta({ id: 'CaseListItem' });
export class CaseListDto extends createZodDto(pageSchemaOf(caseListItemSchema)) {}

export const openCaseSchema = z.strictObject({
  variant: z.string().min(1).max(100).describe('Variant key, e.g. fgc'),
  version: z.number().int().min(1).optional().describe('Pinned version; the latest when absent'),
});
export class OpenCaseDto extends createZodDto(openCaseSchema) {}

export const listCasesQuerySchema = z.strictObject({
  ...pageQueryShape,
  phase: z.string().min(1).max(64).optional().describe('Only cases in this phase, e.g. followUp'),
  variant: z.string().min(1).max(100).optional().describe('Only cases of this variant key'),
  overdue: z
    .enum(['true', 'false'])
    .optional()
    .describe(
      'true: only cases with an open promise past due, a meeting not held after its date, or a deadline reached',
    ),
});

export const caseIdParamsSchema = z.object({ id: z.string().min(1).describe('Case id, c_…') });
