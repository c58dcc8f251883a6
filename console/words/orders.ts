import type { Term } from './index.js';

/** The orders pages' fields and codes. */
export const ORDER_WORDS: Record<string, Term> = {
  lineNo: { zh: '项次', en: 'Line' },
  reservedQty: { zh: '已预留', en: 'Reserved', kind: 'qty' },
  deliveredQty: { zh: '已出货', en: 'Delivered', kind: 'qty' },
  invoicedQty: { zh: '已开票', en: 'Invoiced', kind: 'qty' },
  closeStatus: { zh: '结束', en: 'Closed', kind: 'flag' },
  Unapproved: { zh: '未审核', en: 'Unapproved' },
  Approved: { zh: '已审核', en: 'Approved' },
  PartiallyDelivered: { zh: '部分出货', en: 'Partially delivered' },
  Delivered: { zh: '已出货', en: 'Delivered' },
  Completed: { zh: '已结案', en: 'Completed' },
  Cancelled: { zh: '已取消', en: 'Cancelled' },
  Rejected: { zh: '已驳回', en: 'Rejected' },
};
