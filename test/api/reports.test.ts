import { devToken } from '../../api/auth/demo-users.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { useStack } from '../support/stack.js';

/**
 * A hand-computed fixture written straight into this file's database, so every
 * figure below is known exactly (time zone Asia/Shanghai; all times at +08).
 *
 * Orders
 * (each order is credited to its creator; departments: RPT-1 and RPT-3 华东, RPT-2 华北)
 *   RPT-1 C0001 by clerk.li    2026-03-02: L1 P0001 10 @ 100.00 (delivered 10, closed)
 *                                          L2 P0003 333 @ 3.333 (delivered 100, open 233 → 776.589 → 776.59), 预交货日 2026-03-20
 *   RPT-2 C0002 by clerk.zhang 2026-03-03: L1 P0002 2 @ 2400.00 (delivered 2, closed)
 *                                          L2 P0001 5 @ 120.00 (delivered 1.5, open 3.5 → 420.00), saved without a
 *                                          预交货日: expected a week after the order, 2026-03-10
 *   RPT-3 C0001 by clerk.zhang 2026-03-04: L1 P0001 7 @ 120.00, cancelled (its reservation released)
 * Deliveries (net = qty × price rounded per line; tax 13% per line; cost = qty × unit cost snapshot)
 *   DN-1 RPT-1 2026-03-10: P0001 4 → 400.00 / 52.00 / cost 320.00;  P0003 100 → 333.30 / 43.33 / cost 210.00
 *   DN-2 RPT-2 2026-03-12: P0002 2 → 4800.00 / 624.00 / cost 3600.00
 *   DN-4 RPT-2 2026-03-15: P0001 1.5 → 180.00 / 23.40 / cost 120.00
 *   DN-3 RPT-1 2026-04-02: P0001 6 → 600.00 / 78.00 / cost 510.00 (unit cost 85 then, 80 in products now)
 */
const stack = useStack({ worker: false });

async function fixture() {
  const sql = stack.sql;
  const id = async (table: 'customers' | 'products' | 'warehouses', code: string) =>
    (await sql`SELECT id FROM ${sql(table)} WHERE code = ${code}`)[0]!.id as string;
  const wh = await id('warehouses', 'WH-SH');
  const order = async (number: string, customer: string, by: string, at: string, status: string, lines: [string, string, string, string, string, string?][]) => {
    const department = number === 'RPT-2' ? '华北' : '华东';
    const [o] = await sql`
      INSERT INTO sales_orders (number, customer_id, currency, status, net_amount, tax_amount, gross_amount, created_by, created_at, workflow_started,
                                salesperson, department)
      VALUES (${number}, ${await id('customers', customer)}, 'CNY', ${status}, 0, 0, 0, ${by}, ${at}, true, ${by}, ${department}) RETURNING id`;
    for (const [i, [product, qty, price, delivered, close, expected]] of lines.entries()) {
      await sql`
        INSERT INTO sales_order_lines (order_id, line_no, product_id, warehouse_id, quantity, unit_price, tax_rate, net_amount, tax_amount, delivered_qty, close_status,
                                       expected_delivery_date)
        VALUES (${o!.id}, ${i + 1}, ${await id('products', product)}, ${wh}, ${qty}, ${price}, 0.13, 0, 0, ${delivered}, ${close}, ${expected ?? null})`;
    }
    return o!.id as string;
  };
  const move = async (key: string, product: string, kind: string, onHand: string, reserved: string, doc: string, at: string) => {
    await sql`
      INSERT INTO stock_moves (idempotency_key, product_id, warehouse_id, kind, on_hand_delta, reserved_delta, document_number, created_at)
      VALUES (${key}, ${await id('products', product)}, ${wh}, ${kind}, ${onHand}, ${reserved}, ${doc}, ${at})`;
  };
  const delivery = async (number: string, orderId: string, at: string, lines: [number, string, string, string][]) => {
    const [d] = await sql`
      INSERT INTO delivery_notes (number, order_id, idempotency_key, delivered_by, created_at)
      VALUES (${number}, ${orderId}, ${`fixture/${number}`}, 'warehouse.zhao', ${at}) RETURNING id`;
    for (const [i, [orderLine, product, qty, unitCost]] of lines.entries()) {
      await sql`
        INSERT INTO delivery_note_lines (delivery_note_id, line_no, order_line_no, product_id, warehouse_id, quantity, unit_cost)
        VALUES (${d!.id}, ${i + 1}, ${orderLine}, ${await id('products', product)}, ${wh}, ${qty}, ${unitCost})`;
      await move(`fixture/${number}/${i + 1}`, product, 'deliver', `-${qty}`, `-${qty}`, number, at);
    }
  };
  await sql`UPDATE stock_moves SET created_at = '2026-01-01 09:00+08' WHERE kind = 'opening'`;
  const o1 = await order('RPT-1', 'C0001', 'clerk.li', '2026-03-02 10:00+08', 'PartiallyDelivered', [
    ['P0001', '10', '100.00', '10', 'Y'],
    ['P0003', '333', '3.333', '100', 'N', '2026-03-20'],
  ]);
  const o2 = await order('RPT-2', 'C0002', 'clerk.zhang', '2026-03-03 10:00+08', 'PartiallyDelivered', [
    ['P0002', '2', '2400.00', '2', 'Y'],
    ['P0001', '5', '120.00', '1.5', 'N'],
  ]);
  await order('RPT-3', 'C0001', 'clerk.zhang', '2026-03-04 10:00+08', 'Cancelled', [['P0001', '7', '120.00', '0', 'y']]);
  await move('fixture/RPT-1/reserve/1', 'P0001', 'reserve', '0', '10', 'RPT-1', '2026-03-02 11:00+08');
  await move('fixture/RPT-2/reserve/2', 'P0001', 'reserve', '0', '5', 'RPT-2', '2026-03-03 11:00+08');
  await move('fixture/RPT-3/reserve/1', 'P0001', 'reserve', '0', '7', 'RPT-3', '2026-03-04 11:00+08');
  await move('fixture/RPT-3/release/1', 'P0001', 'release', '0', '-7', 'RPT-3', '2026-03-05 11:00+08');
  await delivery('DN-1', o1, '2026-03-10 10:00+08', [[1, 'P0001', '4', '80'], [2, 'P0003', '100', '2.10']]);
  await delivery('DN-2', o2, '2026-03-12 10:00+08', [[1, 'P0002', '2', '1800']]);
  await delivery('DN-4', o2, '2026-03-15 10:00+08', [[2, 'P0001', '1.5', '80']]);
  await delivery('DN-3', o1, '2026-04-02 10:00+08', [[1, 'P0001', '6', '85']]);
}

