/**
 * `npm run demo`: walks one order from creation to completion through the running
 * API (`npm start` first) and prints each step's result. API_URL overrides the address.
 */
import { devToken } from '../api/auth/demo-users.js';

const api = process.env.API_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;

async function call(method: string, path: string, user: string, body?: unknown) {
  const res = await fetch(`${api}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${devToken(user)}` },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await res.json()) as any;
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(json.error)}`);
  return json;
}

function step(title: string, lines: string[]) {
  console.log(`\n■ ${title}`);
  for (const l of lines) console.log(`  ${l}`);
}

async function main() {
  const created = await call('POST', '/orders', 'clerk.li', {
    customerCode: 'C0001',
    lines: [
      { productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '3', unitPrice: '90.00' },
      { productCode: 'P0002', warehouseCode: 'WH-SH', quantity: '2' },
    ],
  });
  const n = created.order.number;
  step(`clerk.li creates order ${n}`, [
    `status ${created.order.status}, waiting for ${created.live?.waitingFor}`,
    ...created.order.lines.map(
      (l: any) => `line ${l.lineNo}: ${l.quantity} × ${l.productCode} @ ${l.unitPrice} (${l.priceRule}${l.belowFloor ? ', UNDER THE FLOOR' : ''}) = ${l.net} + tax ${l.tax}`,
    ),
    ...(created.order.checks ?? []).filter((c: any) => !c.passed).map((c: any) => `check failed: ${c.message}`),
    `total ${created.order.totals.net} + tax ${created.order.totals.tax} = ${created.order.totals.gross} ${created.order.currency}`,
  ]);

  const refused = await call('POST', `/orders/${n}/approve`, 'clerk.li', {}).catch((e: Error) => e.message);
  step('clerk.li tries to approve their own order', [String(refused)]);

  const firstApproval = await call('POST', `/orders/${n}/approve`, 'manager.wang', {});
  step('manager.wang approves: the price under the floor still needs the credit controller', [
    `status ${firstApproval.order.status}, still missing: ${(firstApproval.order.pendingApprovals ?? []).map((p: any) => `${p.role} (${p.reason})`).join('; ')}`,
  ]);

  const approved = await call('POST', `/orders/${n}/approve`, 'credit.sun', {});
  // A command answers with where the order stands; its lines are the order's own, read from GET /orders/{number}.
  const reserved = (await call('GET', `/orders/${n}`, 'clerk.li')).live?.lines ?? [];
  step(`credit.sun approves: status ${approved.order.status}, stock is reserved`, reserved.map((l: any) => `line ${l.lineNo}: reserved ${l.reservedQty} in ${l.warehouseCode}`));

  const first = await call('POST', `/orders/${n}/deliver`, 'warehouse.zhao', {
    lines: [{ lineNo: 1, quantity: '1' }],
    carrier: 'SF Express',
    trackingNumber: 'SF1234567890',
  });
  step(`warehouse.zhao delivers part of line 1: ${first.deliveryNote}`, [`status ${first.order.status}`]);

  const rest = await call('POST', `/orders/${n}/deliver`, 'warehouse.zhao', {});
  const delivered = (await call('GET', `/orders/${n}`, 'clerk.li')).live?.lines ?? [];
  step(`warehouse.zhao delivers the rest: ${rest.deliveryNote}`, [
    `status ${rest.order.status}`,
    ...delivered.map((l: any) => `line ${l.lineNo}: delivered ${l.deliveredQty}/${l.quantity}, close status ${l.closeStatus}`),
  ]);

  const invoice = await call('POST', `/orders/${n}/invoice`, 'finance.chen', {});
  step(`finance.chen invoices: ${invoice.invoice}`, [`gross ${invoice.gross}, due ${invoice.dueOn}, amount due ${invoice.order.amountDue}`]);

  const receipt = await call('POST', `/orders/${n}/receipts`, 'finance.chen', { amount: invoice.gross, method: 'bank_transfer' });
  step(`finance.chen records receipt ${receipt.receipt}`, receipt.allocations.map((a: any) => `matched ${a.amount} to ${a.invoiceNumber}`));

  let final = await call('GET', `/orders/${n}`, 'clerk.li');
  for (let i = 0; i < 20 && final.order.status !== 'Completed'; i++) {
    await new Promise((r) => setTimeout(r, 250));
    final = await call('GET', `/orders/${n}`, 'clerk.li');
  }
  step(`order ${n} is ${final.order.status}`, [
    `delivery notes ${final.order.deliveryNotes.map((d: any) => d.number).join(', ')}`,
    `invoices ${final.order.invoices.map((i: any) => `${i.number} (${i.gross}, paid ${i.paid})`).join(', ')}`,
    `workflow ${final.workflowId}: see it in the Temporal Web UI`,
  ]);
}

main().catch((err) => {
  console.error(String(err));
  process.exit(1);
});
