import { businessDate } from '../domain/calendar.js';
import { DomainError } from '../domain/errors.js';
import type { PlannedDeliveryLine } from '../domain/order/index.js';
import { nextDocumentNumber } from '../db/numbering.js';
import { asActivity, lockOrder, once, type ActivityDeps } from './support.js';

export interface IssueShippingNoticeInput {
  orderNumber: string;
  key: string;
  issuedBy: string;
  lines: PlannedDeliveryLine[];
  requiresQualityCheck: boolean;
}

export function shippingNoticeActivities({ sql, business, now = () => new Date() }: ActivityDeps) {
  /** 出货通知单: tells the warehouse what to prepare. No stock moves. */
  async function issueShippingNotice(input: IssueShippingNoticeInput): Promise<{ number: string }> {
    return once(sql, input.key, async (tx) => {
      const order = await lockOrder(tx, input.orderNumber);
      const number = await nextDocumentNumber(tx, 'shipping_notice', businessDate(now(), business.BUSINESS_TIME_ZONE));
      const [notice] = await tx<{ id: string }[]>`
        INSERT INTO shipping_notices (number, order_id, idempotency_key, requires_quality_check, issued_by)
        VALUES (${number}, ${order.id}, ${input.key}, ${input.requiresQualityCheck}, ${input.issuedBy}) RETURNING id`;
      for (const l of input.lines) {
        await tx`INSERT INTO shipping_notice_lines (shipping_notice_id, order_line_no, planned_qty) VALUES (${notice!.id}, ${l.lineNo}, ${l.quantity})`;
      }
      return { number };
    });
  }

  /** 出货复核: the quality re-check's date and result, recorded on the notice. */
  async function recordQualityCheck(input: { key: string; noticeNumber: string; result: 'pass' | 'fail'; checkedBy: string; checkedOn?: string }) {
    return once(sql, input.key, async (tx) => {
      const checkedOn = input.checkedOn ?? businessDate(now(), business.BUSINESS_TIME_ZONE);
      const updated = await tx`
        UPDATE shipping_notices SET quality_result = ${input.result}, quality_checked_on = ${checkedOn}, quality_checked_by = ${input.checkedBy}
        WHERE number = ${input.noticeNumber} RETURNING id`;
      if (updated.length === 0) throw new DomainError('NOT_FOUND', `shipping notice ${input.noticeNumber} does not exist`, 'noticeNumber');
      return { checkedOn };
    });
  }

  return { issueShippingNotice: asActivity(issueShippingNotice), recordQualityCheck: asActivity(recordQualityCheck) };
}
