import { patched } from '@temporalio/workflow';
import type { OrderContext } from './context.js';

/**
 * 信用控制 at delivery and at invoicing, as order process version 1 runs it: a
 * step of its own before the delivery or the invoice. (Version 2 checks inside
 * the delivery's and the invoice's own transaction: activities/checks.ts
 * `creditCheckIn`.) The settings say whether credit is checked
 * there and whether a breach blocks or only warns, so the activity decides: a block
 * fails the command before anything is written; a warning comes back and joins the
 * order's checks, where the next person to act sees it.
 *
 * `delivering` lets an over-delivery's excess count as new credit in use.
 * `mayBlock: false` is for commands nobody waits on (an automatic invoice after a
 * delivery): refusing them would only stall the order, so a breach is a warning.
 */
export async function checkCreditAt(
  ctx: OrderContext,
  point: 'delivery' | 'invoice',
  key: string,
  options: { mayBlock?: boolean; delivering?: { lineNo: number; quantity: string }[] } = {},
): Promise<void> {
  // Orders whose histories predate these check points replay without them.
  if (!patched('credit-check-at-delivery-and-invoice')) return;
  const { warning } = await ctx.acts.checkCreditAtPoint({
    orderNumber: ctx.state.orderNumber,
    point,
    key,
    mayBlock: options.mayBlock ?? true,
    ...(options.delivering ? { delivering: options.delivering.map((l) => ({ lineNo: l.lineNo, quantity: l.quantity })) } : {}),
  });
  if (warning) ctx.state.checks = [...ctx.state.checks, warning];
}
