import { AccessLogRow } from './access-log.entity';
import { AuditEntryRow } from './audit-entry.entity';
import { CaseDeadlineRow } from './case-deadline.entity';
import { CaseMemberRow } from './case-member.entity';
import { CasePromiseRow } from './case-promise.entity';
import { CaseRow } from './case.entity';
import { DocumentOutboxRow } from './document-outbox.entity';
import { IdempotencyKeyRow } from './idempotency-key.entity';
import { NotificationOutboxRow } from './notification-outbox.entity';
import { VariantVersionRow } from './variant-version.entity';

export {
  AccessLogRow,
  AuditEntryRow,
  CaseDeadlineRow,
  CaseMemberRow,
  CasePromiseRow,
  CaseRow,
  DocumentOutboxRow,
  IdempotencyKeyRow,
  NotificationOutboxRow,
  VariantVersionRow,
};
export type { CaseRelation } from './case-member.entity';

/** Every entity, for the data source and `TypeOrmModule.forFeature`. */
export const ENTITIES: (new () => object)[] = [
  AuditEntryRow,
  CaseRow,
  CasePromiseRow,
  CaseDeadlineRow,
  CaseMemberRow,
  NotificationOutboxRow,
  DocumentOutboxRow,
  VariantVersionRow,
  IdempotencyKeyRow,
  AccessLogRow,
];
