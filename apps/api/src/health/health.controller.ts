import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { HttpResponse } from '../http';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { Public } from '../auth/public.decorator';
import { HealthService } from './health.service';

const liveness = z.enum(['up', 'down']);
const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  api: z.literal('up'),
  database: liveness,
  temporal: liveness,
});
class HealthDto extends createZodDto(healthSchema) {}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(@Inject(HealthService) private readonly health: HealthService) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Liveness of the API, the database and Temporal (no token needed)' })
  @ApiResponse({ status: 200, description: 'Everything is up', type: HealthDto })
  @ApiResponse({
    status: 503,
    description: 'The database or Temporal is down (same body, status degraded)',
    type: HealthDto,
  })
  async check(@Res({ passthrough: true }) res: HttpResponse): Promise<z.infer<typeof healthSchema>> {
    const [database, temporal] = await Promise.all([this.health.database(), this.health.temporalServer()]);
    const ok = database === 'up' && temporal === 'up';
    res.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'degraded', api: 'up', database, temporal };
  }
}
