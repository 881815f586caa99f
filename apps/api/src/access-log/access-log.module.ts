import { Global, Module } from '@nestjs/common';
import { AccessLogService } from './access-log.service';

/** Global: every module that serves case content records its reads here. */
@Global()
@Module({ providers: [AccessLogService], exports: [AccessLogService] })
export class AccessLogModule {}
