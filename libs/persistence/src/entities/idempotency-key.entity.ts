import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The first answer to a command with an `Idempotency-Key`, replayed byte for byte (scoped to one case). */
@Entity('idempotency_keys')
export class IdempotencyKeyRow {
  @PrimaryColumn({ name: 'case_id', type: 'varchar', length: 100 })
  caseId!: string;

  @PrimaryColumn({ name: 'key', type: 'varchar', length: 200 })
  key!: string;

  /** SHA-256 hex of the request body; another body with the same key is a 422. */
  @Column({ name: 'request_hash', type: 'varchar', length: 64 })
  requestHash!: string;

  @Column({ name: 'response_status', type: 'integer' })
  responseStatus!: number;

  @Column({ name: 'response_body', type: 'text' })
  responseBody!: string;

  @Column({ name: 'created_at', type: 'varchar', length: 24 })
  createdAt!: string;
}
