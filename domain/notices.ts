import type { ApproverRole } from './order/approval.js';
import type { Notification, Words } from './notifications.js';

/**
 * What each message says, in both languages: the step that causes a notification builds it here
 * from the facts it has in its transaction, so every channel renders the same words.
 */
const w = (zh: string, en: string): Words => ({ zh, en });

export const ROLE_WORDS: Record<ApproverRole, Words> = {
  approver: w('审批人', 'approver'),
  senior_approver: w('高级审批人', 'senior approver'),
  credit_controller: w('信用管理员', 'credit controller'),
};

/** Who must still decide: each missing role with the people who can fill it. */
export interface StillNeeded {
  role: ApproverRole;
  people: string[];
}

export interface OrderFacts {
  orderNumber: string;
  customer: string;
  gross: string;
  currency: string;
  createdBy: string;
  lineCount: number;
  failedChecks: { code: string; message: string }[];
  stillNeeded: StillNeeded[];
}

const neededWords = (needed: StillNeeded[]): Words => {
  const part = (lang: 'zh' | 'en') =>
    needed.map((n) => `${ROLE_WORDS[n.role][lang]}${n.people.length ? ` (${n.people.join(', ')})` : ''}`).join(lang === 'zh' ? '、' : ', ');
  return needed.length ? w(`待审批：${part('zh')}`, `Still needed: ${part('en')}`) : w('无需其他审批', 'No other approval needed');
};

const POINT_WORDS: Record<string, string> = { approval: '审批', delivery: '发货', invoice: '开票' };

/**
 * Why an order or a change needs approval, in Chinese: the checks (domain/order/checks.ts, domain/credit.ts) and the
 * change's reasons are stored in English with their figures, so each known form is worded again with the same
 * figures. A reason of another form is kept as written.
 */
const REASON_WORDS: [RegExp, (...m: string[]) => string][] = [
  [/^line (\d+): (\S+) at (\S+) is under the floor price (\S+)$/, (_, line, product, price, floor) => `第 ${line} 行 ${product} 单价 ${price} 低于底价 ${floor}`],
  [
    /^credit of (\S+): exposure (\S+) exceeds (\S+?)(?: \((not checked|warning only),? at (\w+)\))?$/,
    (_, payer, exposure, allowed, note, point) =>
      `客户 ${payer} 信用超限：占用 ${exposure}，超过额度 ${allowed === 'unlimited' ? '不限' : allowed}` +
      (note ? (note === 'not checked' ? `（未在${POINT_WORDS[point!] ?? point}时检查）` : `（${POINT_WORDS[point!] ?? point}时仅警告）`) : ''),
  ],
  [/^customer (\S+), which pays for (\S+), is blocked$/, (_, payer, customer) => `付款客户 ${payer}（为 ${customer} 付款）已冻结`],
  [/^customer (\S+) is blocked$/, (_, customer) => `客户 ${customer} 已冻结`],
  [/^the amount rises from (\S+) to (\S+)$/, (_, before, after) => `金额由 ${before} 增至 ${after}`],
];

export function reasonWords(reason: string): Words {
  for (const [form, zh] of REASON_WORDS) {
    const m = form.exec(reason);
    if (m) return w(zh(...m), reason);
  }
  return w(reason, reason);
}

const reasonList = (reasons: string[]): Words => {
  const words = reasons.map(reasonWords);
  return w(words.map((r) => r.zh).join('；'), words.map((r) => r.en).join('; '));
};

const orderFacts = (o: OrderFacts): Words[] => [
  w(`客户：${o.customer}`, `Customer: ${o.customer}`),
  w(`金额：${o.gross} ${o.currency}（${o.lineCount} 行）`, `Amount: ${o.gross} ${o.currency} (${o.lineCount} line(s))`),
  w(`制单：${o.createdBy}`, `Created by: ${o.createdBy}`),
  o.failedChecks.length
    ? ((r) => w(`未通过检查：${r.zh}`, `Failed checks: ${r.en}`))(reasonList(o.failedChecks.map((c) => c.message)))
    : w('检查全部通过', 'All checks passed'),
  neededWords(o.stillNeeded),
];

const orderActions = (orderNumber: string): Notification['actions'] => [
  { kind: 'approve_order', orderNumber },
  { kind: 'reject_order', orderNumber },
];

/** The timeline's line for an approval message: its title and who must still decide (the last of the order's facts). */
export const withNeeded = (n: Notification) => `${n.title.en}. ${n.facts.at(-1)?.en ?? ''}`.trim();

