import { dec } from '../domain/decimal.js';
import { baseTotals, missingRate, rateOf, receiptAllocationFx, type ReceiptAllocationFx } from '../domain/fx.js';
import type { Sql, Tx } from './client.js';

/** Exchange rates and the base currency (domain/fx.ts has the rule; this reads and writes the rows). */

/** 本位币, from company_settings (CNY until a company sets another before its first document). */
export async function baseCurrency(sql: Sql | Tx): Promise<string> {
  const [row] = await sql<{ value: string }[]>`SELECT value #>> '{}' AS value FROM company_settings WHERE key = 'currency.base'`;
  return row?.value ?? 'CNY';
}

/**
 * The rate a document of `currency` dated `on` is booked at ('1' in the base currency); refuses
 * with EXCHANGE_RATE_MISSING (currency and date named) when finance has entered none on or before it.
 */
export async function documentRate(sql: Sql | Tx, currency: string, on: string): Promise<string> {
  const base = await baseCurrency(sql);
  const rows =
    currency === base
      ? []
      : await sql<{ on: string; rate: string }[]>`
          SELECT rate_on::text AS on, rate::text FROM exchange_rates WHERE currency = ${currency} AND rate_on <= ${on}::date
          ORDER BY rate_on DESC LIMIT 1`;
  const rate = rateOf(currency, on, base, rows);
  if (!rate) throw missingRate(currency, on);
  return rate.toFixed();
}

export interface ExchangeRate {
  currency: string;
  date: string;
  rate: string;
  enteredBy: string;
  enteredAt: string;
}

export async function listExchangeRates(sql: Sql, filter: { currency?: string; limit: number }): Promise<ExchangeRate[]> {
  const rows = await sql<{ currency: string; rate_on: string; rate: string; entered_by: string; entered_at: Date }[]>`
    SELECT currency, rate_on::text, rate::text, entered_by, entered_at FROM exchange_rates
    WHERE ${filter.currency ?? null}::text IS NULL OR currency = ${filter.currency ?? null}
    ORDER BY rate_on DESC, currency LIMIT ${filter.limit}`;
  return rows.map((r) => ({ currency: r.currency, date: r.rate_on, rate: dec(r.rate).toFixed(), enteredBy: r.entered_by, enteredAt: r.entered_at.toISOString() }));
}

/**
 * Enters or corrects rates (one per currency and day). A correction changes no document already
 * booked: each document keeps the rate it was written with.
 */
export async function saveExchangeRates(tx: Tx, rates: { currency: string; date: string; rate: string }[], enteredBy: string): Promise<number> {
  for (const r of rates) {
    await tx`
      INSERT INTO exchange_rates (currency, rate_on, rate, entered_by) VALUES (${r.currency}, ${r.date}, ${r.rate}, ${enteredBy})
      ON CONFLICT (currency, rate_on) DO UPDATE SET rate = EXCLUDED.rate, entered_by = EXCLUDED.entered_by, entered_at = now()`;
  }
  return rates.length;
}

/**
 * 核销 of a receipt against an invoice, in both currencies: the allocation row carries what it
 * clears of the invoice in base (at the invoice's rate) and the exchange difference against the
 * receipt's rate; a difference also goes into the receivable ledger, so the payer's base balance
 * stays what its open invoices carry in base. Both documents are locked by the caller.
 */
export async function allocateReceipt(tx: Tx, key: string, receiptId: string, invoiceId: string, amount: string): Promise<ReceiptAllocationFx> {
  const [d] = await tx<{ invoice_rate: string; settled: string; receipt_rate: string; allocated: string; customer_id: string; order_id: string; currency: string; entry_on: string }[]>`
    SELECT i.fx_rate::text AS invoice_rate, (i.paid_amount + i.written_off_amount + i.credited_amount)::text AS settled,
           r.fx_rate::text AS receipt_rate, r.allocated_amount::text AS allocated, i.payer_customer_id AS customer_id, i.order_id,
           r.currency, greatest(r.received_on, i.issued_on)::text AS entry_on
    FROM invoices i, receipts r WHERE i.id = ${invoiceId} AND r.id = ${receiptId}`;
  const fx = receiptAllocationFx({
    amount,
    invoiceRate: d!.invoice_rate,
    invoiceSettledBefore: d!.settled,
    receiptRate: d!.receipt_rate,
    receiptAllocatedBefore: d!.allocated,
  });
  await tx`
    INSERT INTO receipt_allocations (receipt_id, invoice_id, amount, base_amount, exchange_difference)
    VALUES (${receiptId}, ${invoiceId}, ${amount}, ${fx.invoiceBase}, ${fx.exchangeDifference})`;
  if (!dec(fx.exchangeDifference).isZero()) {
    await tx`
      INSERT INTO receivable_entries (idempotency_key, customer_id, order_id, invoice_id, receipt_id, kind, amount, currency, fx_rate, base_amount, entry_on)
      VALUES (${`${key}/fx/${receiptId}/${invoiceId}`}, ${d!.customer_id}, ${d!.order_id}, ${invoiceId}, ${receiptId}, 'exchange_difference', 0,
              ${d!.currency}, ${d!.receipt_rate}, ${fx.exchangeDifference}, ${d!.entry_on})`;
  }
  return fx;
}

/** An order's base totals after its totals changed (a change or a draft edit), at the rate it was created with. */
export async function restateOrderInBase(tx: Tx, orderId: string): Promise<void> {
  const [o] = await tx<{ net: string; tax: string; gross: string; fx_rate: string }[]>`
    SELECT net_amount::text AS net, tax_amount::text AS tax, gross_amount::text AS gross, fx_rate::text FROM sales_orders WHERE id = ${orderId}`;
  const b = baseTotals(o!, o!.fx_rate);
  await tx`UPDATE sales_orders SET base_net_amount = ${b.net}, base_tax_amount = ${b.tax}, base_gross_amount = ${b.gross} WHERE id = ${orderId}`;
}
