export { salesOrder } from './sales-order/workflow.js';
export { payerReceipt, monthlyInvoicing } from './finance/documents.js';
export { customerRefund } from './finance/refunds.js';
