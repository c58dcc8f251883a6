import type { CompanyHeader, DocumentKind, DocumentLine, FactKey, Party, PrintableDocument } from '../db/documents/model.js';
import { dec } from '../domain/decimal.js';
import { grouped, money, qty } from './format.js';
import type { SettlementTerms } from '../domain/receivables.js';
import { label, say, type Lang, type Words } from './i18n.js';
import { paymentTermsText } from './order-header.js';

/**
 * What a printed document shows, in words: one sheet model that the console page,
 * the print view and the PDF all render, so the three never disagree. Labels are
 * { zh, en } pairs (console/i18n.ts); amounts are grouped from their Decimal text (console/format.ts).
 */

export interface Column {
  label: Words;
  align: 'left' | 'right';
  /** Share of the table's width. */
  width: number;
}

export interface Sheet {
  kind: DocumentKind;
  title: Words;
  number: string;
  date: string;
  currency: string;
  company: CompanyHeader;
  customer: Party;
  facts: { label: Words; value: string }[];
  columns: Column[];
  rows: string[][];
  totals: { label: Words; value: string }[];
}

/** 0.13 → 13%: by Decimal, so 0.065 is 6.5%, never 6.500000000000001%. */
const percent = (rate: string) => (rate === '' ? '' : `${dec(rate).times(100).toFixed()}%`);

export const TITLES: Record<DocumentKind, Words> = {
  quotation: { zh: '报价单', en: 'Quotation' },
  order: { zh: '销售订单确认', en: 'Order confirmation' },
  change: { zh: '订单变更单', en: 'Order change' },
  'delivery-note': { zh: '销货单', en: 'Delivery note' },
  invoice: { zh: '发票', en: 'Invoice' },
  'credit-note': { zh: '红字发票（贷项通知单）', en: 'Credit note' },
  statement: { zh: '对账单', en: 'Customer statement' },
};

export const LABELS = {
  number: { zh: '单号', en: 'No.' },
  date: { zh: '日期', en: 'Date' },
  customer: { zh: '客户', en: 'Customer' },
  address: { zh: '地址', en: 'Address' },
  taxId: { zh: '税号', en: 'Tax ID' },
  phone: { zh: '电话', en: 'Phone' },
  currency: { zh: '币别', en: 'Currency' },
  page: { zh: '页', en: 'Page' },
  print: { zh: '打印', en: 'Print' },
  pdf: { zh: 'PDF 下载', en: 'Download PDF' },
  notFound: { zh: '找不到单据', en: 'No such document' },
  badRequest: { zh: '请求有误', en: 'Bad request' },
  forbidden: { zh: '无权查看', en: 'Not allowed' },
} satisfies Record<string, Words>;

const FACTS: Record<FactKey, Words> = {
  orderNumber: { zh: '订单号', en: 'Order' },
  version: { zh: '版本', en: 'Version' },
  validUntil: { zh: '有效期至', en: 'Valid until' },
  status: { zh: '状态', en: 'Status' },
  carrier: { zh: '物流公司', en: 'Carrier' },
  trackingNumber: { zh: '物流单号', en: 'Tracking number' },
  dueOn: { zh: '到期日', en: 'Due date' },
  invoice: { zh: '原发票', en: 'Invoice' },
  salesReturn: { zh: '销退单', en: 'Return' },
  returnKind: { zh: '类型', en: 'Kind' },
  deliveryNote: { zh: '销货单', en: 'Delivery note' },
  reason: { zh: '原因', en: 'Reason' },
  requestedBy: { zh: '申请人', en: 'Requested by' },
  decidedBy: { zh: '审核人', en: 'Approved by' },
  createdBy: { zh: '制单人', en: 'Prepared by' },
  payer: { zh: '付款客户', en: 'Payer' },
  shipTo: { zh: '送货地址', en: 'Ship to' },
  contact: { zh: '联系人', en: 'Contact' },
  salesperson: { zh: '业务员', en: 'Salesperson' },
  department: { zh: '部门', en: 'Department' },
  depositRequired: { zh: '订金', en: 'Deposit' },
  paymentTerms: { zh: '收款条件', en: 'Payment terms' },
  vatType: { zh: '发票种类', en: 'VAT invoice type' },
  buyerTaxId: { zh: '购买方税号', en: "Buyer's tax ID" },
  buyerAddress: { zh: '购买方地址电话', en: "Buyer's address and phone" },
  buyerBank: { zh: '购买方开户行及账号', en: "Buyer's bank and account" },
  taxNumber: { zh: '税务发票号', en: 'Tax invoice number' },
  taxDate: { zh: '税务开票日', en: 'Tax invoice date' },
  redLetter: { zh: '红字发票', en: 'Red-letter invoice' },
  originalTaxNumber: { zh: '原税务发票号', en: "Original's tax invoice number" },
};

