import { dec, money } from '../decimal.js';
import { DomainError } from '../errors.js';

/**
 * A bank's notice of payment (银行到账通知) arrives as a signal: nobody waits on
 * it and nobody can be told "400". So it is checked here before anything reaches
 * Postgres, and one that cannot be booked is recorded as refused (with why) for
 * finance to see on the order's timeline, instead of being retried forever.
 */

export const BANK_RECEIPT_METHODS = ['cash', 'bank_transfer', 'card', 'cheque', 'other'] as const;
export type BankReceiptMethod = (typeof BANK_RECEIPT_METHODS)[number];

export interface CheckedBankNotice {
  noticeId: string;
  amount: string;
  receivedOn?: string;
  method: BankReceiptMethod;
}

/** A receipt's amount lands in numeric(18,2): at most 16 digits before the point, 2 after. */
const AMOUNT = /^\d{1,16}(\.\d{1,2})?$/;
const NOTICE_ID = /^[\x21-\x7e]{1,64}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const refuse = (message: string, field: string) => new DomainError('VALIDATION_FAILED', message, field);

/** The notice as it may be booked, or a refusal naming the field (the signal's payload is whatever the sender sent). */
export function checkBankNotice(notice: unknown): CheckedBankNotice {
  if (typeof notice !== 'object' || notice === null) throw refuse('a bank notice must be an object with a noticeId and an amount', 'notice');
  const { noticeId, amount, receivedOn, method } = notice as { noticeId?: unknown; amount?: unknown; receivedOn?: unknown; method?: unknown };
  if (typeof noticeId !== 'string' || !NOTICE_ID.test(noticeId)) throw refuse('noticeId must be 1 to 64 printable characters without spaces', 'noticeId');
  if (typeof amount !== 'string' || !AMOUNT.test(amount)) throw refuse('amount must be a decimal number with at most 2 decimals', 'amount');
  if (dec(amount).isZero()) throw refuse('amount must be greater than zero', 'amount');
  if (receivedOn !== undefined && (typeof receivedOn !== 'string' || !DATE.test(receivedOn) || Number.isNaN(Date.parse(`${receivedOn}T00:00:00Z`)))) {
    throw refuse('receivedOn must be a date (YYYY-MM-DD)', 'receivedOn');
  }
  if (method !== undefined && !BANK_RECEIPT_METHODS.includes(method as BankReceiptMethod)) throw refuse(`method must be one of ${BANK_RECEIPT_METHODS.join(', ')}`, 'method');
  return {
    noticeId,
    amount: money(dec(amount)),
    ...(receivedOn === undefined ? {} : { receivedOn: receivedOn as string }),
    method: (method as BankReceiptMethod | undefined) ?? 'bank_transfer',
  };
}

/**
 * A refused notice's fields as they may be written and shown: whatever came in,
 * as JSON text without control characters, cut short.
 */
export function describeRefusedNotice(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = '(unreadable)';
  }
  // JSON already escapes the C0 controls; DEL is left, and goes too.
  text = text.replaceAll('\u007f', '?');
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
