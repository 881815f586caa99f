import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { jsonText } from '../json';

/** A notification to deliver (reminder or escalation), one row per recipient; a sender marks `sent_at`. */
@Entity('notification_outbox')
@Unique('uq_notification_outbox_key', ['caseId', 'seq', 'recipient', 'event'])
@Index('idx_notification_outbox_sent_at', ['sentAt'])
export class NotificationOutboxRow {
  @PrimaryGeneratedColumn('increment', { name: 'id', type: 'integer' })
  id!: number;

  @Column({ name: 'case_id', type: 'varchar', length: 100 })
  caseId!: string;

  @Column({ name: 'seq', type: 'integer' })
  seq!: number;

  @Column({ name: 'recipient', type: 'varchar', length: 200 })
  recipient!: string;

  @Column({ name: 'event', type: 'varchar', length: 100 })
  event!: string;

  /** promiseId, meetingAt, deadline, level: never names or free text. */
  @Column({ name: 'details', type: 'text', transformer: jsonText<Record<string, unknown>>() })
  details!: Record<string, unknown>;

  @Column({ name: 'created_at', type: 'varchar', length: 24 })
  createdAt!: string;

  @Column({ name: 'sent_at', type: 'varchar', length: 24, nullable: true })
  sentAt!: string | null;
}
