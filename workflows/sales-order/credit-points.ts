import { patched } from '@temporalio/workflow';
import type { OrderContext } from './context.js';

/**
 * 信用控制 at delivery and at invoicing. The settings say whether credit is checked
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
  // Version 1 orders whose histories predate these check points replay without them.
  if (ctx.version < 2 && !patched('credit-check-at-delivery-and-invoice')) return;
  // Version 2: a short read (and a warning written when there is one), inside the command's workflow task.
  const via = ctx.version >= 2 ? ctx.local : ctx.acts;
  const { warning } = await via.checkCreditAtPoint({
    orderNumber: ctx.state.orderNumber,
    point,
    key,
    mayBlock: options.mayBlock ?? true,
    ...(options.delivering ? { delivering: options.delivering.map((l) => ({ lineNo: l.lineNo, quantity: l.quantity })) } : {}),
  });
  if (warning) ctx.state.checks = [...ctx.state.checks, warning];
}
