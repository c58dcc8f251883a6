import { describe, expect, it } from 'vitest';
import { addStock, freshProduct } from '../support/fixtures.js';
import { stockOf } from '../support/ledger.js';
import { useStack } from '../support/stack.js';

const stack = useStack();
const WH = 'warehouse.zhao';

const post = (path: string, body: unknown, user = WH, headers?: Record<string, string>) =>
  stack.request('POST', path, { user, body, ...(headers ? { headers } : {}) });
const movesOf = async (documentNumber: string) =>
  (await stack.request('GET', `/stock/moves?documentNumber=${documentNumber}`, { user: WH })).body.items.map(
    (m: Record<string, unknown>) => ({ productCode: m.productCode, warehouseCode: m.warehouseCode, kind: m.kind, onHandDelta: m.onHandDelta, batchNo: m.batchNo, expiryDate: m.expiryDate, reason: m.reason }),
  );
const verified = async () => (await stack.request('GET', '/stock/verify', { user: WH })).body.consistent as boolean;
const batchProduct = async () => {
  const code = await freshProduct(stack.sql);
  await stack.sql`UPDATE products SET batch_managed = true, shelf_life_days = 365 WHERE code = ${code}`;
  return code;
};
const moveCount = async () => Number((await stack.sql`SELECT count(*) AS n FROM stock_moves`)[0]!.n);

describe('goods receipt (入库)', () => {
  it('brings every line in under one GR number: ledger rows and levels exact, batches with their expiry', async () => {
    const plain = await freshProduct(stack.sql);
    const batched = await batchProduct();
    await addStock(stack.sql, plain, 'WH-SH', '4');
    const res = await post('/stock/receipts', {
      warehouseCode: 'WH-SH',
      lines: [
        { productCode: plain, quantity: '10.5' },
        { productCode: batched, quantity: '7', batchNo: 'B-1', expiryDate: '2027-06-30' },
      ],
    });
    expect(res.status).toBe(201);
    expect(res.body.documentNumber).toMatch(/^GR-\d{8}-\d{4}$/);
    expect(await movesOf(res.body.documentNumber)).toEqual([
      { productCode: plain, warehouseCode: 'WH-SH', kind: 'receive', onHandDelta: '10.5', batchNo: null, expiryDate: null, reason: null },
      { productCode: batched, warehouseCode: 'WH-SH', kind: 'receive', onHandDelta: '7', batchNo: 'B-1', expiryDate: '2027-06-30', reason: null },
    ]);
    expect(await stockOf(stack.sql, plain, 'WH-SH')).toEqual({ onHand: '14.5', reserved: '0' });
    expect(await stockOf(stack.sql, batched, 'WH-SH')).toEqual({ onHand: '7', reserved: '0' });
    const [batch] = await stack.sql`SELECT b.on_hand::text, b.expiry_date::text FROM stock_batches b JOIN products p ON p.id = b.product_id WHERE p.code = ${batched}`;
    expect(batch).toEqual({ on_hand: '7.0000', expiry_date: '2027-06-30' });
    expect(await verified()).toBe(true);
  });

  it('refuses, naming the field and writing nothing: wrong role, zero, negative, unknown warehouse, a batch where none or none where one belongs', async () => {
    const plain = await freshProduct(stack.sql);
    const batched = await batchProduct();
    const before = await moveCount();
    const line = { productCode: plain, quantity: '1' };
    const cases: [unknown, string, number, string, string][] = [
      [{ warehouseCode: 'WH-SH', lines: [line] }, 'clerk.li', 403, 'FORBIDDEN', 'role'],
      [{ warehouseCode: 'WH-SH', lines: [{ ...line, quantity: '0' }] }, WH, 400, 'VALIDATION_FAILED', 'lines[0].quantity'],
      [{ warehouseCode: 'WH-SH', lines: [{ ...line, quantity: '-3' }] }, WH, 400, 'VALIDATION_FAILED', 'lines[0].quantity'],
      [{ warehouseCode: 'WH-NOPE', lines: [line] }, WH, 422, 'UNKNOWN_WAREHOUSE', 'warehouseCode'],
      [{ warehouseCode: 'WH-SH', lines: [line, { productCode: 'NOPE', quantity: '1' }] }, WH, 422, 'UNKNOWN_PRODUCT', 'lines[1].productCode'],
      [{ warehouseCode: 'WH-SH', lines: [line, { productCode: batched, quantity: '1' }] }, WH, 400, 'VALIDATION_FAILED', 'lines[1].batchNo'],
      [{ warehouseCode: 'WH-SH', lines: [{ productCode: batched, quantity: '1', batchNo: 'B' }] }, WH, 400, 'VALIDATION_FAILED', 'lines[0].expiryDate'],
      [{ warehouseCode: 'WH-SH', lines: [{ ...line, batchNo: 'B', expiryDate: '2027-01-01' }] }, WH, 400, 'VALIDATION_FAILED', 'lines[0].batchNo'],
    ];
    for (const [body, user, status, code, field] of cases) {
      const res = await post('/stock/receipts', body, user);
      expect({ status: res.status, code: res.body.error?.code, field: res.body.error?.field }).toEqual({ status, code, field });
    }
    expect(await moveCount()).toBe(before);
    expect(await stockOf(stack.sql, plain, 'WH-SH')).toBeUndefined();

    // The most a level holds, then one more: refused by its field, not by a database overflow (500).
    const most = '99999999999999.9999';
    expect((await post('/stock/receipts', { warehouseCode: 'WH-SH', lines: [{ productCode: plain, quantity: most }] })).status).toBe(201);
    const over = await post('/stock/receipts', { warehouseCode: 'WH-SH', lines: [{ productCode: plain, quantity: '0.0001' }] });
    expect({ status: over.status, field: over.body.error?.field }).toEqual({ status: 400, field: 'lines[0].quantity' });
    expect(await stockOf(stack.sql, plain, 'WH-SH')).toEqual({ onHand: most, reserved: '0' });
  });

  it('acts once for a repeated Idempotency-Key, and refuses the key with another body', async () => {
    const product = await freshProduct(stack.sql);
    const headers = { 'idempotency-key': `receipt-${product}` };
    const body = { warehouseCode: 'WH-SH', lines: [{ productCode: product, quantity: '5' }] };
    const first = await post('/stock/receipts', body, WH, headers);
    const again = await post('/stock/receipts', body, WH, headers);
    expect(again.body.documentNumber).toBe(first.body.documentNumber);
    const other = await post('/stock/receipts', { ...body, lines: [{ productCode: product, quantity: '6' }] }, WH, headers);
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await stockOf(stack.sql, product, 'WH-SH')).toEqual({ onHand: '5', reserved: '0' });
  });
});

