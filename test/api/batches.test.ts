import { describe, expect, it } from 'vitest';
import { addDays, businessDate } from '../../domain/calendar.js';
import { deliveryNotePrint } from '../../db/documents/billing.js';
import { addStock, freshProduct } from '../support/fixtures.js';
import { stockOf } from '../support/ledger.js';
import { useStack } from '../support/stack.js';

const stack = useStack();
const WH = 'warehouse.zhao';
const TODAY = businessDate(new Date(), 'Asia/Shanghai');
const EARLY = addDays(TODAY, 100);
const LATE = addDays(TODAY, 400);

const post = (path: string, body: unknown, user = WH) => stack.request('POST', path, { user, body });
const batchProduct = async () => {
  const code = await freshProduct(stack.sql);
  await stack.sql`UPDATE products SET batch_managed = true, shelf_life_days = 365 WHERE code = ${code}`;
  return code;
};
const receive = async (productCode: string, batchNo: string, expiryDate: string, quantity: string) =>
  expect((await post('/stock/receipts', { warehouseCode: 'WH-SH', lines: [{ productCode, quantity, batchNo, expiryDate }] })).status).toBe(201);
const approvedOrder = async (lines: { productCode: string; quantity: string }[]) => {
  const res = await post('/orders', { customerCode: 'C0001', lines: lines.map((l) => ({ ...l, warehouseCode: 'WH-SH' })) }, 'clerk.li');
  expect((await post(`/orders/${res.body.order.number}/approve`, {}, 'manager.wang')).status).toBe(200);
  return res.body.order.number as string;
};
/** Every batch of the product in WH-SH with its balance. */
const batchesOf = async (productCode: string) =>
  Object.fromEntries(
    (await stack.sql<{ batch_no: string; on_hand: string }[]>`
      SELECT b.batch_no, b.on_hand::text FROM stock_batches b JOIN products p ON p.id = b.product_id JOIN warehouses w ON w.id = b.warehouse_id
      WHERE p.code = ${productCode} AND w.code = 'WH-SH' ORDER BY b.batch_no`).map((r) => [r.batch_no, r.on_hand]),
  );
const ledger = async (documentNumber: string) =>
  (await stack.request('GET', `/stock/moves?documentNumber=${documentNumber}`, { user: WH })).body.items.map(
    (m: { kind: string; onHandDelta: string; batchNo: string | null; expiryDate: string | null }) => [m.kind, m.onHandDelta, m.batchNo, m.expiryDate],
  );
const verified = async () => (await stack.request('GET', '/stock/verify', { user: WH })).body.consistent as boolean;

