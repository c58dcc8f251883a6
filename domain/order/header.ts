import { mayPerform } from '../authorization.js';
import { addDays } from '../calendar.js';
import { dec, money } from '../decimal.js';
import { DomainError } from '../errors.js';
import { depositFor, type SettlementTerms } from '../receivables.js';

/**
 * The order's header (表头) beyond customer and lines: where it ships and to whom, whom the sale is
 * credited to, the deposit and the payment terms. The same rules hold on entry and on every edit of a draft.
 */

/** Without a date from the clerk, a line is expected a week after the order: on entry and when a change adds it. */
export const DEFAULT_DELIVERY_DAYS = 7;

export const defaultDeliveryDate = (orderDate: string): string => addDays(orderDate, DEFAULT_DELIVERY_DAYS);

export interface CustomerAddress {
  label: string;
  address: string;
  contact: string | null;
  phone: string | null;
  isDefault: boolean;
}

export interface CustomerContact {
  name: string;
  phone?: string | null | undefined;
}

/** What the order keeps of the address and contact: a copy, so a later edit of the customer does not reach it. */
export interface ShipTo {
  label: string | null;
  address: string | null;
  contact: string | null;
  phone: string | null;
}

/**
 * 送货地址 and 联系人: the address the order names by label among its customer's own (omitted: the default, else
 * the first), and the contact it names among the customer's contacts (omitted: the one the address carries).
 */
export function shipToOf(
  customerCode: string,
  addresses: readonly CustomerAddress[],
  contacts: readonly CustomerContact[],
  asked: { shipTo?: string | undefined; contact?: string | undefined },
): ShipTo {
  let address: CustomerAddress | undefined;
  if (asked.shipTo !== undefined) {
    const named = addresses.filter((a) => a.label === asked.shipTo);
    if (named.length === 0) {
      const known = addresses.map((a) => a.label).join(', ') || 'none';
      throw new DomainError('VALIDATION_FAILED', `customer ${customerCode} has no delivery address "${asked.shipTo}" (its addresses: ${known})`, 'shipTo');
    }
    if (named.length > 1) {
      throw new DomainError('VALIDATION_FAILED', `customer ${customerCode} has ${named.length} delivery addresses labelled "${asked.shipTo}"; give them distinct labels`, 'shipTo');
    }
    address = named[0];
  } else {
    address = addresses.find((a) => a.isDefault) ?? addresses[0];
  }
  let contact = { name: address?.contact ?? null, phone: address?.phone ?? null };
  if (asked.contact !== undefined) {
    const person = contacts.find((c) => c.name === asked.contact);
    if (!person) {
      const known = contacts.map((c) => c.name).join(', ') || 'none';
      throw new DomainError('VALIDATION_FAILED', `customer ${customerCode} has no contact "${asked.contact}" (its contacts: ${known})`, 'contact');
    }
    contact = { name: person.name, phone: person.phone ?? null };
  }
  return { label: address?.label ?? null, address: address?.address ?? null, contact: contact.name, phone: contact.phone };
}

/**
 * 业务员: someone who sells, i.e. an active user who may enter orders. Omitted, the sale is credited to whoever
 * enters the order (what the reports called the salesperson before the order could name one).
 */
export function checkSalesperson(name: string, user: { role: string; active: boolean } | undefined): string {
  if (!user || !user.active) throw new DomainError('VALIDATION_FAILED', `salesperson ${name} is not an active user`, 'salesperson');
  if (!mayPerform(user.role, 'createOrder')) {
    throw new DomainError('VALIDATION_FAILED', `salesperson ${name} is a ${user.role}, not someone who takes orders`, 'salesperson');
  }
  return name;
}

/** How the order asks for its deposit: a share of its gross, or an amount; neither takes the customer's ratio. */
export interface DepositAsked {
  depositRatio?: string | undefined;
  depositAmount?: string | undefined;
}

/**
 * 订金: what must be received before the order is released. A ratio applies to the gross as it stands (so an edit
 * that changes the lines changes the deposit); an amount stays as given and may not exceed the gross.
 */
export function depositRequired(gross: string, asked: DepositAsked, customerRatio: string): string {
  if (asked.depositRatio !== undefined && asked.depositAmount !== undefined) {
    throw new DomainError('VALIDATION_FAILED', 'give the deposit as a ratio or as an amount, not both', 'depositAmount');
  }
  if (asked.depositAmount === undefined) return depositFor(gross, asked.depositRatio ?? customerRatio);
  const amount = dec(asked.depositAmount);
  if (amount.greaterThan(dec(gross))) {
    throw new DomainError('VALIDATION_FAILED', `a deposit of ${money(amount)} is more than the order's gross ${money(dec(gross))}`, 'depositAmount', {
      gross: money(dec(gross)),
    });
  }
  return money(amount);
}

export interface PaymentTerms {
  settlementTerms: SettlementTerms;
  settlementDays: number;
}

/** The terms an order's invoices fall due by: those agreed for the order when it names them, else its payer's. */
export const paymentTermsOf = (payer: PaymentTerms, order: PaymentTerms | null): PaymentTerms => order ?? payer;