describe('adjustment (调整)', () => {
  it('moves on hand up or down with its reason on the ledger row, never below what orders reserve', async () => {
    const product = await freshProduct(stack.sql);
    await addStock(stack.sql, product, 'WH-SH', '10');
    const order = await post('/orders', { customerCode: 'C0001', lines: [{ productCode: product, warehouseCode: 'WH-SH', quantity: '6' }] }, 'clerk.li');
    expect((await post(`/orders/${order.body.order.number}/approve`, {}, 'manager.wang')).status).toBe(200);
    expect(await stockOf(stack.sql, product, 'WH-SH')).toEqual({ onHand: '10', reserved: '6' });

    const below = await post('/stock/adjustments', { warehouseCode: 'WH-SH', productCode: product, quantity: '-5', reason: 'broken' });
    expect(below.status).toBe(409);
    expect(below.body.error).toMatchObject({ code: 'INSUFFICIENT_STOCK', field: 'quantity' });
    const down = await post('/stock/adjustments', { warehouseCode: 'WH-SH', productCode: product, quantity: '-4', reason: '4 broken in the aisle' });
    expect(down.status).toBe(201);
    expect(down.body.documentNumber).toMatch(/^ADJ-/);
    expect(await movesOf(down.body.documentNumber)).toEqual([
      { productCode: product, warehouseCode: 'WH-SH', kind: 'adjust', onHandDelta: '-4', batchNo: null, expiryDate: null, reason: '4 broken in the aisle' },
    ]);
    expect(await stockOf(stack.sql, product, 'WH-SH')).toEqual({ onHand: '6', reserved: '6' });
    const up = await post('/stock/adjustments', { warehouseCode: 'WH-SH', productCode: product, quantity: '2.25', reason: 'found behind the shelf' });
    expect(up.status).toBe(201);
    expect(await stockOf(stack.sql, product, 'WH-SH')).toEqual({ onHand: '8.25', reserved: '6' });
    expect(await verified()).toBe(true);
  });

  it('refuses a missing or NUL-bearing reason, zero, and the wrong role, writing nothing', async () => {
    const product = await freshProduct(stack.sql);
    await addStock(stack.sql, product, 'WH-SH', '3');
    const before = await moveCount();
    const base = { warehouseCode: 'WH-SH', productCode: product, quantity: '1', reason: 'recount' };
    const cases: [unknown, string, number, string][] = [
      [{ ...base, reason: undefined }, WH, 400, 'reason'],
      [{ ...base, reason: 'bad\u0000reason' }, WH, 400, 'reason'],
      [{ ...base, reason: '   ' }, WH, 400, 'reason'],
      [{ ...base, quantity: '0' }, WH, 400, 'quantity'],
      [{ ...base, quantity: '-0.0' }, WH, 400, 'quantity'],
      [base, 'finance.chen', 403, 'role'],
      [{ ...base, warehouseCode: 'WH-NOPE' }, WH, 422, 'warehouseCode'],
    ];
    for (const [body, user, status, field] of cases) {
      const res = await post('/stock/adjustments', body, user);
      expect({ status: res.status, field: res.body.error?.field }).toEqual({ status, field });
    }
    expect(await moveCount()).toBe(before);
  });
});

