import { afterAll, describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { devToken } from '../../api/auth/demo-users.js';
import { DOCUMENT_NUMBER } from '../../domain/numbering.js';
import { operationFor, operations, undocumentedError } from '../support/openapi-fuzz.js';
import { useStack } from '../support/stack.js';

/**
 * What the API refuses at its edge, before anything runs or is stored (issue 14):
 * text that cannot be stored, amounts their column cannot hold, money that does
 * not move, unknown fields, oversized or non-JSON bodies, and document numbers in
 * every format the numbering rules can produce.
 */
const stack = useStack();

/** Every answer below, judged at the end against the OpenAPI document: an error code its operation does not document fails. */
const answers: { method: string; path: string; res: { status: number; body: any } }[] = [];
const request: typeof stack.request = async (method, path, options) => {
  const res = await stack.request(method, path, options);
  answers.push({ method, path, res });
  return res;
};
afterAll(async () => {
  const ops = operations((await stack.request('GET', '/openapi.json')).body);
  const undocumented = answers.flatMap(({ method, path, res }) => {
    const op = operationFor(ops, method, path);
    return op ? (undocumentedError(op, res) ?? []) : [];
  });
  expect(undocumented).toEqual([]);
});

const post = (path: string, body: unknown, user = 'clerk.li') => request('POST', path, { user, body });
const line = (quantity = '2', extra: Record<string, unknown> = {}) => ({ productCode: 'P0003', warehouseCode: 'WH-SH', quantity, ...extra });

async function newOrder(): Promise<string> {
  const res = await post('/orders', { customerCode: 'C0002', lines: [line()] });
  expect(res.status).toBe(201);
  return res.body.order.number as string;
}

const refused = (res: { status: number; body: any }, status: number, field: string, code = 'VALIDATION_FAILED') => {
  expect({ status: res.status, code: res.body?.error?.code, field: res.body?.error?.field }).toEqual({ status, code, field });
};

describe('text that can be stored', () => {
  it('refuses NUL and control characters in a reason with 400 naming it, and the order takes its next command at once', async () => {
    const number = await newOrder();
    refused(await post(`/orders/${number}/reject`, { reason: 'no\u0000pe' }, 'manager.wang'), 400, 'reason');
    refused(await post(`/orders/${number}/reject`, { reason: 'bell\u0007' }, 'manager.wang'), 400, 'reason');
    refused(await post(`/orders/${number}/reject`, { reason: 'c1\u0085' }, 'manager.wang'), 400, 'reason');
    refused(await post(`/orders/${number}/reject`, { reason: 'half \ud800 a pair' }, 'manager.wang'), 400, 'reason');
    refused(await post(`/orders/${number}/reject`, { reason: ' \t\n ' }, 'manager.wang'), 400, 'reason');
    const started = Date.now();
    const approved = await post(`/orders/${number}/approve`, {}, 'manager.wang');
    expect(approved.status).toBe(200);
    expect(approved.body.order.status).toBe('Approved');
    expect(Date.now() - started).toBeLessThan(10_000);
    refused(await post(`/orders/${number}/deliver`, { carrier: 'SF\u0000Express' }, 'warehouse.zhao'), 400, 'carrier');
    refused(await post(`/orders/${number}/deliver`, { trackingNumber: 'line\nbreak' }, 'warehouse.zhao'), 400, 'trackingNumber');
    const delivered = await post(`/orders/${number}/deliver`, { carrier: '  SF Express ' }, 'warehouse.zhao');
    expect(delivered.status).toBe(200);
  });

  it('keeps tab and line breaks in free text, trimmed', async () => {
    const number = await newOrder();
    expect((await post(`/orders/${number}/approve`, {}, 'manager.wang')).status).toBe(200);
    const change = { reason: '  customer called:\r\n\tone more  ', lines: [{ action: 'change', lineNo: 1, quantity: '3' }] };
    expect((await post(`/orders/${number}/changes`, change)).status).toBe(200);
    const changes = await request('GET', `/orders/${number}/changes`);
    expect(changes.body.changes.map((c: { reason: string }) => c.reason)).toEqual(['customer called:\r\n\tone more']);
  });

  it('refuses NUL in query and path parameters, codes and CSV cells with a 4xx naming the field, never a 500', async () => {
    refused(await request('GET', '/customers?q=%00'), 400, 'q');
    refused(await request('GET', '/products?category=a%01b'), 400, 'category');
    refused(await request('GET', '/orders?customerCode=C%000'), 400, 'customerCode');
    refused(await request('GET', '/customers/C%000'), 400, 'code');
    refused(await request('GET', '/orders/SO-2026%00-1'), 400, 'number');
    refused(await post('/products', { code: 'P\u00009', name: 'nul' }, 'admin.root'), 400, 'code');
    refused(await post('/customers', { name: 'ACME', addresses: [{ label: 'hq', address: 'Road 1\u0000' }] }, 'admin.root'), 400, 'addresses[0].address');
    const csv = 'code,name,listPrice\nP9001,bad\u0000name,10\n';
    const imported = await request('POST', '/import/products', { user: 'admin.root', body: csv, headers: { 'content-type': 'text/csv' } });
    refused(imported, 422, 'name', 'IMPORT_REJECTED');
    expect(imported.body.error.details.errors).toEqual([expect.objectContaining({ line: 2, field: 'name' })]);
    expect((await stack.sql`SELECT count(*)::int AS n FROM products WHERE code = 'P9001'`)[0]!.n).toBe(0);
  });

  it("refuses NUL in the console's read pages, whose query values go to SQL", async () => {
    const login = await stack.app.request('/console/login', {
      method: 'POST',
      body: new URLSearchParams({ user: 'admin.root', token: devToken('admin.root'), next: '/console' }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    for (const path of ['/console/customers?q=%00', '/console/products?q=a%07', '/console?customerCode=%00', '/console/orders/SO%00']) {
      const res = await stack.app.request(path, { headers: { cookie } });
      expect(res.status, path).toBe(400);
    }
    expect((await stack.app.request('/console/customers?q=ACME', { headers: { cookie } })).status).toBe(200);
  });
});

describe('chat commands', () => {
  const slashCommand = (fields: Record<string, string>) => {
    const body = new URLSearchParams({ token: 'x', team_id: 'T1', command: '/order', ...fields }).toString();
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = `v0=${createHmac('sha256', stack.chat.slackSigningSecret!).update(`v0:${timestamp}:${body}`).digest('hex')}`;
    return request('POST', '/chat/slack/commands', {
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': timestamp, 'x-slack-signature': signature },
    });
  };

  it('answers a command with text that cannot be stored in a sentence, runs nothing, and the order still takes its approval', async () => {
    await stack.sql`INSERT INTO chat_users (platform, chat_user_id, user_name) VALUES ('slack', 'U_BOUNDARY', 'manager.wang')`;
    const number = await newOrder();
    const poisoned = await slashCommand({ user_id: 'U_BOUNDARY', text: `reject ${number} no\u0000pe` });
    expect(poisoned.status).toBe(200);
    expect(poisoned.body.text).toBe('The message has control characters (invisible ones) in it, so nothing was done; type the command again.');
    const ghost = await slashCommand({ user_id: 'U_\u0000', text: `approve ${number}` });
    expect(ghost.status).toBe(200);
    const approved = await slashCommand({ user_id: 'U_BOUNDARY', text: `approve ${number}` });
    expect(approved.status).toBe(200);
    // The approval runs after the acknowledgement.
    await Promise.all(stack.background);
    const order = await request('GET', `/orders/${number}`);
    expect(order.body.order.status).toBe('Approved');
  });
});

describe('amounts bounded by their column', () => {
  it('refuses a quantity, price or amount the column cannot hold, and a line or total whose amount cannot be stored', async () => {
    refused(await post('/orders', { customerCode: 'C0002', lines: [line('123456789012345')] }), 400, 'lines[0].quantity');
    refused(await post('/orders', { customerCode: 'C0002', lines: [line('1.00001')] }), 400, 'lines[0].quantity');
    refused(await post('/orders', { customerCode: 'C0002', lines: [line('1', { unitPrice: '1234567890123' })] }), 400, 'lines[0].unitPrice');
    // Each fits its column; their product does not (the 500 of issue 14).
    refused(await post('/orders', { customerCode: 'C0002', lines: [line('1', {}), line('9999999999', { unitPrice: '999999' })] }), 400, 'lines[1].quantity');
    // Every line fits, their total does not.
    const big = Array.from({ length: 500 }, () => line('2000', { unitPrice: '9999999999' }));
    refused(await post('/orders', { customerCode: 'C0002', lines: big }), 400, 'lines');
    const quotation = await post('/quotations', { customerCode: 'C0002', lines: [line('9999999999', { unitPrice: '999999' })] });
    refused(quotation, 400, 'lines[0].quantity');
  });

  it('refuses opening stock that would put more on hand than the column holds', async () => {
    const importStock = (quantity: string) =>
      request('POST', '/import/opening_stock', {
        user: 'admin.root',
        body: `productCode,warehouseCode,quantity\nP0002,WH-BJ,${quantity}\n`,
        headers: { 'content-type': 'text/csv' },
      });
    expect((await importStock('99999999999990')).status).toBe(201);
    const over = await importStock('99999999999');
    refused(over, 422, 'quantity', 'IMPORT_REJECTED');
    expect(over.body.error.details.errors[0]).toMatchObject({ line: 2, field: 'quantity' });
  });

  it('refuses zero, negative and over-precise money where money moves', async () => {
    const number = await newOrder();
    expect((await post(`/orders/${number}/approve`, {}, 'manager.wang')).status).toBe(200);
    for (const amount of ['0', '0.00', '-5', '1.001', '12345678901234567']) {
      refused(await post(`/orders/${number}/receipts`, { amount, method: 'cash' }, 'finance.chen'), 400, 'amount');
      refused(await post(`/orders/${number}/bank-notices`, { noticeId: `N-${amount}`, amount }, 'finance.chen'), 400, 'amount');
      refused(await post('/receipts', { payerCode: 'C0002', amount, method: 'cash' }, 'finance.chen'), 400, 'amount');
      refused(await post('/finance/refunds', { payerCode: 'C0002', amount, method: 'cash' }, 'finance.chen'), 400, 'amount');
      refused(await post(`/orders/${number}/allowances`, { reason: 'damaged', lines: [{ lineNo: 1, amount }] }, 'finance.chen'), 400, 'lines[0].amount');
    }
  });
});

describe('bodies', () => {
  it('refuses an unknown field naming it, a body over the limit with 413, and a body that is not JSON with 4xx', async () => {
    refused(await post('/orders', { customerCode: 'C0002', lines: [line('1', { colour: 'red' })] }), 400, 'lines[0].colour');
    refused(await post('/orders', { customerCode: 'C0002', lines: [line()], _csrf: 'x' }), 400, '_csrf');
    const huge = await post('/orders', { customerCode: 'C0002', lines: [line()], note: 'x'.repeat(1024 * 1024) });
    refused(huge, 413, 'body', 'PAYLOAD_TOO_LARGE');
    const number = await newOrder();
    const notJson = await request('POST', `/orders/${number}/reject`, { user: 'manager.wang', body: '{"reason": ', headers: { 'content-type': 'application/json' } });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.code).toBe('VALIDATION_FAILED');
    const plain = await request('POST', `/orders/${number}/reject`, { user: 'manager.wang', body: 'reason=x', headers: { 'content-type': 'text/plain' } });
    expect([400, 415]).toContain(plain.status);
    expect(typeof plain.body.error.code).toBe('string');
    // Nothing of it took effect: the order still takes its approval.
    expect((await post(`/orders/${number}/approve`, {}, 'manager.wang')).body.order.status).toBe('Approved');
  });
});

describe('document numbers in every format the numbering rules produce', () => {
  const rule = (prefix: string, separator: string) => ({ prefix, datePart: 'yyyymmdd', digits: 4, separator });
  const put = (type: string, body: unknown) => request('PUT', `/numbering-rules/${type}`, { user: 'admin.root', body });

  it('every route that names a document in its path accepts every format: the one pattern of domain/numbering.ts', async () => {
    const doc = (await request('GET', '/openapi.json')).body as { paths: Record<string, Record<string, { parameters?: { in: string; name: string; schema?: { pattern?: string } }[] }>> };
    const numberParams = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).flatMap(([method, op]) =>
        (op.parameters ?? []).filter((p) => p.in === 'path' && p.name === 'number').map((p) => ({ route: `${method.toUpperCase()} ${path}`, pattern: p.schema?.pattern })),
      ),
    );
    expect(numberParams.length).toBeGreaterThan(25);
    expect(numberParams.filter((p) => p.pattern !== DOCUMENT_NUMBER.source)).toEqual([]);
  });

  it('refuses "/" as a separator: a number is one segment of a URL', async () => {
    refused(await put('quotation', rule('QT', '/')), 400, 'separator');
  });

  for (const separator of ['_', '']) {
    it(`reaches quotations and orders numbered with ${separator ? `"${separator}"` : 'no separator'}`, async () => {
      expect((await put('quotation', rule('QT', separator))).status).toBe(200);
      expect((await put('sales_order', rule(stack.orderPrefix, separator))).status).toBe(200);
      const quotation = await post('/quotations', { customerCode: 'C0002', lines: [line('1')] });
      expect(quotation.status).toBe(201);
      const qt = quotation.body.number as string;
      expect(qt).toMatch(separator ? /^QT_\d{8}_\d{4}$/ : /^QT\d{12}$/);
      expect((await request('GET', `/quotations/${qt}`)).status).toBe(200);
      expect((await post(`/quotations/${qt}/accept`, {})).status).toBe(200);
      const copied = await post(`/quotations/${qt}/order`, {});
      expect(copied.status).toBe(201);
      const number = copied.body.orderNumber as string;
      expect(number.startsWith(`${stack.orderPrefix}${separator}`)).toBe(true);
      expect((await request('GET', `/orders/${number}`)).status).toBe(200);
      const approved = await post(`/orders/${number}/approve`, {}, 'manager.wang');
      expect(approved.status).toBe(200);
      expect((await post(`/orders/${number}/deliver`, {}, 'warehouse.zhao')).status).toBe(200);
      expect((await request('GET', `/orders/${number}/timeline`)).status).toBe(200);
    });
  }
});
