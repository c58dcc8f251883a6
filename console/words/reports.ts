import type { Term } from './index.js';

/** The reports pages' fields and codes. */
export const REPORT_WORDS: Record<string, Term> = {
  salesperson: { zh: '业务员', en: 'Salesperson' },
  orderDate: { zh: '订单日期', en: 'Order date', kind: 'date' },
  orderLineNo: { zh: '订单项次', en: 'Order line' },
  orderedQty: { zh: '订购数量', en: 'Ordered', kind: 'qty' },
  openNet: { zh: '未出货金额', en: 'Open net', kind: 'money' },
  rank: { zh: '名次', en: 'Rank' },
  sharePercent: { zh: '占比', en: 'Share', kind: 'percent' },
  cumulativeSharePercent: { zh: '累计占比', en: 'Cumulative share', kind: 'percent' },
  cost: { zh: '成本', en: 'Cost', kind: 'money' },
  margin: { zh: '毛利', en: 'Margin', kind: 'money' },
  marginPercent: { zh: '毛利率', en: 'Margin rate', kind: 'percent' },
  creditNote: { zh: '红字发票', en: 'Credit note' },
  basis: { zh: '口径', en: 'Basis' },
  expectedFrom: { zh: '预交货日起', en: 'Expected from' },
  expectedTo: { zh: '预交货日止', en: 'Expected to' },
  'salesKind.delivery': { zh: '出货', en: 'Delivery' },
  'salesKind.return': { zh: '销退', en: 'Return' },
  'salesKind.allowance': { zh: '折让', en: 'Allowance' },
  at: { zh: '时间', en: 'Time', kind: 'time' },
  onHandChange: { zh: '库存变动', en: 'On-hand change', kind: 'qty' },
  reservedChange: { zh: '占用变动', en: 'Reserved change', kind: 'qty' },
  onHandAfter: { zh: '结存库存', en: 'On hand after', kind: 'qty' },
  reservedAfter: { zh: '结存占用', en: 'Reserved after', kind: 'qty' },
  documentGross: { zh: '原币含税金额', en: 'Gross (order currency)', kind: 'money' },
};