beforeAll(fixture);

const get = async (path: string) => {
  const res = await stack.request('GET', path);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};

describe('预计出货表 expected shipments', () => {
  it('lists open undelivered quantities per order line by 预交货日, leaving out closed lines and cancelled orders', async () => {
    const r = await get('/reports/expected-shipments');
    expect(r.total).toBe(2);
    expect(r.totals).toEqual({ openNet: '1196.59' });
    expect(r.basis.en).toMatch(/^Open quantity .* by expected delivery date/);
    expect(r.items).toEqual([
      expect.objectContaining({ expectedDeliveryDate: '2026-03-10', orderDate: '2026-03-03', orderNumber: 'RPT-2', lineNo: 2, salesperson: 'clerk.zhang', productCode: 'P0001', openQty: '3.5', openNet: '420.00' }),
      {
        expectedDeliveryDate: '2026-03-20', orderDate: '2026-03-02', orderNumber: 'RPT-1', orderStatus: 'PartiallyDelivered', customerCode: 'C0001', customerName: expect.any(String),
        salesperson: 'clerk.li', department: '华东', lineNo: 2, productCode: 'P0003', productName: expect.any(String), warehouseCode: 'WH-SH',
        orderedQty: '333', deliveredQty: '100', openQty: '233', unitPrice: '3.333', openNet: '776.59',
      },
    ]);
  });

  it('filters by 预交货日 range, salesperson, product and customer', async () => {
    const numbers = async (query: string) => (await get(`/reports/expected-shipments?${query}`)).items.map((i: any) => i.orderNumber);
    expect(await numbers('salesperson=clerk.zhang')).toEqual(['RPT-2']);
    expect(await numbers('productCode=P0003')).toEqual(['RPT-1']);
    expect((await get('/reports/expected-shipments?customerCode=C0002')).totals).toEqual({ openNet: '420.00' });
    // The range is on the expected delivery date, not the order date (RPT-2 was ordered on 03-03, is expected on 03-10).
    expect(await numbers('from=2026-03-10&to=2026-03-10')).toEqual(['RPT-2']);
    expect(await numbers('from=2026-03-03&to=2026-03-03')).toEqual([]);
    expect(await numbers('from=2026-03-11&to=2026-03-20')).toEqual(['RPT-1']);
    expect(await numbers('from=2026-03-21')).toEqual([]);
    expect(await numbers('to=2026-03-09')).toEqual([]);
    expect(await numbers('from=2026-03-01&to=2026-03-31&customerCode=C0001&productCode=P0003&salesperson=clerk.li')).toEqual(['RPT-1']);
    const north = await get('/reports/expected-shipments?department=华北');
    expect(north.items.map((i: any) => [i.orderNumber, i.department, i.openNet])).toEqual([['RPT-2', '华北', '420.00']]);
    expect(north.totals).toEqual({ openNet: '420.00' });
    expect((await get('/reports/expected-shipments?salesperson=clerk.li&department=华北')).total).toBe(0);
  });

  it('exports the 预交货日 column first in CSV', async () => {
    const res = await stack.app.request('/reports/expected-shipments?format=csv&from=2026-03-20', { headers: { authorization: `Bearer ${devToken('admin.root')}` } });
    const lines = (await res.text()).replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]!.startsWith('expectedDeliveryDate,orderDate,orderNumber,')).toBe(true);
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual(['2026-03-20,2026-03-02,RPT-1']);
  });

  it('pages: the total and the totals cover every row, the items one page', async () => {
    const r = await get('/reports/expected-shipments?limit=1&offset=1');
    expect(r.total).toBe(2);
    expect(r.totals).toEqual({ openNet: '1196.59' });
    expect(r.items.map((i: any) => i.orderNumber)).toEqual(['RPT-1']);
  });

  it('keeps the total and the totals on a page past the last one', async () => {
    const r = await get('/reports/expected-shipments?limit=1&offset=5');
    expect(r).toMatchObject({ total: 2, totals: { openNet: '1196.59' }, items: [] });
    const ranking = await get('/reports/sales-ranking?limit=10&offset=50');
    expect(ranking).toMatchObject({ total: 3, items: [] });
    expect(ranking.totals).toEqual((await get('/reports/sales-ranking')).totals);
  });

  it('refuses a customer, product or warehouse that does not exist, and a period that ends before it starts, naming the field', async () => {
    const refused = async (path: string, status: number, code: string, field: string) => {
      const res = await stack.request('GET', path);
      expect(res.status, path).toBe(status);
      expect(res.body.error, path).toMatchObject({ code, field });
    };
    await refused('/reports/expected-shipments?customerCode=C9999', 422, 'UNKNOWN_CUSTOMER', 'customerCode');
    await refused('/reports/expected-shipments?productCode=NOPE', 422, 'UNKNOWN_PRODUCT', 'productCode');
    await refused('/reports/customer-sales-detail?customerCode=C9999', 422, 'UNKNOWN_CUSTOMER', 'customerCode');
    await refused('/reports/product-transactions?productCode=NOPE', 422, 'UNKNOWN_PRODUCT', 'productCode');
    await refused('/reports/product-transactions?productCode=P0001&warehouseCode=WH-XX', 422, 'UNKNOWN_WAREHOUSE', 'warehouseCode');
    for (const name of ['expected-shipments', 'sales-ranking', 'customer-contribution', 'gross-margin', 'customer-sales-detail?customerCode=C0001&']) {
      const path = `/reports/${name}${name.includes('?') ? '' : '?'}from=2026-03-31&to=2026-03-01`;
      await refused(path, 400, 'VALIDATION_FAILED', 'to');
    }
    await refused('/reports/expected-shipments?from=2026-02-30', 400, 'VALIDATION_FAILED', 'from');
    await refused('/reports/expected-shipments?customerCode=C0001%00', 400, 'VALIDATION_FAILED', 'customerCode');
    // A known code with nothing in the period is an empty report, not a refusal.
    expect((await get('/reports/expected-shipments?customerCode=C0003')).total).toBe(0);
  });
});