describe('delivery by batch (批次)', () => {
  it('takes the earlier-expiring batch (FEFO), records it on the note, and a return comes back into it', async () => {
    const product = await batchProduct();
    await receive(product, 'B-LATE', LATE, '10');
    await receive(product, 'B-EARLY', EARLY, '4');
    const number = await approvedOrder([{ productCode: product, quantity: '3' }]);

    const suggestion = await stack.request('GET', `/orders/${number}/batch-suggestion`, { user: WH });
    expect(suggestion.status).toBe(200);
    expect(suggestion.body.lines).toEqual([
      {
        lineNo: 1, productCode: product, warehouseCode: 'WH-SH', quantity: '3', short: '0',
        batches: [{ batchNo: 'B-EARLY', expiryDate: EARLY, quantity: '3' }],
        available: [{ batchNo: 'B-EARLY', expiryDate: EARLY, onHand: '4' }, { batchNo: 'B-LATE', expiryDate: LATE, onHand: '10' }],
      },
    ]);

    const delivered = await post(`/orders/${number}/deliver`, {});
    expect(delivered.status).toBe(200);
    const note = delivered.body.deliveryNote as string;
    expect(await ledger(note)).toEqual([['deliver', '-3', 'B-EARLY', EARLY]]);
    expect(await batchesOf(product)).toEqual({ 'B-EARLY': '1.0000', 'B-LATE': '10.0000' });
    expect(await stockOf(stack.sql, product, 'WH-SH')).toEqual({ onHand: '11', reserved: '0' });
    const printed = await deliveryNotePrint(stack.sql, 'Asia/Shanghai', note);
    expect(printed!.lines.map((l) => l.batches)).toEqual([[{ batchNo: 'B-EARLY', expiryDate: EARLY, quantity: '3' }]]);

    const returned = await post(`/orders/${number}/returns`, { deliveryNote: note, disposition: 'redeliver', reason: 'dented', lines: [{ lineNo: 1, quantity: '2' }] });
    expect(returned.status).toBe(200);
    expect(await ledger(returned.body.salesReturn)).toEqual([['return', '2', 'B-EARLY', EARLY]]);
    expect(await batchesOf(product)).toEqual({ 'B-EARLY': '3.0000', 'B-LATE': '10.0000' });
    expect(await stockOf(stack.sql, product, 'WH-SH')).toEqual({ onHand: '13', reserved: '0' });
    expect(await verified()).toBe(true);
  });

  it("takes the warehouse's own choice over several batches, refusing a wrong one by its field and writing nothing", async () => {
    const product = await batchProduct();
    const plain = await freshProduct(stack.sql);
    await addStock(stack.sql, plain, 'WH-SH', '5');
    await receive(product, 'B-LATE', LATE, '6');
    await receive(product, 'B-EARLY', EARLY, '1.5');
    await receive(product, 'B-OLD', TODAY, '9');
    // B-OLD expired yesterday while in stock (its date moved back, as time would).
    await stack.sql`UPDATE stock_batches SET expiry_date = ${addDays(TODAY, -1)} WHERE batch_no = 'B-OLD'`;
    const number = await approvedOrder([{ productCode: product, quantity: '5' }, { productCode: plain, quantity: '1' }]);
    const deliver = (batches: unknown, line = 1) => post(`/orders/${number}/deliver`, { lines: [{ lineNo: line, quantity: line === 1 ? '5' : '1', batches }] });

    const cases: [unknown, number, string, string, number?][] = [
      [[{ batchNo: 'B-LATE', quantity: '4.9999' }], 400, 'VALIDATION_FAILED', 'lines[0].batches'],
      [[{ batchNo: 'B-NONE', quantity: '5' }], 400, 'VALIDATION_FAILED', 'lines[0].batches[0].batchNo'],
      [[{ batchNo: 'B-OLD', quantity: '5' }], 400, 'VALIDATION_FAILED', 'lines[0].batches[0].batchNo'],
      [[{ batchNo: 'B-LATE', quantity: '3' }, { batchNo: 'B-EARLY', quantity: '2' }], 409, 'INSUFFICIENT_STOCK', 'lines[0].batches[1].quantity'],
      [[{ batchNo: 'B-LATE', quantity: '1' }], 400, 'VALIDATION_FAILED', 'lines[0].batches', 2],
      [[{ batchNo: 'B-\u0000LATE', quantity: '5' }], 400, 'VALIDATION_FAILED', 'lines[0].batches[0].batchNo'],
      [[{ batchNo: 'B-LATE', quantity: '5', expiryDate: LATE }], 400, 'VALIDATION_FAILED', 'lines[0].batches[0].expiryDate'],
      [[{ batchNo: 'B-LATE', quantity: '0' }], 400, 'VALIDATION_FAILED', 'lines[0].batches[0].quantity'],
      [[], 400, 'VALIDATION_FAILED', 'lines[0].batches'],
    ];
    for (const [batches, status, code, field, line] of cases) {
      const res = await deliver(batches, line);
      expect({ status: res.status, code: res.body.error?.code, field: res.body.error?.field }).toEqual({ status, code, field });
    }
    expect(await batchesOf(product)).toEqual({ 'B-EARLY': '1.5000', 'B-LATE': '6.0000', 'B-OLD': '9.0000' });

    const res = await deliver([{ batchNo: 'B-LATE', quantity: '3.5' }, { batchNo: 'B-EARLY', quantity: '1.5' }]);
    expect(res.status).toBe(200);
    expect(await ledger(res.body.deliveryNote)).toEqual([['deliver', '-3.5', 'B-LATE', LATE], ['deliver', '-1.5', 'B-EARLY', EARLY]]);
    expect(await batchesOf(product)).toEqual({ 'B-EARLY': '0.0000', 'B-LATE': '2.5000', 'B-OLD': '9.0000' });

    // A part back goes into the latest-expiring batch the line took, the rest into the earlier one.
    const back = await post(`/orders/${number}/returns`, { deliveryNote: res.body.deliveryNote, disposition: 'redeliver', reason: 'x', lines: [{ lineNo: 1, quantity: '4' }] });
    expect(back.status).toBe(200);
    expect(await batchesOf(product)).toEqual({ 'B-EARLY': '0.5000', 'B-LATE': '6.0000', 'B-OLD': '9.0000' });
    // FEFO never takes the expired batch: only 6.5 usable for the 5 again, so it takes B-EARLY's 0.5 then B-LATE.
    const fefo = await post(`/orders/${number}/deliver`, { lines: [{ lineNo: 1, quantity: '4' }] });
    expect(fefo.status).toBe(200);
    expect(await ledger(fefo.body.deliveryNote)).toEqual([['deliver', '-0.5', 'B-EARLY', EARLY], ['deliver', '-3.5', 'B-LATE', LATE]]);
    expect(await stockOf(stack.sql, product, 'WH-SH')).toEqual({ onHand: '11.5', reserved: '0' });
    expect(await verified()).toBe(true);
  });
});

