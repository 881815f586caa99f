import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** A rendered document (meeting memo, plan letter) to deliver, one row per recipient. */
@Entity('document_outbox')
@Unique('uq_document_outbox_key', ['caseId', 'seq', 'document', 'recipient'])
@Index('idx_document_outbox_sent_at', ['sentAt'])
export class DocumentOutboxRow {
  @PrimaryGeneratedColumn('increment', { name: 'id', type: 'integer' })
  id!: number;

  @Column({ name: 'case_id', type: 'varchar', length: 100 })
  caseId!: string;

  @Column({ name: 'seq', type: 'integer' })
  seq!: number;

  @Column({ name: 'document', type: 'varchar', length: 32 })
  document!: string;

  @Column({ name: 'recipient', type: 'varchar', length: 200 })
  recipient!: string;

  @Column({ name: 'content_type', type: 'varchar', length: 100 })
  contentType!: string;

  @Column({ name: 'body', type: 'text' })
  body!: string;

  @Column({ name: 'created_at', type: 'varchar', length: 24 })
  createdAt!: string;

  @Column({ name: 'sent_at', type: 'varchar', length: 24, nullable: true })
  sentAt!: string | null;
}
