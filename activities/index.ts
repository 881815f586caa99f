import { Module, type INestApplicationContext } from '@nestjs/common';
import { AuditActivities } from './audit.activities';
import type { CaseActivities } from './contracts';
import { DocumentActivities } from './document.activities';
import { NotificationActivities } from './notification.activities';
import { ProjectionActivities } from './projection.activities';
import { RecordActivities } from './record.activities';

export {
  AuditActivities,
  DocumentActivities,
  NotificationActivities,
  ProjectionActivities,
  RecordActivities,
};
export { ActivityFailure } from './errors';
export type * from './contracts';

const providers = [
  RecordActivities,
  AuditActivities,
  ProjectionActivities,
  NotificationActivities,
  DocumentActivities,
];

/**
 * The activity services. Imports nothing itself: the host module (the worker's, or a test's) imports
 * `PersistenceModule.forRoot(options)` next to it, which provides the `DataSource` globally.
 *
 *   @Module({ imports: [PersistenceModule.forRoot(persistenceOptionsFromEnv()), ActivitiesModule] })
 *   class WorkerModule {}
 */
@Module({ providers, exports: providers })
export class ActivitiesModule {}

/** Plain bound functions for `Worker.create({ activities })`; the names are the activity types. */
export function activitiesFrom(app: INestApplicationContext): CaseActivities {
  const record = app.get(RecordActivities, { strict: false });
  const audit = app.get(AuditActivities, { strict: false });
  const projection = app.get(ProjectionActivities, { strict: false });
  const notifications = app.get(NotificationActivities, { strict: false });
  const documents = app.get(DocumentActivities, { strict: false });
  return {
    recordEvent: (input) => record.recordEvent(input),
    appendAudit: (entry) => audit.appendAudit(entry),
    upsertProjection: (input) => projection.upsertProjection(input),
    queueNotifications: (input) => notifications.queueNotifications(input),
    renderDocument: (input) => documents.renderDocument(input),
  };
}