export function approvalRequestNotice(o: OrderFacts): Notification {
  return {
    kind: 'approval_request',
    orderNumber: o.orderNumber,
    documentNumber: null,
    title: w(`订单 ${o.orderNumber} 待审批`, `Approval needed: ${o.orderNumber}`),
    facts: orderFacts(o),
    actions: orderActions(o.orderNumber),
  };
}

export function approvalReminderNotice(o: OrderFacts): Notification {
  return {
    kind: 'approval_reminder',
    orderNumber: o.orderNumber,
    documentNumber: null,
    title: w(`提醒：订单 ${o.orderNumber} 仍在等待审批`, `Reminder: order ${o.orderNumber} still waits for approval`),
    facts: orderFacts(o),
    actions: orderActions(o.orderNumber),
  };
}

export function approvalEscalationNotice(o: OrderFacts, escalatedTo: string): Notification {
  return {
    kind: 'approval_escalation',
    orderNumber: o.orderNumber,
    documentNumber: null,
    title: w(`升级给 ${escalatedTo}：订单 ${o.orderNumber} 审批超时`, `Escalated to ${escalatedTo}: order ${o.orderNumber} is overdue for approval`),
    facts: orderFacts(o),
    actions: orderActions(o.orderNumber),
  };
}

const STATUS_WORDS: Record<string, Words> = {
  Approved: w('已审批', 'approved'),
  Rejected: w('已驳回', 'rejected'),
  Cancelled: w('已取消', 'cancelled'),
};

/** The decision on an order's approval; a rejection carries its reason, so the clerk knows what to revise. */
export function approvalDecidedNotice(
  o: Pick<OrderFacts, 'orderNumber' | 'customer' | 'gross' | 'currency'>,
  status: string,
  decidedBy: string,
  reason?: string | null,
): Notification {
  const s = STATUS_WORDS[status] ?? w(status, status);
  const by = (lang: 'zh' | 'en') => (decidedBy ? (lang === 'zh' ? `（${decidedBy}）` : ` by ${decidedBy}`) : '');
  return {
    kind: 'approval_decided',
    orderNumber: o.orderNumber,
    documentNumber: null,
    title: w(`订单 ${o.orderNumber} ${s.zh}${by('zh')}`, `Order ${o.orderNumber} ${s.en}${by('en')}`),
    facts: [
      w(`客户：${o.customer}`, `Customer: ${o.customer}`),
      w(`金额：${o.gross} ${o.currency}`, `Amount: ${o.gross} ${o.currency}`),
      ...(reason ? [w(`驳回原因：${reason}`, `Reason: ${reason}`)] : []),
    ],
    actions: [],
  };
}

export interface ChangeFacts {
  orderNumber: string;
  changeNumber: string;
  customer: string;
  currency: string;
  grossBefore: string;
  grossAfter: string;
  requestedBy: string;
  reason: string;
  approvalReasons: string[];
}

/** A change waiting for approval: the request, the reminder to those still needed, or the escalation to a named person. */
export type ChangeNotice = { kind: 'change_approval_request' } | { kind: 'change_approval_reminder' } | { kind: 'change_approval_escalation'; to: string };

export function changeApprovalRequestNotice(c: ChangeFacts, notice: ChangeNotice = { kind: 'change_approval_request' }): Notification {
  const change = { zh: `订单 ${c.orderNumber} 的变更 ${c.changeNumber}`, en: `change ${c.changeNumber} of order ${c.orderNumber}` };
  const title =
    notice.kind === 'change_approval_request'
      ? w(`${change.zh} 待审批`, `Change ${c.changeNumber} of order ${c.orderNumber} needs approval`)
      : notice.kind === 'change_approval_reminder'
        ? w(`提醒：${change.zh} 仍在等待审批`, `Reminder: ${change.en} still waits for approval`)
        : w(`升级给 ${notice.to}：${change.zh} 审批超时`, `Escalated to ${notice.to}: ${change.en} is overdue for approval`);
  return {
    kind: notice.kind,
    orderNumber: c.orderNumber,
    documentNumber: c.changeNumber,
    title,
    facts: [
      w(`客户：${c.customer}`, `Customer: ${c.customer}`),
      w(`金额：${c.grossBefore} → ${c.grossAfter} ${c.currency}`, `Amount: ${c.grossBefore} → ${c.grossAfter} ${c.currency}`),
      w(`申请人：${c.requestedBy}；原因：${c.reason}`, `Asked by ${c.requestedBy}: ${c.reason}`),
      ((r) => w(`需审批原因：${r.zh}`, `Why it needs approval: ${r.en}`))(reasonList(c.approvalReasons)),
    ],
    actions: [
      { kind: 'approve_change', orderNumber: c.orderNumber, changeNumber: c.changeNumber },
      { kind: 'reject_change', orderNumber: c.orderNumber, changeNumber: c.changeNumber },
    ],
  };
}