describe('delivery of a shipping notice by batch', () => {
  it('takes the batches the warehouse names for the notice\'s planned quantity, refusing ones that do not add up to it', async () => {
    const product = await batchProduct();
    await receive(product, 'N-1', EARLY, '2');
    await receive(product, 'N-2', LATE, '5');
    const number = await approvedOrder([{ productCode: product, quantity: '4' }]);
    const notice = await post(`/orders/${number}/shipping-notices`, { lines: [{ lineNo: 1, quantity: '3' }] });
    expect(notice.status).toBe(200);
    const noticeNumber = notice.body.shippingNotice as string;
    const short = await post(`/orders/${number}/deliver`, { noticeNumber, lines: [{ lineNo: 1, batches: [{ batchNo: 'N-2', quantity: '2' }] }] });
    expect(short.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'lines[0].batches' });
    const res = await post(`/orders/${number}/deliver`, { noticeNumber, lines: [{ lineNo: 1, batches: [{ batchNo: 'N-2', quantity: '3' }] }] });
    expect(res.status).toBe(200);
    expect(await ledger(res.body.deliveryNote)).toEqual([['deliver', '-3', 'N-2', LATE]]);
    expect(await batchesOf(product)).toEqual({ 'N-1': '2.0000', 'N-2': '2.0000' });
  });
});

describe('expiry warnings (效期预警)', () => {
  it('lists expired batches and those expiring within the company setting (default 30 days), the warehouse changes the days', async () => {
    const product = await batchProduct();
    // Goods already past their date are not received as stock at all.
    const stale = await post('/stock/receipts', { warehouseCode: 'WH-SH', lines: [{ productCode: product, quantity: '2', batchNo: 'E-OLD', expiryDate: addDays(TODAY, -1) }] });
    expect([stale.status, stale.body.error.field]).toEqual([400, 'lines[0].expiryDate']);
    expect(await batchesOf(product)).toEqual({});
    // A batch received in time expires while it sits in the warehouse (its date moved back, as time would).
    await receive(product, 'E-GONE', addDays(TODAY, 1), '2');
    await stack.sql`UPDATE stock_batches SET expiry_date = ${addDays(TODAY, -3)} WHERE batch_no = 'E-GONE'`;
    await receive(product, 'E-SOON', addDays(TODAY, 30), '1.25');
    await receive(product, 'E-LATER', addDays(TODAY, 31), '7');
    const warnings = async () => (await stack.request('GET', `/stock/expiry-warnings?productCode=${product}`, { user: 'clerk.li' })).body;
    expect(await warnings()).toMatchObject({
      today: TODAY,
      withinDays: 30,
      items: [
        { productCode: product, warehouseCode: 'WH-SH', batchNo: 'E-GONE', expiryDate: addDays(TODAY, -3), quantity: '2', state: 'expired', daysLeft: -3 },
        { productCode: product, warehouseCode: 'WH-SH', batchNo: 'E-SOON', expiryDate: addDays(TODAY, 30), quantity: '1.25', state: 'expiring', daysLeft: 30 },
      ],
    });
    expect((await stack.request('PUT', '/settings/expiry-warnings', { user: 'clerk.li', body: { days: 60 } })).status).toBe(403);
    expect((await stack.request('PUT', '/settings/expiry-warnings', { user: WH, body: { days: -1 } })).body.error?.field).toBe('days');
    expect((await stack.request('PUT', '/settings/expiry-warnings', { user: WH, body: { days: 31 } })).status).toBe(200);
    expect((await warnings()).items.map((i: { batchNo: string }) => i.batchNo)).toEqual(['E-GONE', 'E-SOON', 'E-LATER']);
    expect((await stack.request('PUT', '/settings/expiry-warnings', { user: WH, body: { days: 30 } })).status).toBe(200);
    // An empty batch is nothing to warn of.
    expect((await post('/stock/adjustments', { warehouseCode: 'WH-SH', productCode: product, batchNo: 'E-GONE', quantity: '-2', reason: 'scrapped' })).status).toBe(201);
    expect((await warnings()).items.map((i: { batchNo: string }) => i.batchNo)).toEqual(['E-SOON']);
  });
});

