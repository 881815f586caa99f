import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { pageQueryShape, pageSchemaOf } from '../paging';

export const tasksQuery = z.strictObject({ ...pageQueryShape });

export const taskItemSchema = z
  .object({
    caseId: z.string(),
    kind: z.enum(['promiseDue', 'promiseLapsed', 'meetingSoon', 'approval', 'escalation']),
    dueAt: z.string(),
    ref: z.string().describe('promise id, meeting time, `conference`, `planLetter` or `plan`'),
  })
  .meta({ id: 'TaskItem' });
export class TaskPageDto extends createZodDto(pageSchemaOf(taskItemSchema)) {}
