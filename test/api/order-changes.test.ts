import { WorkflowUpdateFailedError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { changeOrderUpdate, orderStateQuery, SALES_ORDER_WORKFLOW, type SalesOrderInput } from '../../workflows/sales-order/definitions.js';
import { stockLedgerMismatches, stockOf } from '../support/ledger.js';
import { liveOrder } from '../support/live-order.js';
import { useStack } from '../support/stack.js';

const stack = useStack();

type Line = { productCode: string; warehouseCode: string; quantity: string; unitPrice?: string };

async function approvedOrder(lines: Line[], customerCode = 'C0002') {
  const created = await stack.request('POST', '/orders', { user: 'clerk.li', body: { customerCode, lines } });
  expect(created.status).toBe(201);
  const number = created.body.order.number as string;
  const approved = await stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} });
  expect(approved.status).toBe(200);
  expect(approved.body.order.status).toBe('Approved');
  return number;
}

const change = (number: string, body: unknown, user = 'clerk.li') => stack.request('POST', `/orders/${number}/changes`, { user, body });
const order = async (number: string) => (await stack.request('GET', `/orders/${number}`)).body;
const changesOf = async (number: string) => (await stack.request('GET', `/orders/${number}/changes`)).body.changes;

describe('order changes (订单变更单)', () => {
  it('a change that lowers the amount applies at once: version 0001, reservation released, history and as-of view', async () => {
    const before = await stockOf(stack.sql, 'P0003', 'WH-BJ');
    const number = await approvedOrder([{ productCode: 'P0003', warehouseCode: 'WH-BJ', quantity: '100', unitPrice: '3.50' }]);
    expect((await stockOf(stack.sql, 'P0003', 'WH-BJ'))!.reserved).toBe(String(Number(before!.reserved) + 100));

    const res = await change(number, { reason: 'customer needs less', lines: [{ action: 'change', lineNo: 1, quantity: '60' }] });
    expect(res.status).toBe(200);
    expect(res.body.change).toMatchObject({ version: '0001', status: 'applied', reasons: [] });
    // 60 × 3.50 = 210.00 + 13% = 27.30
    expect(res.body.order.gross).toBe('237.30');
    expect((await liveOrder(stack, number)).totals).toEqual({ net: '210.00', tax: '27.30', gross: '237.30' });
    expect((await liveOrder(stack, number)).lines[0]).toMatchObject({ quantity: '60', reservedQty: '60' });
    expect((await stockOf(stack.sql, 'P0003', 'WH-BJ'))!.reserved).toBe(String(Number(before!.reserved) + 60));

    const doc = await order(number);
    expect(doc.order.totals.gross).toBe('237.30');
    expect(doc.order.lines[0]).toMatchObject({ quantity: '60', reservedQty: '60' });

    const [first] = await changesOf(number);
    expect(first).toMatchObject({ version: '0001', status: 'applied', reason: 'customer needs less', requestedBy: 'clerk.li', grossBefore: '395.50', grossAfter: '237.30' });
    expect(first.lines).toEqual([
      {
        lineNo: 1,
        action: 'change',
        before: expect.objectContaining({ quantity: '100', unitPrice: '3.5' }),
        after: expect.objectContaining({ quantity: '60', unitPrice: '3.5' }),
      },
    ]);
    const v0 = await stack.request('GET', `/orders/${number}?version=0`);
    expect(v0.body).toMatchObject({ version: '0000', changeStatus: 'original', totals: { gross: '395.50' } });
    expect(v0.body.lines[0].quantity).toBe('100');
    const v1 = await stack.request('GET', `/orders/${number}?version=0001`);
    expect(v1.body).toMatchObject({ version: '0001', changeStatus: 'applied', totals: { gross: '237.30' } });
    const v9 = await stack.request('GET', `/orders/${number}?version=9`);
    expect(v9.status).toBe(404);
    expect(v9.body.error.field).toBe('version');
    expect(await stockLedgerMismatches(stack.sql)).toEqual([]);
  });

  it('a change that raises the amount waits for approval; a rejection leaves the order and its reservations exactly as they were', async () => {
    const number = await approvedOrder([{ productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '10', unitPrice: '120.00' }]);
    const reservedBefore = (await stockOf(stack.sql, 'P0001', 'WH-SH'))!.reserved;
    const before = await order(number);

    const res = await change(number, { reason: 'customer wants more', lines: [{ action: 'change', lineNo: 1, quantity: '15' }] });
    expect(res.status).toBe(200);
    expect(res.body.change.status).toBe('pending_approval');
    expect(res.body.change.version).toBe('0001');
    expect(res.body.change.reasons[0]).toContain('from 1356.00 to 2034.00');
    expect(res.body.change.pendingApprovals.map((a: { role: string }) => a.role)).toEqual(['approver']);
    expect(res.body.order.waitingFor).toBe('changeApproval');
    // Nothing moved yet.
    expect(res.body.order.gross).toBe('1356.00');
    expect((await liveOrder(stack, number)).lines[0].quantity).toBe('10');
    expect((await stockOf(stack.sql, 'P0001', 'WH-SH'))!.reserved).toBe(reservedBefore);

    // Another change must wait for this one.
    const second = await change(number, { reason: 'again', lines: [{ action: 'change', lineNo: 1, quantity: '11' }] });
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({ code: 'CHANGE_PENDING', field: 'version' });

    const rejected = await stack.request('POST', `/orders/${number}/changes/0001/reject`, { user: 'manager.wang', body: { reason: 'price list expired' } });
    expect(rejected.status).toBe(200);
    expect(rejected.body.change.status).toBe('rejected');
    const after = await order(number);
    expect(after.order.totals).toEqual(before.order.totals);
    expect(after.order.lines).toEqual(before.order.lines);
    expect(after.live.lines).toEqual(before.live.lines);
    expect((await stockOf(stack.sql, 'P0001', 'WH-SH'))!.reserved).toBe(reservedBefore);
    const history = await changesOf(number);
    expect(history[0]).toMatchObject({ version: '0001', status: 'rejected', decidedBy: 'manager.wang', rejectReason: 'price list expired' });
    const v1 = await stack.request('GET', `/orders/${number}?version=1`);
    expect(v1.body).toMatchObject({ changeStatus: 'rejected', totals: { gross: '1356.00' } });

    // The number is used up: the next change is 0002, and approved it applies with its reservation.
    const raise = await change(number, { reason: 'customer wants more, confirmed', lines: [{ action: 'change', lineNo: 1, quantity: '15' }] });
    expect(raise.body.change).toMatchObject({ version: '0002', status: 'pending_approval' });
    const clerk = await stack.request('POST', `/orders/${number}/changes/0002/approve`, { user: 'clerk.zhang', body: {} });
    expect(clerk.status).toBe(403);
    const approved = await stack.request('POST', `/orders/${number}/changes/0002/approve`, { user: 'manager.wang', body: {} });
    expect(approved.status).toBe(200);
    expect(approved.body.change.status).toBe('applied');
    expect(approved.body.order.gross).toBe('2034.00');
    expect((await liveOrder(stack, number)).lines[0]).toMatchObject({ quantity: '15', reservedQty: '15' });
    expect(Number((await stockOf(stack.sql, 'P0001', 'WH-SH'))!.reserved)).toBe(Number(reservedBefore) + 5);
    const final = await changesOf(number);
    expect(final.map((c: { version: string; status: string }) => [c.version, c.status])).toEqual([
      ['0001', 'rejected'],
      ['0002', 'applied'],
    ]);
    expect(final[1].approvals).toEqual([{ actor: 'manager.wang', role: 'approver' }]);
    const timeline = (await stack.request('GET', `/orders/${number}/timeline`)).body.events as { kind: string; actor?: string; document?: string }[];
    const changeEvents = timeline.filter((e) => e.kind.startsWith('change.')).map((e) => [e.kind, e.document, e.actor]);
    expect(changeEvents).toEqual([
      ['change.requested', '0001', 'clerk.li'],
      ['change.rejected', '0001', 'manager.wang'],
      ['change.requested', '0002', 'clerk.li'],
      ['change.applied', '0002', 'manager.wang'],
    ]);
    expect(await stockLedgerMismatches(stack.sql)).toEqual([]);
  });

  it('a price under the floor needs the credit controller, even when the amount goes down', async () => {
    const number = await approvedOrder([{ productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '2', unitPrice: '120.00' }]);
    // Floor: 120 × 80% = 96.
    const res = await change(number, { reason: 'discount', lines: [{ action: 'change', lineNo: 1, unitPrice: '95.99' }] });
    expect(res.body.change.status).toBe('pending_approval');
    expect(res.body.change.pendingApprovals.map((a: { role: string }) => a.role).sort()).toEqual(['approver', 'credit_controller']);
    expect((await stack.request('POST', `/orders/${number}/changes/0001/approve`, { user: 'manager.wang', body: {} })).body.change.status).toBe('pending_approval');
    const done = await stack.request('POST', `/orders/${number}/changes/0001/approve`, { user: 'credit.sun', body: {} });
    expect(done.body.change.status).toBe('applied');
    expect((await liveOrder(stack, number)).lines[0].unitPrice).toBe('95.99');
    // 2 × 95.99 = 191.98 + 24.96 (13%, 24.9574 → 24.96)
    expect(done.body.order.gross).toBe('216.94');
  });

  it('moves a line to another warehouse with its reservation, adds a priced line and cancels another', async () => {
    const number = await approvedOrder([
      { productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '4', unitPrice: '130.00' },
      { productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '50', unitPrice: '3.50' },
    ]);
    const sh = (await stockOf(stack.sql, 'P0001', 'WH-SH'))!.reserved;
    const bj = (await stockOf(stack.sql, 'P0001', 'WH-BJ'))!.reserved;
    const cable = (await stockOf(stack.sql, 'P0003', 'WH-SH'))!.reserved;
    const res = await change(number, {
      reason: 'ship from Beijing; cable not needed; add a panel',
      lines: [
        { action: 'change', lineNo: 1, warehouseCode: 'WH-BJ' },
        { action: 'cancel', lineNo: 2 },
        { action: 'add', productCode: 'P0002', warehouseCode: 'WH-SH', quantity: '1' },
      ],
    });
    expect(res.status).toBe(200);
    // The panel at the regular 95% of 2500 raises the amount: it waits for approval.
    expect(res.body.change.status).toBe('pending_approval');
    const done = await stack.request('POST', `/orders/${number}/changes/0001/approve`, { user: 'manager.wang', body: {} });
    expect(done.status).toBe(200);
    const { lines, totals } = await liveOrder(stack, number);
    expect(lines.map((l: { lineNo: number; warehouseCode: string; closeStatus: string; reservedQty: string; unitPrice: string }) => [l.lineNo, l.warehouseCode, l.closeStatus, l.reservedQty, l.unitPrice])).toEqual([
      [1, 'WH-BJ', 'N', '4', '130'],
      [2, 'WH-SH', 'y', '0', '3.5'],
      [3, 'WH-SH', 'N', '1', '2375'],
    ]);
    expect((await stockOf(stack.sql, 'P0001', 'WH-SH'))!.reserved).toBe(String(Number(sh) - 4));
    expect((await stockOf(stack.sql, 'P0001', 'WH-BJ'))!.reserved).toBe(String(Number(bj) + 4));
    expect((await stockOf(stack.sql, 'P0003', 'WH-SH'))!.reserved).toBe(String(Number(cable) - 50));
    // 4 × 130 = 520 + 67.60; 2375 + 308.75; the cancelled cable no longer counts.
    expect(totals).toEqual({ net: '2895.00', tax: '376.35', gross: '3271.35' });
    expect(done.body.order.gross).toBe('3271.35');
    const doc = await order(number);
    expect(doc.order.totals.gross).toBe('3271.35');
    expect(doc.order.lines.map((l: { lineNo: number }) => l.lineNo)).toEqual([1, 2, 3]);
    expect(await stockLedgerMismatches(stack.sql)).toEqual([]);
  });

  it('refuses a quantity below what was delivered, and bad input, naming the field and writing nothing', async () => {
    const number = await approvedOrder([{ productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '20', unitPrice: '3.50' }]);
    await stack.request('POST', `/orders/${number}/deliver`, { user: 'warehouse.zhao', body: { lines: [{ lineNo: 1, quantity: '8' }] } });
    const below = await change(number, { reason: 'less', lines: [{ action: 'change', lineNo: 1, quantity: '7.5' }] });
    expect(below.status).toBe(422);
    expect(below.body.error).toMatchObject({ code: 'QUANTITY_BELOW_DELIVERED', field: 'lines[0].quantity' });
    const unknownLine = await change(number, { reason: 'x', lines: [{ action: 'change', lineNo: 9, quantity: '1' }] });
    expect(unknownLine.status).toBe(404);
    expect(unknownLine.body.error.field).toBe('lines[0].lineNo');
    const badWarehouse = await change(number, { reason: 'x', lines: [{ action: 'change', lineNo: 1, warehouseCode: 'WH-XX' }] });
    expect(badWarehouse.status).toBe(422);
    expect(badWarehouse.body.error).toMatchObject({ code: 'UNKNOWN_WAREHOUSE', field: 'lines[0].warehouseCode' });
    const badProduct = await change(number, { reason: 'x', lines: [{ action: 'change', lineNo: 1, quantity: '9' }, { action: 'add', productCode: 'NOPE', warehouseCode: 'WH-SH', quantity: '1' }] });
    expect(badProduct.status).toBe(422);
    expect(badProduct.body.error).toMatchObject({ code: 'UNKNOWN_PRODUCT', field: 'lines[1].productCode' });
    const same = await change(number, { reason: 'x', lines: [{ action: 'change', lineNo: 1, quantity: '20' }] });
    expect(same.status).toBe(422);
    expect(same.body.error.code).toBe('NOTHING_CHANGED');
    const noReason = await change(number, { reason: '', lines: [{ action: 'change', lineNo: 1, quantity: '9' }] });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.field).toBe('reason');
    const warehouse = await change(number, { reason: 'x', lines: [{ action: 'change', lineNo: 1, quantity: '9' }] }, 'warehouse.zhao');
    expect(warehouse.status).toBe(403);
    expect(await changesOf(number)).toEqual([]);
    // Down to what was delivered closes the line; the rest of the reservation goes back.
    const ok = await change(number, { reason: 'rest not needed', lines: [{ action: 'change', lineNo: 1, quantity: '8' }] });
    expect((await liveOrder(stack, number)).lines[0]).toMatchObject({ quantity: '8', closeStatus: 'Y', reservedQty: '0' });
    expect(ok.body.order.status).toBe('Delivered');
    expect(await stockLedgerMismatches(stack.sql)).toEqual([]);
  });

  it('numbers changes up to 9999 and refuses the 10,000th', async () => {
    const number = await approvedOrder([{ productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '10', unitPrice: '3.50' }]);
    const state = await stack.client.workflow.getHandle(`order-${number}`).query(orderStateQuery);
    // The same order's state as if 9,998 changes had been made, in a workflow of its own.
    const { amountDue: _a, waitingFor: _w, pendingApprovals: _p, ...rest } = state;
    const input: SalesOrderInput = { order: { orderNumber: number, customerCode: 'C0002', currency: 'CNY', createdBy: 'clerk.li', lines: [] }, state: { ...rest, changeVersion: 9998 } };
    const handle = await stack.client.workflow.start(SALES_ORDER_WORKFLOW, { taskQueue: stack.taskQueue, workflowId: `order-${number}-limit`, args: [input] });
    const actor = { actor: 'clerk.li', actorRole: 'clerk' as const };
    const last = await handle.executeUpdate(changeOrderUpdate, { args: [{ ...actor, reason: 'the last one', lines: [{ action: 'change', lineNo: 1, quantity: '9' }] }] });
    expect(last.change).toMatchObject({ version: '9999', status: 'applied' });
    const refused = await handle
      .executeUpdate(changeOrderUpdate, { args: [{ ...actor, reason: 'one too many', lines: [{ action: 'change', lineNo: 1, quantity: '8' }] }] })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((refused as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'CHANGE_LIMIT_REACHED' });
    await handle.terminate('test done');
  });

  it("a change still waiting when its order is cancelled is withdrawn with it: no longer anyone's to decide", async () => {
    const number = await approvedOrder([{ productCode: 'P0003', warehouseCode: 'WH-BJ', quantity: '10', unitPrice: '3.50' }]);
    const raised = await change(number, { reason: 'more please', lines: [{ action: 'change', lineNo: 1, quantity: '900' }] });
    expect(raised.body.change.status).toBe('pending_approval');
    const version = raised.body.change.version as string;
    const waiting = async () =>
      ((await stack.request('GET', '/approvals/inbox', { user: 'director.liu' })).body.items as { orderNumber: string; kind: string }[])
        .filter((i) => i.orderNumber === number && i.kind === 'change');
    expect(await waiting()).toHaveLength(1);
    expect((await stack.request('POST', `/orders/${number}/cancel`, { user: 'clerk.li', body: { reason: 'customer withdrew' } })).status).toBe(200);
    expect(await waiting()).toEqual([]);
    expect((await changesOf(number)).find((c: { version: string }) => c.version === version)).toMatchObject({ status: 'rejected', decidedBy: 'clerk.li' });
    const live = await stack.client.workflow.getHandle(`order-${number}`).query(orderStateQuery);
    expect(live.pendingChange).toBeUndefined();
  });
});
