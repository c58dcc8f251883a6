export { salesOrder } from './sales-order/workflow.js';
export { payerReceipt, monthlyInvoicing } from './finance/documents.js';
