import { describe, expect, it } from 'vitest';
import type { ZodTypeAny } from 'zod';
import { historyBytes } from '../../bench/shape.js';
import { ORDER_COMMANDS } from '../../api/orders/commands.js';
import { CommandResult, DeliveryResult, InvoiceResult, OrderNow, ReceiptResult } from '../../api/orders/schemas.js';
import { orderWorkflowId } from '../../workflows/sales-order/definitions.js';
import { useStack } from '../support/stack.js';
import { newStandardOrder } from '../support/live-order.js';

/**
 * A command answers with what it made and where the order stands, never the whole order: its answer is
 * written into the order's history, which every workflow task and every replay carries.
 */
const stack = useStack();

/** The order's own fields a command must not echo (the view's lines, documents, internal step counters). */
const WHOLE_ORDER_ONLY = ['lines', 'steps', 'money', 'checks', 'approvals', 'requiredApprovals', 'deliveryNotes', 'invoices', 'receipts', 'totals', 'createdBy'];

const newOrder = () => newStandardOrder(stack);

async function command(number: string, path: string, user: string, body: unknown, schema: ZodTypeAny) {
  const res = await stack.request('POST', `/orders/${number}/${path}`, { user, body });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  // The documented schema is strict: an answer with any field it does not name fails here.
  expect(schema.safeParse(res.body).error?.issues ?? []).toEqual([]);
  for (const key of WHOLE_ORDER_ONLY) {
    expect(res.body, `${path} answers with ${key}`).not.toHaveProperty(key);
    expect(res.body.order, `${path} answers with order.${key}`).not.toHaveProperty(key);
  }
  return res.body;
}

/** create → approve → deliver → invoice → receipt, through the API; the order completes. */
async function lifecycle() {
  const number = await newOrder();
  const approved = await command(number, 'approve', 'manager.wang', {}, CommandResult);
  const delivered = await command(number, 'deliver', 'warehouse.zhao', {}, DeliveryResult);
  const invoiced = await command(number, 'invoice', 'finance.chen', {}, InvoiceResult);
  const paid = await command(number, 'receipts', 'finance.chen', { amount: invoiced.gross, method: 'bank_transfer' }, ReceiptResult);
  await stack.client.workflow.getHandle(orderWorkflowId(number)).result();
  return { number, approved, delivered, invoiced, paid };
}

describe('lean commands', () => {
  it('each command answers with its document numbers, amounts and the new status; the documents and GET /orders/:n agree', async () => {
    const { number, approved, delivered, invoiced, paid } = await lifecycle();
    // 2 × 120.00 = 240.00 net, 31.20 tax.
    const standing = { orderNumber: number, currency: 'CNY', gross: '271.20' };
    expect(approved).toEqual({ order: { ...standing, status: 'Approved', waitingFor: 'delivery', amountDue: '0.00' } });
    expect(delivered).toEqual({ deliveryNote: expect.stringMatching(/^DN-/), order: { ...standing, status: 'Delivered', waitingFor: 'invoice', amountDue: '0.00' } });
    expect(invoiced).toEqual({
      invoice: expect.stringMatching(/^INV-/),
      gross: '271.20',
      dueOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      order: { ...standing, status: 'Delivered', waitingFor: 'payment', amountDue: '271.20' },
    });
    expect(paid).toMatchObject({
      receipt: expect.stringMatching(/^RC-/),
      allocations: [{ invoiceNumber: invoiced.invoice, amount: '271.20' }],
      // Paid: the order completes right after the receipt's step (GET below).
      order: { ...standing, status: 'Delivered', amountDue: '0.00' },
    });

    const whole = (await stack.request('GET', `/orders/${number}`, { user: 'clerk.li' })).body;
    expect(whole.order.status).toBe('Completed');
    expect(whole.order.deliveryNotes.map((d: { number: string }) => d.number)).toEqual([delivered.deliveryNote]);
    expect(whole.order.invoices).toEqual([expect.objectContaining({ number: invoiced.invoice, gross: invoiced.gross, dueOn: invoiced.dueOn })]);
    expect(whole.order.receipts).toEqual([expect.objectContaining({ number: paid.receipt, amount: '271.20' })]);
  });

  it('an approval that leaves approvals missing names them, and only then', async () => {
    // Under the price floor: the manager's approval is not enough on its own.
    const res = await stack.request('POST', '/orders', {
      user: 'clerk.li',
      body: { customerCode: 'C0001', lines: [{ productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '1', unitPrice: '33.33' }] },
    });
    const number = res.body.order.number as string;
    const first = await command(number, 'approve', 'manager.wang', {}, CommandResult);
    expect(first.order).toMatchObject({ status: 'Unapproved', waitingFor: 'approval', pendingApprovals: [expect.objectContaining({ role: 'credit_controller' })] });
    const second = await command(number, 'approve', 'credit.sun', {}, CommandResult);
    expect(second.order.status).toBe('Approved');
    expect(second.order).not.toHaveProperty('pendingApprovals');
    expect(OrderNow.safeParse(second.order).success).toBe(true);
  });

  it("keeps a standard order's history small: create → approve → deliver → invoice → receipt", async () => {
    const { number } = await lifecycle();
    const bytes = await historyBytes(stack.client, orderWorkflowId(number));
    // Measured (protobuf bytes, 68-71 events): 26,183-26,218 with the whole order view in every answer,
    // 18,292-18,793 with compact answers. One command answering with the view again adds about 2,000.
    expect(bytes).toBeLessThan(20_000);
  });

  it('documents every order command answer as compact: its example fits its schema, it refers to OrderNow and names no lines', async () => {
    const doc = (await stack.request('GET', '/openapi.json', { anonymous: true })).body;
    const resolve = (s: { $ref?: string }) => (s.$ref ? doc.components.schemas[s.$ref.split('/').pop()!] : s);
    expect(ORDER_COMMANDS.length).toBeGreaterThanOrEqual(16);
    for (const row of ORDER_COMMANDS) {
      const name = `POST /orders/{number}/${row.path}`;
      const answer = resolve(doc.paths[`/orders/{number}/${row.path}`].post.responses['200'].content['application/json'].schema);
      expect(answer.properties.order, name).toEqual({ $ref: '#/components/schemas/OrderNow' });
      expect(Object.keys(answer.properties), name).not.toContain('lines');
      expect(answer.example, `${name} has an example`).toBeDefined();
      expect(row.response.schema.safeParse(answer.example).error?.issues ?? [], name).toEqual([]);
    }
  });
});