/** The codes documents show that the console's dictionary (console/words/) does not name; an order's status is there. */
const VALUES: Record<string, Words> = {
  open: { zh: '未确认', en: 'Open' },
  accepted: { zh: '客户已确认', en: 'Accepted' },
  ordered: { zh: '已转订单', en: 'Ordered' },
  pending_approval: { zh: '待审核', en: 'Pending approval' },
  applied: { zh: '已生效', en: 'Applied' },
  return: { zh: '销退', en: 'Return' },
  allowance: { zh: '折让', en: 'Allowance' },
  add: { zh: '新增', en: 'Added' },
  change: { zh: '修改', en: 'Changed' },
  cancel: { zh: '取消', en: 'Cancelled' },
  invoice: { zh: '发票', en: 'Invoice' },
  credit_note: { zh: '红字发票', en: 'Credit note' },
  receipt: { zh: '收款', en: 'Receipt' },
  write_off: { zh: '坏账核销', en: 'Write-off' },
  refund: { zh: '退款', en: 'Refund' },
  special: { zh: '增值税专用发票', en: 'Special VAT invoice (专票)' },
  ordinary: { zh: '增值税普通发票', en: 'Ordinary VAT invoice (普票)' },
  e_special: { zh: '电子发票（增值税专用发票）', en: 'Electronic special VAT invoice' },
  e_ordinary: { zh: '电子发票（普通发票）', en: 'Electronic ordinary VAT invoice' },
  red_letter: { zh: '红字冲销原发票', en: 'Reverses the original invoice' },
};
const valueIn = (v: string, lang: Lang) => (Object.hasOwn(VALUES, v) ? say(lang, VALUES[v]!) : label(lang, v));
/** The facts whose values are codes; the others (a reason, a carrier) are shown as they were written. */
const CODED: ReadonlySet<FactKey> = new Set(['status', 'returnKind', 'vatType', 'redLetter']);

/** A fact's value as the reader sees it: codes in words, payment terms ("net:45") in words, money grouped. */
function factValue(key: FactKey, value: string, lang: Lang): string {
  if (CODED.has(key)) return valueIn(value, lang);
  if (key === 'depositRequired') return money(value);
  if (key === 'paymentTerms') {
    const [terms, days] = value.split(':');
    return paymentTermsText(lang, { settlementTerms: terms as SettlementTerms, settlementDays: Number(days) });
  }
  return value;
}

const col = (zh: string, en: string, width: number, align: Column['align'] = 'left'): Column => ({ label: { zh, en }, align, width });

/** A delivery note line's batches: the batch alone when one, each with its quantity when several. */
const batchCell = (l: DocumentLine) => (l.batches ?? []).map((b) => (l.batches!.length > 1 ? `${b.batchNo} ×${qty(b.quantity)}` : b.batchNo)).join(' / ');
const expiryCell = (l: DocumentLine) => (l.batches ?? []).map((b) => b.expiryDate).join(' / ');

function linesTable(lines: DocumentLine[]) {
  const gifts = lines.some((l) => l.giftQty !== undefined);
  // 批号 and 有效期至 only on a delivery note that took batches; the columns around them narrow to make room.
  const batches = lines.some((l) => l.batches !== undefined);
  const columns = [
    col('行', 'No', 4),
    col('品号', 'Product', 10),
    col('品名', 'Name', gifts ? 19 : batches ? 11 : 24),
    col('单位', 'Unit', 5),
    ...(batches ? [col('批号', 'Batch', 10), col('有效期至', 'Expires', 10)] : []),
    col('数量', 'Qty', batches ? 7 : 8, 'right'),
    ...(gifts ? [col('赠品量', 'Gift qty', 7, 'right')] : []),
    col('单价', 'Unit price', batches ? 9 : 10, 'right'),
    col('税率', 'Tax', batches ? 5 : 6, 'right'),
    col('未税金额', 'Net', batches ? 10 : 11, 'right'),
    col('税额', 'Tax amount', batches ? 9 : 10, 'right'),
    col('含税金额', 'Gross', batches ? 10 : 12, 'right'),
  ];
  const rows = lines.map((l) => [
    String(l.lineNo),
    l.productCode,
    l.productName,
    l.unit,
    ...(batches ? [batchCell(l), expiryCell(l)] : []),
    qty(l.quantity),
    ...(gifts ? [qty(l.giftQty ?? '')] : []),
    l.unitPrice === '' ? '' : money(l.unitPrice),
    percent(l.taxRate),
    grouped(l.net),
    grouped(l.tax),
    grouped(l.gross),
  ]);
  return { columns, rows };
}