/**
 * A write-off request is named by its order, `-W`, and its number within the order (SO-20261202-0001-W1): the name
 * a mail shows, a chat button carries and a chat command reads back (messages/chat-actions.ts).
 */
export const writeOffRequestNumber = (orderNumber: string, seq: number): string => `${orderNumber}-W${seq}`;

export function writeOffApprovalRequestNotice(r: { orderNumber: string; seq: number; customer: string; amount: string; currency: string; requestedBy: string; reason: string }): Notification {
  const requestNumber = writeOffRequestNumber(r.orderNumber, r.seq);
  return {
    kind: 'write_off_approval_request',
    orderNumber: r.orderNumber,
    documentNumber: requestNumber,
    title: w(`坏账核销申请 ${requestNumber} 待审批`, `Write-off request ${requestNumber} needs a decision`),
    facts: [
      w(`客户：${r.customer}`, `Customer: ${r.customer}`),
      w(`核销金额：${r.amount} ${r.currency}`, `Amount to write off: ${r.amount} ${r.currency}`),
      w(`申请人：${r.requestedBy}；原因：${r.reason}`, `Asked by ${r.requestedBy}: ${r.reason}`),
    ],
    actions: [
      { kind: 'approve_write_off', requestNumber },
      { kind: 'reject_write_off', requestNumber },
    ],
  };
}

export interface InvoiceFacts {
  orderNumber: string;
  invoice: string;
  customer: string;
  open: string;
  currency: string;
  dueOn: string;
}

const invoiceFacts = (i: InvoiceFacts): Words[] => [
  w(`客户：${i.customer}`, `Customer: ${i.customer}`),
  w(`发票：${i.invoice}，到期日 ${i.dueOn}`, `Invoice: ${i.invoice}, due ${i.dueOn}`),
  w(`未付金额：${i.open} ${i.currency}`, `Open: ${i.open} ${i.currency}`),
];

export function overdueNotice(i: InvoiceFacts): Notification {
  return {
    kind: 'overdue_notice',
    orderNumber: i.orderNumber,
    documentNumber: i.invoice,
    title: w(`发票 ${i.invoice} 已逾期`, `Invoice ${i.invoice} is overdue`),
    facts: invoiceFacts(i),
    actions: [],
  };
}

export function dunningNotice(i: InvoiceFacts, step: number): Notification {
  return {
    kind: 'dunning',
    orderNumber: i.orderNumber,
    documentNumber: i.invoice,
    title: w(`第 ${step} 次催款：发票 ${i.invoice} 尚有 ${i.open} ${i.currency} 未付`, `Reminder ${step}: invoice ${i.invoice} has ${i.open} ${i.currency} open`),
    facts: [...invoiceFacts(i), w('如已付款，请忽略本通知。', 'If you have paid already, please disregard this reminder.')],
    actions: [],
  };
}

export function shipmentNotice(s: { orderNumber: string; deliveryNote: string; customer: string; carrier: string | null; trackingNumber: string | null; lines: { product: string; quantity: string }[] }): Notification {
  return {
    kind: 'shipment_notice',
    orderNumber: s.orderNumber,
    documentNumber: s.deliveryNote,
    title: w(`订单 ${s.orderNumber} 已发货（${s.deliveryNote}）`, `Order ${s.orderNumber} has shipped (${s.deliveryNote})`),
    facts: [
      w(`客户：${s.customer}`, `Customer: ${s.customer}`),
      w(`承运商：${s.carrier ?? '自提'}`, `Carrier: ${s.carrier ?? 'collected by the customer'}`),
      w(`运单号：${s.trackingNumber ?? '无'}`, `Tracking number: ${s.trackingNumber ?? 'none'}`),
      ...s.lines.map((l) => w(`${l.product} × ${l.quantity}`, `${l.product} × ${l.quantity}`)),
    ],
    actions: [],
  };
}
