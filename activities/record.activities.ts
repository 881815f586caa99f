import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { inTransaction } from '../libs/persistence/src';
import { appendAuditEntry } from './audit.activities';
import type { EventRecord } from './contracts';
import { writeProjection } from './projection.activities';

/** An accepted event as the case workflow records it: audit log and read model together. */
@Injectable()
export class RecordActivities {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Appends the audit entry and writes the projection in one transaction: both or neither. One local
   * activity on the hot path of every command instead of two (each costs the workflow a round between
   * workflow and activity code). An entry the audit log refuses leaves the projection untouched. Parts the
   * workflow marks unchanged since its previous event keep their rows.
   */
  recordEvent(input: EventRecord): Promise<{ hash: string }> {
    return inTransaction(this.dataSource, async (manager) => {
      const { hash, outcome } = await appendAuditEntry(manager, input.entry);
      // A new entry follows the one recorded with the projection that holds the unchanged parts; after a
      // superseded orphan the stored parts may be the orphan's, so all are written.
      const keep = outcome === 'superseded' ? [] : (input.projection.unchanged ?? []);
      await writeProjection(manager, input.projection, keep);
      return { hash };
    });
  }
}