describe('transfer (调拨)', () => {
  it('writes the out and the in under one TR number; only what is available may leave', async () => {
    const product = await freshProduct(stack.sql);
    const batched = await batchProduct();
    await addStock(stack.sql, product, 'WH-SH', '10');
    await post('/stock/receipts', { warehouseCode: 'WH-SH', lines: [{ productCode: batched, quantity: '5', batchNo: 'L7', expiryDate: '2027-03-01' }] });
    const order = await post('/orders', { customerCode: 'C0001', lines: [{ productCode: product, warehouseCode: 'WH-SH', quantity: '7' }] }, 'clerk.li');
    await post(`/orders/${order.body.order.number}/approve`, {}, 'manager.wang');

    const tooMuch = await post('/stock/transfers', { fromWarehouseCode: 'WH-SH', toWarehouseCode: 'WH-BJ', lines: [{ productCode: product, quantity: '4' }] });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.error).toMatchObject({ code: 'INSUFFICIENT_STOCK', field: 'lines[0].quantity' });
    const same = await post('/stock/transfers', { fromWarehouseCode: 'WH-SH', toWarehouseCode: 'WH-SH', lines: [{ productCode: product, quantity: '1' }] });
    expect(same.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'toWarehouseCode' });

    const res = await post('/stock/transfers', {
      fromWarehouseCode: 'WH-SH',
      toWarehouseCode: 'WH-BJ',
      lines: [{ productCode: product, quantity: '3' }, { productCode: batched, quantity: '2', batchNo: 'L7' }],
    });
    expect(res.body).toMatchObject({ documentNumber: expect.stringMatching(/^TR-/) });
    expect(await movesOf(res.body.documentNumber)).toEqual([
      { productCode: product, warehouseCode: 'WH-SH', kind: 'transfer', onHandDelta: '-3', batchNo: null, expiryDate: null, reason: null },
      { productCode: product, warehouseCode: 'WH-BJ', kind: 'transfer', onHandDelta: '3', batchNo: null, expiryDate: null, reason: null },
      { productCode: batched, warehouseCode: 'WH-SH', kind: 'transfer', onHandDelta: '-2', batchNo: 'L7', expiryDate: '2027-03-01', reason: null },
      { productCode: batched, warehouseCode: 'WH-BJ', kind: 'transfer', onHandDelta: '2', batchNo: 'L7', expiryDate: '2027-03-01', reason: null },
    ]);
    expect(await stockOf(stack.sql, product, 'WH-SH')).toEqual({ onHand: '7', reserved: '7' });
    expect(await stockOf(stack.sql, product, 'WH-BJ')).toEqual({ onHand: '3', reserved: '0' });
    expect(await stockOf(stack.sql, batched, 'WH-BJ')).toEqual({ onHand: '2', reserved: '0' });
    const overBatch = await post('/stock/transfers', { fromWarehouseCode: 'WH-SH', toWarehouseCode: 'WH-BJ', lines: [{ productCode: batched, quantity: '4', batchNo: 'L7' }] });
    expect(overBatch.body.error).toMatchObject({ code: 'INSUFFICIENT_STOCK', field: 'lines[0].quantity' });
    expect(await verified()).toBe(true);
  });
});

describe('a receipt serves the waiting back-orders', () => {
  it('reserves for the oldest order first, through its workflow, without anyone typing reserve', async () => {
    const product = await freshProduct(stack.sql);
    await addStock(stack.sql, product, 'WH-SH', '2');
    const place = async (quantity: string) => {
      const res = await post('/orders', { customerCode: 'C0001', shortfallPolicy: 'backorder', lines: [{ productCode: product, warehouseCode: 'WH-SH', quantity }] }, 'clerk.li');
      expect((await post(`/orders/${res.body.order.number}/approve`, {}, 'manager.wang')).status).toBe(200);
      return res.body.order.number as string;
    };
    const older = await place('5');
    const newer = await place('4');
    const reservedOf = async (n: string) => (await stack.request('GET', `/orders/${n}`, { user: WH })).body.live.lines[0].reservedQty;
    expect([await reservedOf(older), await reservedOf(newer)]).toEqual(['2', '0']);

    const res = await post('/stock/receipts', { warehouseCode: 'WH-SH', lines: [{ productCode: product, quantity: '5' }] });
    expect(res.status).toBe(201);
    expect(res.body.backOrders).toEqual([
      { orderNumber: older, outcome: 'reserved', stillShort: '0' },
      { orderNumber: newer, outcome: 'partly_reserved', stillShort: '2' },
    ]);
    // The older order is served in full (3 more); the newer one gets what is left (2 of 4).
    expect([await reservedOf(older), await reservedOf(newer)]).toEqual(['5', '2']);
    expect(await stockOf(stack.sql, product, 'WH-SH')).toEqual({ onHand: '7', reserved: '7' });
    expect(await verified()).toBe(true);
  });
});

