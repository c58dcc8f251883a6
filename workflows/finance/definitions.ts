import type { RecordReceiptInput, RecordedReceipt } from '../../activities/receipts.js';
import type { IssueMonthlyInvoiceInput, MonthlyInvoice } from '../../activities/invoicing.js';

/** Finance's own workflows: documents that span several orders, each then told to the orders concerned. */
export const PAYER_RECEIPT_WORKFLOW = 'payerReceipt';
export const MONTHLY_INVOICING_WORKFLOW = 'monthlyInvoicing';

export const CUSTOMER_REFUND_WORKFLOW = 'customerRefund';
export const customerRefundWorkflowId = (key: string) => `refund-${key}`;
export type { RecordRefundInput, RecordedRefund } from '../../activities/refunds.js';

export const payerReceiptWorkflowId = (key: string) => `receipt-${key}`;
export const monthlyInvoicingWorkflowId = (customerCode: string, period: string) => `monthly-invoice-${customerCode}-${period}`;

export type PayerReceiptInput = Omit<RecordReceiptInput, 'scope' | 'orderNumber'> & { payerCode: string };
export type MonthlyInvoicingInput = IssueMonthlyInvoiceInput;
export type { RecordedReceipt, MonthlyInvoice };
