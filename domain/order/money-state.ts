import type { InvoiceMode } from '../receivables.js';

/**
 * The order's money beyond the invoice (issue 6): its receivables one by one, the
 * deposit that gates delivery, money held in advance, what was written off.
 */
export interface OrderReceivable {
  invoice: string;
  gross: string;
  paid: string;
  writtenOff: string;
  dueOn: string;
  /** From this instant (epoch ms, domain/due.ts) the receivable is overdue; the collection clock marks it. */
  overdueAt: number;
  overdue: boolean;
  /** The dunning reminders still to send, each at its instant (epoch ms); one leaves the list when it is sent. */
  dunningAt: number[];
  /** How many dunning reminders went out. */
  reminders: number;
  /** Settled by credit notes (returns, allowances); absent on receivables booked before credit notes existed. */
  credited?: string;
}

export interface OrderMoney {
  invoiceMode: InvoiceMode;
  depositRequired: string;
  depositReceived: string;
  /** Received for this order and not yet applied to one of its invoices (预收). */
  advance: string;
  writtenOffTotal: string;
  /** Credit notes applied to this order's invoices (their rest is the payer's credit, not this order's). */
  creditedTotal?: string;
  receivables: OrderReceivable[];
  /** Every receipt/invoice pair applied, so a payment reported twice counts once. */
  applied: string[];
  /** Payments reported for an invoice this order has not heard of yet (signals may cross). */
  early: { receipt: string; invoice: string; amount: string; writtenOff: string }[];
}

export function newOrderMoney(invoiceMode: InvoiceMode | undefined, depositRequired: string | undefined): OrderMoney {
  return {
    invoiceMode: invoiceMode ?? 'per_order',
    depositRequired: depositRequired ?? '0.00',
    depositReceived: '0.00',
    advance: '0.00',
    writtenOffTotal: '0.00',
    creditedTotal: '0.00',
    receivables: [],
    applied: [],
    early: [],
  };
}