describe('stock count (盘点)', () => {
  it('records counted against the book; approval by someone else writes the differences as adjustments', async () => {
    const short = await freshProduct(stack.sql);
    const over = await freshProduct(stack.sql);
    const exact = await freshProduct(stack.sql);
    await addStock(stack.sql, short, 'WH-SH', '10');
    await addStock(stack.sql, over, 'WH-SH', '3');
    await addStock(stack.sql, exact, 'WH-SH', '5');
    const res = await post('/stock/counts', {
      warehouseCode: 'WH-SH',
      lines: [{ productCode: short, countedQuantity: '8' }, { productCode: over, countedQuantity: '4.5' }, { productCode: exact, countedQuantity: '5' }],
    });
    expect(res.status).toBe(201);
    const number = res.body.number as string;
    expect(res.body).toMatchObject({ status: 'counted', countedBy: WH, approvedBy: null });
    expect(res.body.lines.map((l: { difference: string }) => l.difference)).toEqual(['-2', '1.5', '0']);
    // Counted is not yet booked.
    expect(await stockOf(stack.sql, short, 'WH-SH')).toEqual({ onHand: '10', reserved: '0' });

    const own = await post(`/stock/counts/${number}/approve`, {});
    expect(own.status).toBe(403);
    expect(own.body.error.code).toBe('SELF_APPROVAL');
    expect((await post(`/stock/counts/${number}/approve`, {}, 'clerk.li')).status).toBe(403);
    const approved = await post(`/stock/counts/${number}/approve`, {}, 'admin.root');
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', approvedBy: 'admin.root' });
    expect((await movesOf(number)).map((m: { productCode: string; onHandDelta: string; kind: string }) => [m.productCode, m.kind, m.onHandDelta])).toEqual(
      [[short, 'adjust', '-2'], [over, 'adjust', '1.5']],
    );
    expect(await stockOf(stack.sql, short, 'WH-SH')).toEqual({ onHand: '8', reserved: '0' });
    expect(await stockOf(stack.sql, over, 'WH-SH')).toEqual({ onHand: '4.5', reserved: '0' });
    const again = await post(`/stock/counts/${number}/approve`, {}, 'admin.root');
    expect(again.body.error?.code).toBe('INVALID_STATE');
    expect(await verified()).toBe(true);
  });

  it('refuses a product counted twice or a negative count, and an approval that would go below reserved writes nothing', async () => {
    const product = await freshProduct(stack.sql);
    await addStock(stack.sql, product, 'WH-SH', '10');
    const twice = await post('/stock/counts', { warehouseCode: 'WH-SH', lines: [{ productCode: product, countedQuantity: '1' }, { productCode: product, countedQuantity: '2' }] });
    expect(twice.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'lines[1].productCode' });
    const negative = await post('/stock/counts', { warehouseCode: 'WH-SH', lines: [{ productCode: product, countedQuantity: '-1' }] });
    expect(negative.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'lines[0].countedQuantity' });

    const sheet = await post('/stock/counts', { warehouseCode: 'WH-SH', lines: [{ productCode: product, countedQuantity: '2' }] });
    const order = await post('/orders', { customerCode: 'C0001', lines: [{ productCode: product, warehouseCode: 'WH-SH', quantity: '6' }] }, 'clerk.li');
    expect((await post(`/orders/${order.body.order.number}/approve`, {}, 'manager.wang')).status).toBe(200);
    const refused = await post(`/stock/counts/${sheet.body.number}/approve`, {}, 'admin.root');
    expect(refused.body.error).toMatchObject({ code: 'INSUFFICIENT_STOCK', field: 'lines[0].countedQuantity' });
    expect(await stockOf(stack.sql, product, 'WH-SH')).toEqual({ onHand: '10', reserved: '6' });
    expect((await stack.request('GET', `/stock/counts/${sheet.body.number}`, { user: 'clerk.li' })).body.status).toBe('counted');
  });
});
