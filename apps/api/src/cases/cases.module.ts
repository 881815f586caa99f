import { Module } from '@nestjs/common';
import { VariantsModule } from '../variants/variants.module';
import { CaseRecords } from './case-records';
import { CasesController } from './cases.controller';
import { CasesService } from './cases.service';

@Module({
  imports: [VariantsModule],
  controllers: [CasesController],
  providers: [CasesService, CaseRecords],
  exports: [CaseRecords],
})
export class CasesModule {}