/** The document as a sheet in one language (labels; the title is always in both). */
export function sheetOf(d: PrintableDocument, lang: Lang): Sheet {
  const base = {
    kind: d.kind,
    title: TITLES[d.kind],
    number: d.number,
    date: d.date,
    currency: d.currency,
    company: d.company,
    customer: d.customer,
    facts: d.facts.map((f) => ({ label: FACTS[f.key], value: factValue(f.key, f.value, lang) })),
  };
  if (d.kind === 'change') {
    const side = (s: (typeof d.lines)[number]['before']) => (s ? [qty(s.quantity), money(s.unitPrice), grouped(s.gross)] : ['', '', '']);
    return {
      ...base,
      columns: [
        col('行', 'No', 4),
        col('变更', 'Change', 7),
        col('品号', 'Product', 10),
        col('品名', 'Name', 19),
        col('原数量', 'Qty before', 9, 'right'),
        col('原单价', 'Price before', 9, 'right'),
        col('原含税金额', 'Gross before', 11, 'right'),
        col('新数量', 'Qty after', 9, 'right'),
        col('新单价', 'Price after', 9, 'right'),
        col('新含税金额', 'Gross after', 11, 'right'),
      ],
      rows: d.lines.map((l) => {
        const s = l.after ?? l.before;
        return [String(l.lineNo), valueIn(l.action, lang), s?.productCode ?? '', s?.productName ?? '', ...side(l.before), ...side(l.after)];
      }),
      totals: [
        { label: { zh: '变更前含税总额', en: 'Gross before' }, value: grouped(d.totals.grossBefore) },
        { label: { zh: '变更后含税总额', en: 'Gross after' }, value: grouped(d.totals.grossAfter) },
        { label: { zh: '差额', en: 'Difference' }, value: grouped(d.totals.difference) },
      ],
    };
  }
  if (d.kind === 'statement') {
    const opening = { zh: '期初余额', en: 'Opening balance' };
    return {
      ...base,
      facts: [{ label: { zh: '期间', en: 'Period' }, value: `${d.from} – ${d.to}` }],
      columns: [
        col('日期', 'Date', 12),
        col('类别', 'Kind', 8),
        col('单据', 'Document', 20),
        col('订单', 'Order', 24),
        col('原币金额', 'Document amount', 12, 'right'),
        col('本位币金额', 'Amount', 12, 'right'),
        col('余额', 'Balance', 12, 'right'),
      ],
      rows: [
        [d.from, say(lang, opening), '', '', '', '', grouped(d.openingBalance)],
        ...d.entries.map((e) => [
          e.date,
          valueIn(e.kind, lang),
          e.document ?? '',
          e.orderNumber ?? '',
          e.currency === d.currency ? '' : `${e.currency} ${grouped(e.documentAmount)}`,
          grouped(e.amount),
          grouped(e.balance),
        ]),
      ],
      totals: [
        { label: opening, value: grouped(d.openingBalance) },
        { label: { zh: '期末余额', en: 'Closing balance' }, value: grouped(d.closingBalance) },
      ],
    };
  }
  return {
    ...base,
    ...linesTable(d.lines),
    totals: [
      { label: { zh: '未税合计', en: 'Net total' }, value: grouped(d.totals.net) },
      { label: { zh: '税额合计', en: 'Tax total' }, value: grouped(d.totals.tax) },
      { label: { zh: '含税总计', en: 'Gross total' }, value: grouped(d.totals.gross) },
    ],
  };
}
