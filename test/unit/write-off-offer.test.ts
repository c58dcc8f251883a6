import { describe, expect, it } from 'vitest';
import { mayRequestWriteOff, type WriteOffRequestFacts } from '../../domain/order/write-off.js';

const order = { number: 'SO-20261202-0001', status: 'Delivered', open: '113.00' };
const pending: WriteOffRequestFacts = { id: 1, orderNumber: order.number, status: 'pending', amount: '113.00', requestedBy: 'finance.chen', decidedBy: null };

describe('offering a bad-debt write-off (the console button) follows the request rule itself', () => {
  it('offers it to finance on an order with money open and no request waiting', () => {
    expect(mayRequestWriteOff('finance', order, undefined)).toBe(true);
  });

  it('does not offer it to another role, with nothing open, on an ended order, or while a request waits', () => {
    expect(mayRequestWriteOff('clerk', order, undefined)).toBe(false);
    expect(mayRequestWriteOff('finance', { ...order, open: '0.00' }, undefined)).toBe(false);
    expect(mayRequestWriteOff('finance', { ...order, status: 'Completed' }, undefined)).toBe(false);
    expect(mayRequestWriteOff('finance', order, pending)).toBe(false);
  });
});
