import { say, type Lang, type Words } from '../i18n.js';

/**
 * The coded values of master-data fields, in words. Kept per field rather than in the shared dictionary:
 * the same code means different things in different fields ("net" terms, "net" amount).
 * The first value of each is the API's default, so a new record's form starts where the API would.
 */
export const CHOICES: Readonly<Record<string, Readonly<Record<string, Words>>>> = {
  grade: { regular: { zh: '普通', en: 'Regular' }, vip: { zh: 'VIP', en: 'VIP' } },
  approvalStatus: { approved: { zh: '已核准', en: 'Approved' }, pending: { zh: '待核准', en: 'Pending' }, blocked: { zh: '已冻结', en: 'Blocked' } },
  settlementTerms: { net: { zh: '账期', en: 'Net days' }, cash: { zh: '现金', en: 'Cash' }, transfer: { zh: '转账', en: 'Transfer' }, monthly: { zh: '月结', en: 'Monthly' } },
  creditControl: { company: { zh: '按公司设置', en: 'Company setting' }, customer: { zh: '按客户额度', en: 'Customer limit' }, none: { zh: '不控制', en: 'None' } },
  invoiceMode: { per_order: { zh: '按订单', en: 'Per order' }, per_delivery: { zh: '按出货', en: 'Per delivery' }, monthly: { zh: '月结', en: 'Monthly' } },
  kind: {
    opening: { zh: '期初', en: 'Opening' },
    reserve: { zh: '占用', en: 'Reserve' },
    release: { zh: '释放', en: 'Release' },
    deliver: { zh: '出货', en: 'Deliver' },
    return: { zh: '退货', en: 'Return' },
    adjust: { zh: '调整', en: 'Adjust' },
    receive: { zh: '入库', en: 'Receipt' },
    transfer: { zh: '调拨', en: 'Transfer' },
  },
  expiryState: { expired: { zh: '已过期', en: 'Expired' }, expiring: { zh: '即将过期', en: 'Expiring' } },
  datePart: { none: { zh: '无', en: 'None' }, yyyy: { zh: '年', en: 'Year' }, yyyymm: { zh: '年月', en: 'Year and month' }, yyyymmdd: { zh: '年月日', en: 'Date' } },
  separator: { '-': { zh: '-', en: '-' }, _: { zh: '_', en: '_' }, '': { zh: '（无）', en: '(none)' } },
  onBreach: { block: { zh: '拦截', en: 'Block' }, warn: { zh: '仅提醒', en: 'Warn' } },
  checkPoints: { approval: { zh: '审核', en: 'Approval' }, delivery: { zh: '出货', en: 'Delivery' }, invoice: { zh: '开票', en: 'Invoicing' } },
  documentType: {
    customer: { zh: '客户', en: 'Customer' },
    sales_order: { zh: '销售订单', en: 'Sales order' },
    delivery_note: { zh: '出货单', en: 'Delivery note' },
    invoice: { zh: '发票', en: 'Invoice' },
    receipt: { zh: '收款单', en: 'Receipt' },
    quotation: { zh: '报价单', en: 'Quotation' },
    credit_note: { zh: '红字发票', en: 'Credit note' },
    return: { zh: '退货单', en: 'Return' },
  },
};

/** A field's value in words, where the field has coded values; anything else as it is. */
export function choiceWord(lang: Lang, field: string, value: unknown): string | undefined {
  const words = Object.hasOwn(CHOICES, field) ? CHOICES[field]! : undefined;
  const key = String(value ?? '');
  return words && Object.hasOwn(words, key) ? say(lang, words[key]!) : undefined;
}

/** Rows with their coded values in words, for a table (the CSV keeps the codes). */
export function worded(lang: Lang, rows: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.map((r) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Array.isArray(v) ? v.map((x) => choiceWord(lang, k, x) ?? x).join(', ') : (choiceWord(lang, k, v) ?? v)])),
  );
}