describe('客户销货明细表 customer sales detail', () => {
  it('lists a customer\'s delivered lines and amounts in a period', async () => {
    const r = await get('/reports/customer-sales-detail?customerCode=C0001&from=2026-03-01&to=2026-03-31');
    expect(r.items.map((i: any) => [i.date, i.kind, i.document, i.deliveryNote, i.orderNumber, i.productCode, i.quantity, i.unitPrice, i.net, i.tax, i.gross])).toEqual([
      ['2026-03-10', 'delivery', 'DN-1', 'DN-1', 'RPT-1', 'P0001', '4', '100', '400.00', '52.00', '452.00'],
      ['2026-03-10', 'delivery', 'DN-1', 'DN-1', 'RPT-1', 'P0003', '100', '3.333', '333.30', '43.33', '376.63'],
    ]);
    expect(r.totals).toEqual({ net: '733.30', tax: '95.33', gross: '828.63' });
    const wider = await get('/reports/customer-sales-detail?customerCode=C0001&from=2026-03-01&to=2026-04-30');
    expect(wider.total).toBe(3);
    expect(wider.totals).toEqual({ net: '1333.30', tax: '173.33', gross: '1506.63' });
  });

  it('needs the customer', async () => {
    const res = await stack.request('GET', '/reports/customer-sales-detail');
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('customerCode');
  });

  it('exports CSV with every row, a header and a BOM for spreadsheets', async () => {
    const res = await stack.app.request('/reports/customer-sales-detail?customerCode=C0001&format=csv&limit=1', { headers: { authorization: `Bearer ${devToken('admin.root')}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="customer-sales-detail-C0001.csv"; filename*=UTF-8''customer-sales-detail-C0001.csv`);
    // A code with characters a header cannot carry (the fuzz test found it) still gets a file name, not a 500.
    await stack.sql`INSERT INTO customers (code, name, settlement_days) VALUES (${'客户😀"'}, 'Odd code', 30)`;
    const odd = await stack.app.request(`/reports/customer-sales-detail?customerCode=${encodeURIComponent('客户😀"')}&format=csv`, {
      headers: { authorization: `Bearer ${devToken('admin.root')}` },
    });
    expect(odd.status).toBe(200);
    expect(odd.headers.get('content-disposition')).toBe(
      `attachment; filename="customer-sales-detail-____.csv"; filename*=UTF-8''${encodeURIComponent('customer-sales-detail-客户😀".csv')}`,
    );
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).trimEnd().split('\r\n');
    expect(lines[0]).toBe('date,kind,document,deliveryNote,creditNote,orderNumber,orderLineNo,productCode,productName,unit,quantity,unitPrice,net,tax,gross,currency,documentGross');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toMatch(/^2026-04-02,delivery,DN-3,DN-3,,RPT-1,1,P0001,.+,pcs,6,100,600\.00,78\.00,678\.00,CNY,678\.00$/);
  });
});

describe('历史交易记录表 product transaction history', () => {
  it('lists every stock move of a product with its document, customer and the balance after it', async () => {
    const r = await get('/reports/product-transactions?productCode=P0001&warehouseCode=WH-SH');
    expect(r.items.map((i: any) => [i.date, i.kind, i.document, i.customerCode, i.onHandChange, i.reservedChange, i.onHandAfter, i.reservedAfter])).toEqual([
      ['2026-01-01', 'opening', 'OPENING', null, '500', '0', '500', '0'],
      ['2026-03-02', 'reserve', 'RPT-1', 'C0001', '0', '10', '500', '10'],
      ['2026-03-03', 'reserve', 'RPT-2', 'C0002', '0', '5', '500', '15'],
      ['2026-03-04', 'reserve', 'RPT-3', 'C0001', '0', '7', '500', '22'],
      ['2026-03-05', 'release', 'RPT-3', 'C0001', '0', '-7', '500', '15'],
      ['2026-03-10', 'deliver', 'DN-1', 'C0001', '-4', '-4', '496', '11'],
      ['2026-03-15', 'deliver', 'DN-4', 'C0002', '-1.5', '-1.5', '494.5', '9.5'],
      ['2026-04-02', 'deliver', 'DN-3', 'C0001', '-6', '-6', '488.5', '3.5'],
    ]);
  });

  it('keeps balances from the whole ledger when a period and a page are asked for', async () => {
    const r = await get('/reports/product-transactions?productCode=P0001&from=2026-03-03&to=2026-03-31&limit=2&offset=1');
    expect(r.total).toBe(5);
    expect(r.items.map((i: any) => [i.document, i.kind, i.onHandAfter, i.reservedAfter])).toEqual([
      ['RPT-3', 'reserve', '500', '22'],
      ['RPT-3', 'release', '500', '15'],
    ]);
  });
});

describe('sales ranking, customer contribution, gross margin', () => {
  it('ranks products and customers by delivered net amount', async () => {
    const byProduct = await get('/reports/sales-ranking?by=product');
    expect(byProduct.items.map((i: any) => [i.rank, i.code, i.quantity, i.net])).toEqual([
      [1, 'P0002', '2', '4800.00'],
      [2, 'P0001', '11.5', '1180.00'],
      [3, 'P0003', '100', '333.30'],
    ]);
    expect(byProduct.totals.net).toBe('6313.30');
    const byCustomer = await get('/reports/sales-ranking?by=customer');
    expect(byCustomer.items).toEqual([
      { rank: 1, code: 'C0002', name: expect.any(String), net: '4980.00' },
      { rank: 2, code: 'C0001', name: expect.any(String), net: '1333.30' },
    ]);
    const march = await get('/reports/sales-ranking?by=product&from=2026-03-01&to=2026-03-31');
    expect(march.items.map((i: any) => [i.code, i.net])).toEqual([['P0002', '4800.00'], ['P0001', '580.00'], ['P0003', '333.30']]);
  });

  it('gives each customer\'s share of total net sales', async () => {
    const r = await get('/reports/customer-contribution');
    // 4980.00 / 6313.30 = 78.88 %; 1333.30 / 6313.30 = 21.12 %.
    expect(r.items.map((i: any) => [i.code, i.net, i.sharePercent, i.cumulativeSharePercent])).toEqual([
      ['C0002', '4980.00', '78.88', '78.88'],
      ['C0001', '1333.30', '21.12', '100.00'],
    ]);
  });

  it('computes gross margin from the cost snapshotted at delivery, by product and by customer', async () => {
    const byProduct = await get('/reports/gross-margin?by=product');
    // P0001 cost: 4 × 80 + 1.5 × 80 + 6 × 85 = 950.00 (today's cost price 80 would give 920.00).
    expect(byProduct.items.map((i: any) => [i.code, i.net, i.cost, i.margin, i.marginPercent])).toEqual([
      ['P0002', '4800.00', '3600.00', '1200.00', '25.00'],
      ['P0001', '1180.00', '950.00', '230.00', '19.49'],
      ['P0003', '333.30', '210.00', '123.30', '36.99'],
    ]);
    expect(byProduct.totals).toEqual({ net: '6313.30', cost: '4760.00', margin: '1553.30' });
    const byCustomer = await get('/reports/gross-margin?by=customer');
    expect(byCustomer.items.map((i: any) => [i.code, i.net, i.cost, i.margin, i.marginPercent])).toEqual([
      ['C0002', '4980.00', '3720.00', '1260.00', '25.30'],
      ['C0001', '1333.30', '1040.00', '293.30', '22.00'],
    ]);
  });
});

describe('sales reports by salesperson (业务员) and department (部门)', () => {
  it('count only the deliveries of orders credited to the salesperson or department asked for', async () => {
    const li = await get('/reports/sales-ranking?by=customer&salesperson=clerk.li');
    expect(li.items).toEqual([{ rank: 1, code: 'C0001', name: expect.any(String), net: '1333.30' }]);
    expect(li.totals).toEqual({ net: '1333.30', cost: '1040.00', margin: '293.30' });
    // 华北 is RPT-2 alone: P0002 2 × 2400.00 (cost 3600.00) and P0001 1.5 × 120.00 (cost 120.00).
    const north = await get('/reports/gross-margin?by=product&department=华北');
    expect(north.items.map((i: any) => [i.code, i.net, i.cost, i.margin, i.marginPercent])).toEqual([
      ['P0002', '4800.00', '3600.00', '1200.00', '25.00'],
      ['P0001', '180.00', '120.00', '60.00', '33.33'],
    ]);
    expect(north.totals).toEqual({ net: '4980.00', cost: '3720.00', margin: '1260.00' });
    const east = await get('/reports/customer-contribution?department=华东');
    expect(east.items.map((i: any) => [i.code, i.net, i.sharePercent])).toEqual([['C0001', '1333.30', '100.00']]);
    const detail = await get('/reports/customer-sales-detail?customerCode=C0001&salesperson=clerk.zhang');
    expect(detail).toMatchObject({ total: 0, totals: { net: '0.00', tax: '0.00', gross: '0.00' } });
    expect((await get('/reports/sales-ranking?department=nobody')).total).toBe(0);
  });
});
