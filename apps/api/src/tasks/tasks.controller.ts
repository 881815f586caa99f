import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { ApiErrors } from '../openapi/error-responses';
import { ApiQueryOf } from '../openapi/parameters';
import type { Page } from '../paging';
import { valid } from '../validation';
import { TaskPageDto, tasksQuery } from './tasks.schemas';
import { TasksService, type TaskItem } from './tasks.service';

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('tasks')
export class TasksController {
  constructor(@Inject(TasksService) private readonly tasks: TasksService) {}

  @Get()
  @ApiOperation({
    summary:
      'Your inbox: promises, meetings, approvals and escalations due or overdue now or within 7 days, by due time',
  })
  @ApiResponse({ status: 200, type: TaskPageDto })
  @ApiQueryOf(tasksQuery)
  @ApiErrors('invalid_payload')
  list(
    @CurrentPrincipal() principal: Principal,
    @Query(valid(tasksQuery)) query: z.output<typeof tasksQuery>,
  ): Promise<Page<TaskItem>> {
    return this.tasks.tasksFor(principal, query);
  }
}
