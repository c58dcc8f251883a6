import { WorkflowUpdateFailedError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { STATUS_OF, fromTemporal } from '../../api/errors.js';
import { DomainError } from '../../domain/errors.js';
import {
  approveUpdate,
  changeOrderUpdate,
  deliverUpdate,
  invoiceUpdate,
  orderStateQuery,
  orderWorkflowId,
  recordReceiptUpdate,
  rejectUpdate,
} from '../../workflows/sales-order/definitions.js';
import { useStack } from '../support/stack.js';
import { newStandardOrder } from '../support/live-order.js';

/**
 * Values the API would refuse, sent to the workflow directly: the step that would store them fails
 * at once with a refusal (a retry sends the same data and could not succeed), and the order takes
 * its next command within seconds. Before, the step retried without end and the order hung.
 */
const stack = useStack();

const approver = { actor: 'manager.wang', actorRole: 'approver' as const };
const warehouse = { actor: 'warehouse.zhao', actorRole: 'warehouse' as const };
const clerk = { actor: 'clerk.li', actorRole: 'clerk' as const };
const finance = { actor: 'finance.chen', actorRole: 'finance' as const };

/** A hang is the defect: every command must be answered within the bound. */
function within<T>(promise: Promise<T>, what: string, ms = 10_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} was not answered within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The refusal as the API reports it: its code and HTTP status. */
async function refusal(command: Promise<unknown>, what: string): Promise<{ code: string; status: number; message: string }> {
  const err = await within(command.then(() => undefined, (e: unknown) => e), what);
  expect(err, `${what} is refused`).toBeInstanceOf(WorkflowUpdateFailedError);
  const e = fromTemporal(err);
  expect(e).toBeInstanceOf(DomainError);
  const { code, message } = e as DomainError;
  return { code, status: STATUS_OF[code], message };
}

const newOrder = () => newStandardOrder(stack);

const handleOf = (number: string) => stack.client.workflow.getHandle(orderWorkflowId(number));

async function approvedOrder(): Promise<string> {
  const number = await newOrder();
  expect((await within(handleOf(number).executeUpdate(approveUpdate, { args: [approver] }), 'approve')).order.status).toBe('Approved');
  return number;
}

async function storedStatus(number: string): Promise<string> {
  const [row] = await stack.sql<{ status: string }[]>`SELECT status FROM sales_orders WHERE number = ${number}`;
  return row!.status;
}

describe('a command whose data the database cannot store', () => {
  it('a reject whose reason holds a NUL byte is refused at once, and the order is then approved', async () => {
    const number = await newOrder();
    const handle = handleOf(number);
    const refused = await refusal(handle.executeUpdate(rejectUpdate, { args: [{ ...approver, reason: 'no\u0000pe' }] }), 'the poisoned reject');
    expect(refused).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
    expect(refused.message).toContain('rejectOrder');
    expect(await storedStatus(number)).toBe('Unapproved');

    const approved = await within(handle.executeUpdate(approveUpdate, { args: [approver] }), 'the approve after it');
    expect(approved.order.status).toBe('Approved');
  });

  it('a delivery whose carrier holds a NUL byte is refused at once, writes no delivery note, and the goods are then delivered', async () => {
    const number = await approvedOrder();
    const handle = handleOf(number);
    const refused = await refusal(
      handle.executeUpdate(deliverUpdate, { args: [{ ...warehouse, carrier: 'SF\u0000Express', trackingNumber: 'SF1' }] }),
      'the poisoned delivery',
    );
    expect(refused).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
    expect(refused.message).toContain('issueDeliveryNote');
    const notes = await stack.sql`SELECT 1 FROM delivery_notes d JOIN sales_orders o ON o.id = d.order_id WHERE o.number = ${number}`;
    expect(notes).toHaveLength(0);

    const delivered = await within(handle.executeUpdate(deliverUpdate, { args: [{ ...warehouse, carrier: 'SF Express', trackingNumber: 'SF1' }] }), 'the delivery after it');
    expect(delivered.order.status).toBe('Delivered');
  });

  it('a change whose reason holds a NUL byte is refused at once, and a valid change is then applied', async () => {
    const number = await approvedOrder();
    const handle = handleOf(number);
    const refused = await refusal(
      handle.executeUpdate(changeOrderUpdate, { args: [{ ...clerk, reason: 'fewer\u0000', lines: [{ action: 'change', lineNo: 1, quantity: '1' }] }] }),
      'the poisoned change',
    );
    expect(refused).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });

    const changed = await within(
      handle.executeUpdate(changeOrderUpdate, { args: [{ ...clerk, reason: 'fewer needed', lines: [{ action: 'change', lineNo: 1, quantity: '1' }] }] }),
      'the change after it',
    );
    expect(changed.change.status).toBe('applied');
    expect((await handle.query(orderStateQuery)).lines[0]!.quantity).toBe('1');
  });

  it('a receipt of 0.00 is refused at once, and the order is then paid', async () => {
    const number = await approvedOrder();
    const handle = handleOf(number);
    await within(handle.executeUpdate(deliverUpdate, { args: [{ ...warehouse }] }), 'deliver');
    const invoiced = await within(handle.executeUpdate(invoiceUpdate, { args: [finance] }), 'invoice');
    // 2 × 120.00 = 240.00 net + 13% tax.
    expect(invoiced.gross).toBe('271.20');
    const refused = await refusal(handle.executeUpdate(recordReceiptUpdate, { args: [{ ...finance, amount: '0.00', method: 'cash' }] }), 'the zero receipt');
    expect(refused).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });

    const paid = await within(handle.executeUpdate(recordReceiptUpdate, { args: [{ ...finance, amount: '271.20', method: 'cash' }] }), 'the receipt after it');
    expect(paid.order.amountDue).toBe('0.00');
  });
});
