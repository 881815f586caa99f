import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NotificationOutboxRow, inTransaction, insertRows } from '../libs/persistence/src';
import type { NotificationRequest } from './contracts';
import { parseInput } from './errors';
import { notificationInput } from './inputs';

/** Queues reminders and escalations in `notification_outbox` for a sender to deliver. */
@Injectable()
export class NotificationActivities {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * One row per distinct recipient, keyed by (case, seq, recipient, event); a key already queued is left
   * as it is. `queued` counts the distinct recipients, so a retry answers the same as the first attempt.
   */
  async queueNotifications(input: NotificationRequest): Promise<{ queued: number }> {
    const { caseId, seq, event, recipients, details } = parseInput(
      notificationInput,
      input,
      'queueNotifications',
    );
    const createdAt = new Date().toISOString();
    const rows = [...new Set(recipients)].map((recipient): Omit<NotificationOutboxRow, 'id'> => ({
      caseId,
      seq,
      recipient,
      event,
      details,
      createdAt,
      sentAt: null,
    }));
    if (rows.length > 0)
      await inTransaction(this.dataSource, (manager) =>
        insertRows(manager, NotificationOutboxRow, rows, { orIgnore: true }),
      );
    return { queued: rows.length };
  }
}