describe('expired stock is not promised (效期)', () => {
  it('an approval reserves only what unexpired batches hold; the expired rest waits as a back-order', async () => {
    const product = await batchProduct();
    await receive(product, 'X-GOOD', EARLY, '2');
    await receive(product, 'X-STALE', addDays(TODAY, 1), '5');
    await stack.sql`UPDATE stock_batches SET expiry_date = ${addDays(TODAY, -1)} WHERE batch_no = 'X-STALE'`;
    const blocked = await post('/orders', { customerCode: 'C0001', lines: [{ productCode: product, warehouseCode: 'WH-SH', quantity: '3' }] }, 'clerk.li');
    const refused = await post(`/orders/${blocked.body.order.number}/approve`, {}, 'manager.wang');
    expect([refused.status, refused.body.error.code]).toEqual([409, 'INSUFFICIENT_STOCK']);
    const backorder = await post('/orders', { customerCode: 'C0001', shortfallPolicy: 'backorder', lines: [{ productCode: product, warehouseCode: 'WH-SH', quantity: '3' }] }, 'clerk.li');
    expect((await post(`/orders/${backorder.body.order.number}/approve`, {}, 'manager.wang')).status).toBe(200);
    expect((await stack.request('GET', `/orders/${backorder.body.order.number}`, { user: WH })).body.live.lines[0].reservedQty).toBe('2');
    expect(await stockOf(stack.sql, product, 'WH-SH')).toEqual({ onHand: '7', reserved: '2' });
  });
});

describe('stock count by batch (盘点)', () => {
  it('counts a batch-tracked product per batch; approval adjusts each batch', async () => {
    const product = await batchProduct();
    await receive(product, 'C-1', EARLY, '10');
    await receive(product, 'C-2', LATE, '3');
    const noBatch = await post('/stock/counts', { warehouseCode: 'WH-SH', lines: [{ productCode: product, countedQuantity: '1' }] });
    expect(noBatch.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'lines[0].batchNo' });
    const unknown = await post('/stock/counts', { warehouseCode: 'WH-SH', lines: [{ productCode: product, batchNo: 'C-9', countedQuantity: '1' }] });
    expect(unknown.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'lines[0].expiryDate' });
    const twice = await post('/stock/counts', {
      warehouseCode: 'WH-SH',
      lines: [{ productCode: product, batchNo: 'C-1', countedQuantity: '1' }, { productCode: product, batchNo: 'C-1', countedQuantity: '2' }],
    });
    expect(twice.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'lines[1].batchNo' });

    const sheet = await post('/stock/counts', {
      warehouseCode: 'WH-SH',
      lines: [
        { productCode: product, batchNo: 'C-1', countedQuantity: '8.5' },
        { productCode: product, batchNo: 'C-2', countedQuantity: '3' },
        { productCode: product, batchNo: 'C-3', expiryDate: LATE, countedQuantity: '0.75' },
      ],
    });
    expect(sheet.status).toBe(201);
    expect(sheet.body.lines.map((l: { batchNo: string; bookQuantity: string; difference: string }) => [l.batchNo, l.bookQuantity, l.difference])).toEqual([
      ['C-1', '10', '-1.5'],
      ['C-2', '3', '0'],
      ['C-3', '0', '0.75'],
    ]);
    const approved = await post(`/stock/counts/${sheet.body.number}/approve`, {}, 'admin.root');
    expect(approved.status).toBe(200);
    expect(await ledger(sheet.body.number)).toEqual([['adjust', '-1.5', 'C-1', EARLY], ['adjust', '0.75', 'C-3', LATE]]);
    expect(await batchesOf(product)).toEqual({ 'C-1': '8.5000', 'C-2': '3.0000', 'C-3': '0.7500' });
    expect(await stockOf(stack.sql, product, 'WH-SH')).toEqual({ onHand: '12.25', reserved: '0' });
    expect(await verified()).toBe(true);
  });
});
