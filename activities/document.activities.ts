import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { commandPayloads, type CaseView } from '../libs/contracts/src';
import { AuditEntryRow, DocumentOutboxRow, inTransaction, insertRows } from '../libs/persistence/src';
import type { DocumentRequest } from './contracts';
import { DOCUMENT_CONTENT_TYPE, renderMemo, renderPlanLetter, type MeetingRecord } from './documents/render';
import { parseInput } from './errors';
import { documentInput } from './inputs';

/** Renders case documents as print-ready HTML into `document_outbox`, one row per recipient. */
@Injectable()
export class DocumentActivities {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Renders the memo or the plan letter for every distinct recipient; a (case, seq, document, recipient)
   * already queued keeps its first rendering. The memo's attendees and reviews come from the audit entry
   * at `seq` (the `meeting.held` that caused it, appended before this activity runs); without it the memo
   * shows what the view holds. `queued` counts the distinct recipients.
   */
  async renderDocument(input: DocumentRequest): Promise<{ queued: number }> {
    const { caseId, seq, document, recipients } = parseInput(documentInput, input, 'renderDocument');
    const view = input.view as CaseView;
    const distinct = [...new Set(recipients)];
    if (distinct.length === 0) return { queued: 0 };

    const meeting = document === 'memo' ? await this.meetingOf(caseId, seq) : null;
    const createdAt = new Date().toISOString();
    const rows = distinct.map((recipient): Omit<DocumentOutboxRow, 'id'> => ({
      caseId,
      seq,
      document,
      recipient,
      contentType: DOCUMENT_CONTENT_TYPE,
      body: document === 'memo' ? renderMemo(view, recipient, meeting) : renderPlanLetter(view, recipient),
      createdAt,
      sentAt: null,
    }));
    await inTransaction(this.dataSource, (manager) =>
      insertRows(manager, DocumentOutboxRow, rows, { orIgnore: true }),
    );
    return { queued: rows.length };
  }

  private async meetingOf(caseId: string, seq: number): Promise<MeetingRecord | null> {
    const entry = await this.dataSource.getRepository(AuditEntryRow).findOneBy({ caseId, seq });
    if (entry?.type !== 'meeting.held') return null;
    const parsed = commandPayloads['meeting.held'].safeParse(entry.payload);
    return parsed.success ? parsed.data : null;
  }
}
