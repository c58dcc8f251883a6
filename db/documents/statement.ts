import { businessDate } from '../../domain/calendar.js';
import { DomainError } from '../../domain/errors.js';
import type { Sql } from '../client.js';
import { statement } from '../receivables.js';
import type { StatementDocument } from './model.js';
import { companyHeader, partyOf } from './parties.js';

/** 对账单 as finance's statement computes it (db/receivables.ts), with the header and the customer's address. */
export async function statementPrint(sql: Sql, timeZone: string, customerCode: string, from: string, to: string, now: Date): Promise<StatementDocument | undefined> {
  const party = await partyOf(sql, customerCode);
  if (!party) return undefined;
  let s: Awaited<ReturnType<typeof statement>>;
  try {
    s = await statement(sql, customerCode, from, to);
  } catch (err) {
    if (err instanceof DomainError && err.code === 'UNKNOWN_CUSTOMER') return undefined;
    throw err;
  }
  // Its amounts are in the base currency, whatever the customer trades in (each entry shows its own).
  const { currency: _traded, ...customer } = party;
  return {
    kind: 'statement',
    number: s.customerCode,
    // A statement is dated the day it is printed.
    date: businessDate(now, timeZone),
    currency: s.currency,
    company: await companyHeader(sql),
    customer,
    facts: [],
    from,
    to,
    openingBalance: s.openingBalance,
    entries: s.lines,
    closingBalance: s.closingBalance,
  };
}
