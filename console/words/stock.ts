import type { Term } from './index.js';

/** The stock-move forms' fields (入库, 调整, 调拨: console/stock.tsx). */
export const STOCK_WORDS: Record<string, Term> = {
  fromWarehouseCode: { zh: '调出仓库', en: 'From warehouse' },
  toWarehouseCode: { zh: '调入仓库', en: 'To warehouse' },
  batchNo: { zh: '批号', en: 'Batch' },
  expiryDate: { zh: '有效期至', en: 'Expires', kind: 'date' },
  countedQuantity: { zh: '实盘数量', en: 'Counted', kind: 'qty' },
  bookQuantity: { zh: '账面数量', en: 'Book', kind: 'qty' },
  countDifference: { zh: '盘盈(+)/盘亏(-)', en: 'Difference', kind: 'qty' },
  countNumber: { zh: '盘点单号', en: 'Count sheet' },
  daysLeft: { zh: '剩余天数', en: 'Days left' },
  withinDays: { zh: '预警天数', en: 'Within days' },
  expiryState: { zh: '效期状态', en: 'Expiry' },
  expiryWarningDays: { zh: '效期预警天数', en: 'Warn days before expiry' },
  suggestedBatches: { zh: '建议批次（FEFO）', en: 'Suggested batches (FEFO)' },
  adjustQuantity: { zh: '调整数量（减少填负数）', en: 'Change (negative to decrease)', kind: 'qty' },
};
