import { describe, expect, it } from 'vitest';
import { devToken } from '../../api/auth/demo-users.js';
import { useStack } from '../support/stack.js';

const stack = useStack();

interface Browser {
  cookie: string;
  csrf: string;
}

/** Signs in through the login form (English, so the pages' words are predictable) and keeps the cookies. */
async function signIn(user: string): Promise<Browser> {
  const res = await stack.app.request('/console/login', { method: 'POST', body: new URLSearchParams({ user, token: devToken(user), next: '/console' }) });
  expect(res.status).toBe(303);
  const cookie = `${(res.headers.get('set-cookie') ?? '').split(';')[0]}; sbo_lang=en`;
  const page = await (await stack.app.request('/console', { headers: { cookie } })).text();
  return { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(page)![1]! };
}

async function get(b: Browser | undefined, path: string) {
  return stack.app.request(path, { headers: b ? { cookie: b.cookie } : {} });
}

async function html(b: Browser, path: string, status = 200) {
  const res = await get(b, path);
  expect(res.status, path).toBe(status);
  return res.text();
}

/** Posts a form; follows a redirect once with the flash cookie it set, as a browser would. */
async function post(b: Browser, path: string, fields: Record<string, string>) {
  const res = await stack.app.request(path, {
    method: 'POST',
    headers: { cookie: b.cookie, origin: 'http://localhost' },
    body: new URLSearchParams({ _csrf: b.csrf, ...fields }),
  });
  if (res.status !== 303) return { status: res.status, location: undefined, text: await res.text() };
  const location = res.headers.get('location')!;
  const flash = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const next = await stack.app.request(location, { headers: { cookie: `${b.cookie}; ${flash}` } });
  return { status: 303, location, text: await next.text() };
}

const exportLinks = (page: string) => [...page.matchAll(/<a href="([^"]+)" data-export="csv"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));

async function csv(b: Browser | undefined, href: string) {
  const res = await get(b, href);
  // Decoded keeping a byte-order mark, so a test sees whether Excel gets one.
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
  return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), text };
}
const header = (text: string) => text.replace(/^\uFEFF/, '').split('\r\n')[0];
const dataRows = (text: string) => text.replace(/^\uFEFF/, '').split('\r\n').slice(1).filter(Boolean);

const customerFields = (over: Record<string, string> = {}) => ({
  code: 'CMD01', name: '苏州测试 Suzhou Test', grade: 'regular', approvalStatus: 'approved', settlementTerms: 'net', settlementDays: '45',
  creditControl: 'company', invoiceMode: 'per_order', currency: 'CNY', creditLimit: '', depositRatio: '', creditOverrunRate: '', ...over,
});

describe('console master data: create, edit, deactivate through the API as the signed-in user', () => {
  it('a clerk creates a customer, edits and deactivates it; a customer in use cannot be deleted', async () => {
    const clerk = await signIn('clerk.li');
    const list = await html(clerk, '/console/customers');
    expect(list).toContain('href="/console/customers/new"');

    const created = await post(clerk, '/console/customers/new', customerFields());
    expect(created.location).toBe('/console/customers/CMD01');
    expect(created.text).toContain('Customer CMD01 created.');
    // Payment terms and the credit limit are the credit controller's: the clerk's form shows them locked and never sends them.
    const [row] = await stack.sql`SELECT name, settlement_days, active FROM customers WHERE code = 'CMD01'`;
    expect(row).toEqual({ name: '苏州测试 Suzhou Test', settlement_days: 30, active: true });

    const clerkPage = await html(clerk, '/console/customers/CMD01');
    expect(clerkPage).toMatch(/name="creditLimit" id="f-creditLimit"[^>]*disabled/);
    expect(clerkPage).not.toContain('action="/console/customers/CMD01/controls"');
    const edited = await post(clerk, '/console/customers/CMD01', customerFields({ name: 'Suzhou Renamed', region: '华东', creditLimit: '50000' }));
    expect(edited.text).toContain('CMD01 saved.');
    const [after] = await stack.sql`SELECT name, region, credit_limit FROM customers WHERE code = 'CMD01'`;
    expect(after).toEqual({ name: 'Suzhou Renamed', region: '华东', credit_limit: '0.00' });

    const credit = await signIn('credit.sun');
    const creditPage = await html(credit, '/console/customers/CMD01');
    expect(creditPage).toContain('action="/console/customers/CMD01/controls"');
    const limited = await post(credit, '/console/customers/CMD01/controls', { creditControl: 'customer', creditLimit: '50000', creditOverrunRate: '0.1', settlementDays: '45', settlementTerms: 'net', approvalStatus: 'approved', depositRatio: '0', billToCode: '' });
    expect(limited.text).toContain('CMD01: controls saved.');
    const [controlled] = await stack.sql`SELECT credit_control, credit_limit, settlement_days FROM customers WHERE code = 'CMD01'`;
    expect(controlled).toEqual({ credit_control: 'customer', credit_limit: '50000.00', settlement_days: 45 });

    const off = await post(clerk, '/console/customers/CMD01/active', { active: 'false' });
    expect(off.text).toContain('CMD01 is inactive.');
    expect((await stack.sql`SELECT active FROM customers WHERE code = 'CMD01'`)[0]!.active).toBe(false);
    expect(await html(clerk, '/console/customers?active=false')).toContain('href="/console/customers/CMD01"');

    // An order refers to C0002: deleting it is refused, deactivating is the way.
    const order = await stack.request('POST', '/orders', { user: 'clerk.li', body: { customerCode: 'C0002', lines: [{ productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '1' }] } });
    expect(order.status).toBe(201);
    const refused = await post(clerk, '/console/customers/C0002/delete', {});
    expect(refused.location).toBe('/console/customers/C0002');
    expect(refused.text).toMatch(/<strong>IN_USE<\/strong>: customer C0002 is referred to by/);
    expect(refused.text).toContain('(field <code>code</code>)');
    expect((await stack.sql`SELECT count(*)::int AS n FROM customers WHERE code = 'C0002'`)[0]!.n).toBe(1);

    const deleted = await post(clerk, '/console/customers/CMD01/delete', {});
    expect(deleted.location).toBe('/console/customers');
    expect((await stack.sql`SELECT count(*)::int AS n FROM customers WHERE code = 'CMD01'`)[0]!.n).toBe(0);
  });

  it('refuses NUL, huge and malformed values with the field named, keeps the form filled in and writes nothing', async () => {
    // The admin, whose form has every field open (a clerk's credit fields are locked and never sent).
    const clerk = await signIn('admin.root');
    const before = (await stack.sql`SELECT count(*)::int AS n FROM customers`)[0]!.n;
    const cases: [Record<string, string>, string][] = [
      [{ name: 'bad\u0000name' }, 'name'],
      [{ name: 'x'.repeat(5000) }, 'name'],
      [{ settlementDays: 'forty' }, 'settlementDays'],
      [{ creditLimit: '-5' }, 'creditLimit'],
      [{ creditLimit: '1e999' }, 'creditLimit'],
      [{ grade: 'platinum' }, 'grade'],
    ];
    for (const [over, field] of cases) {
      const res = await post(clerk, '/console/customers/new', customerFields({ code: 'CMD02', region: '华南 South', ...over }));
      expect(res.status, field).toBe(422);
      expect(res.text, field).toContain(`(field <code>${field}</code>)`);
      expect(res.text, field).toContain(`id="f-${field}" aria-invalid="true"`);
      // What was typed is still there.
      expect(res.text).toContain('value="华南 South"');
    }
    // A body past the API's limit never reaches a form handler.
    const huge = await stack.app.request('/console/customers/new', {
      method: 'POST',
      headers: { cookie: clerk.cookie, origin: 'http://localhost' },
      body: new URLSearchParams({ _csrf: clerk.csrf, ...customerFields({ code: 'CMD02', name: 'y'.repeat(1_100_000) }) }),
    });
    expect(huge.status).toBe(413);
    expect((await stack.sql`SELECT count(*)::int AS n FROM customers`)[0]!.n).toBe(before);

    const edit = await post(clerk, '/console/products/P0002', { name: 'Panel', listPrice: '12abc' });
    expect(edit.status).toBe(422);
    expect(edit.text).toContain('(field <code>listPrice</code>)');
    expect(edit.text).toContain('value="12abc"');
    expect((await stack.sql`SELECT list_price::text AS p FROM products WHERE code = 'P0002'`)[0]!.p).toMatch(/^2500\.0+$/);
  });

  it('shows the buttons only to roles that may, and the API refuses the others all the same', async () => {
    const warehouse = await signIn('warehouse.zhao');
    const list = await html(warehouse, '/console/customers');
    expect(list).toContain('href="/console/customers/C0001"');
    expect(list).not.toContain('/console/customers/new');
    const record = await html(warehouse, '/console/customers/C0001');
    expect(record).not.toContain('data-form="edit"');
    expect(record).not.toContain('/console/customers/C0001/active');
    const forced = await post(warehouse, '/console/customers/new', customerFields({ code: 'CMD03' }));
    expect(forced.status).toBe(422);
    expect(forced.text).toContain('<strong>FORBIDDEN</strong>');
    expect((await stack.sql`SELECT count(*)::int AS n FROM customers WHERE code = 'CMD03'`)[0]!.n).toBe(0);

    const prices = await html(warehouse, '/console/prices/strategies');
    expect(prices).not.toContain('<button type="submit">Save tiers</button>');
    const credit = await signIn('credit.sun');
    expect(await html(credit, '/console/settings/credit')).toContain('<button type="submit">Save</button>');
    expect(await html(await signIn('clerk.li'), '/console/settings/credit')).not.toContain('<button type="submit">Save</button>');
  });

  it('edits a product, a customer price, the grade discounts, the tiers, a numbering rule and the credit settings', async () => {
    const admin = await signIn('admin.root');
    const product = await post(admin, '/console/products/P0004', { name: '技术咨询 Consulting hour', unit: 'h', listPrice: '850.00', taxRate: '0.06', shelfLifeDays: '' });
    expect(product.text).toContain('P0004 saved.');
    expect((await stack.sql`SELECT list_price = 850 AS ok FROM products WHERE code = 'P0004'`)[0]!.ok).toBe(true);

    const price = await post(admin, '/console/prices/new', { customerCode: 'C0002', productCode: 'P0004', unitPrice: '790', effectiveFrom: '2026-01-01', effectiveTo: '' });
    expect(price.location).toBe('/console/prices?customerCode=C0002');
    const [agreed] = await stack.sql`SELECT cp.id, cp.unit_price = 790 AS ok FROM customer_prices cp JOIN products p ON p.id = cp.product_id WHERE p.code = 'P0004'`;
    expect(agreed!.ok).toBe(true);
    const changed = await post(admin, `/console/prices/${agreed!.id}`, { unitPrice: '780.50', effectiveTo: '2026-12-31' });
    expect(changed.text).toContain('The price is saved.');
    expect((await stack.sql`SELECT unit_price = 780.50 AS ok, effective_to::text FROM customer_prices WHERE id = ${agreed!.id}`)[0]).toEqual({ ok: true, effective_to: '2026-12-31' });
    const badDates = await post(admin, `/console/prices/${agreed!.id}`, { unitPrice: '780.50', effectiveTo: '2025-01-01' });
    expect(badDates.text).toContain('(field <code>effectiveTo</code>)');

    expect((await post(admin, '/console/prices/grade-discounts', { rate_regular: '1', rate_vip: '0.90' })).text).toContain('Grade discounts saved.');
    expect((await stack.sql`SELECT rate = 0.9 AS ok FROM grade_discounts WHERE grade = 'vip'`)[0]!.ok).toBe(true);
    const gap = await post(admin, '/console/prices/quantity-tiers', { rows: '2', above_0: '0', upTo_0: '10', rate_0: '1', above_1: '20', upTo_1: '', rate_1: '0.95' });
    expect(gap.text).toMatch(/<strong>[A-Z_]+<\/strong>/);
    const tiers = await post(admin, '/console/prices/quantity-tiers', { rows: '2', above_0: '0', upTo_0: '10', rate_0: '1', above_1: '10', upTo_1: '', rate_1: '0.95' });
    expect(tiers.text).toContain('Quantity tiers saved.');
    expect(await stack.sql`SELECT above::text, up_to::text, rate::text FROM quantity_tiers ORDER BY above`).toHaveLength(2);

    const rule = await post(admin, '/console/numbering-rules/customer', { prefix: 'CU', datePart: 'yyyy', digits: '5', separator: '-' });
    expect(rule.text).toContain('Numbering rule saved.');
    expect((await stack.sql`SELECT prefix, digits FROM numbering_rules WHERE document_type = 'customer'`)[0]).toEqual({ prefix: 'CU', digits: 5 });
    const badRule = await post(admin, '/console/numbering-rules/customer', { prefix: 'cu/', datePart: 'yyyy', digits: '5', separator: '-' });
    expect(badRule.text).toContain('(field <code>prefix</code>)');

    const credit = await post(admin, '/console/settings/credit', { checkPoint_approval: 'on', checkPoint_delivery: 'on', onBreach: 'warn', defaultLimit: '100000', defaultOverrunRate: '0.1' });
    expect(credit.text).toContain('Credit control saved.');
    expect(credit.text).toMatch(/name="checkPoint_delivery" checked/);
    expect(credit.text).not.toMatch(/name="checkPoint_invoice" checked/);
  });
});

describe('console lists and exports', () => {
  it('pages a list with first / previous / page N of M / next / last, keeping its filters', async () => {
    for (let i = 1; i <= 12; i++) expect((await stack.request('POST', '/warehouses', { user: 'admin.root', body: { code: `PGW${String(i).padStart(2, '0')}`, name: `Paging ${i}` } })).status).toBe(201);
    const clerk = await signIn('clerk.li');
    const first = await html(clerk, '/console/warehouses?q=PGW&size=10');
    expect(first).toContain('Page 1 of 2, 12 rows');
    expect(first).toContain('<a href="?q=PGW&amp;size=10&amp;page=2" data-rel="next">Next</a>');
    expect(first).toContain('<a href="?q=PGW&amp;size=10&amp;page=2" data-rel="last">Last</a>');
    expect(first).toContain('<span class="muted" data-rel="prev">Previous</span>');
    const second = await html(clerk, '/console/warehouses?q=PGW&size=10&page=2');
    expect(second).toContain('Page 2 of 2, 12 rows');
    expect(second.match(/href="\/console\/warehouses\/PGW\d\d"/g)).toEqual(['href="/console/warehouses/PGW11"', 'href="/console/warehouses/PGW12"']);
    expect(second).toContain('<a href="?q=PGW&amp;size=10&amp;page=1" data-rel="first">First</a>');
    // A page past the end shows the last one rather than an empty table.
    expect(await html(clerk, '/console/warehouses?q=PGW&size=10&page=9')).toContain('Page 2 of 2');
  });

  it('the order list sorts, filters, names the customer and words the status', async () => {
    const clerk = await signIn('clerk.li');
    for (const q of ['1', '3']) {
      expect((await stack.request('POST', '/orders', { user: 'clerk.li', body: { customerCode: 'C0001', lines: [{ productCode: 'P0003', warehouseCode: 'WH-SH', quantity: q }] } })).status).toBe(201);
    }
    const page = await html(clerk, '/console?customerCode=C0001&status=Unapproved&sort=-gross&size=10');
    expect(page).toContain('上海华东贸易有限公司 Shanghai East Trading');
    expect(page).toContain('<option value="Unapproved" selected="">Unapproved</option>');
    const grosses = [...page.matchAll(/<td class="num">([\d,.]+)<\/td>/g)].map((m) => Number(m[1]!.replace(/,/g, '')));
    expect(grosses.length).toBeGreaterThanOrEqual(2);
    expect([...grosses].sort((a, b) => b - a)).toEqual(grosses);
    expect(page).toContain('Page 1 of 1');
    const zh = await (await stack.app.request('/console?status=Unapproved', { headers: { cookie: clerk.cookie.replace('sbo_lang=en', 'sbo_lang=zh-CN') } })).text();
    expect(zh).toContain('<td class="">未审核</td>');
  });

  it('every CSV link on every list and report page downloads with the console session', async () => {
    const clerk = await signIn('clerk.li');
    const expected: Record<string, string> = {
      '/console': 'number,status,customerCode,customerName,currency,gross,createdBy,createdAt',
      '/console/customers': 'code,name,region,industry,grade,approvalStatus,settlementTerms,settlementDays,billToCode,creditControl,creditLimit,creditOverrunRate,depositRatio,currency,invoiceMode,taxId,active',
      '/console/products': 'code,name,spec,unit,category,costPrice,listPrice,taxRate,priceFloorRate,overDeliveryRate,safetyStock,batchManaged,shelfLifeDays,active',
      '/console/warehouses': 'code,name,active',
      '/console/stock?productCode=P0001': 'productCode,warehouseCode,onHand,reserved,available,safetyStock',
      '/console/stock/moves': 'id,createdAt,productCode,warehouseCode,kind,batchNo,expiryDate,onHandDelta,reservedDelta,documentNumber,reason',
      '/console/stock/expiry-warnings': 'productCode,warehouseCode,batchNo,expiryDate,daysLeft,quantity,state',
      '/console/prices': 'id,customerCode,productCode,unitPrice,effectiveFrom,effectiveTo,active',
      '/console/numbering-rules': 'documentType,prefix,datePart,digits,separator',
      '/console/reports/expected-shipments?customerCode=C0001': 'expectedDeliveryDate,orderDate,orderNumber,orderStatus,customerCode,customerName,salesperson,department,lineNo,productCode,productName,warehouseCode,orderedQty,deliveredQty,openQty,unitPrice,openNet',
      '/console/reports/sales-ranking?by=customer': 'rank,code,name,net',
      '/console/reports/customer-contribution': 'rank,code,name,net,sharePercent,cumulativeSharePercent',
      '/console/reports/gross-margin': 'code,name,net,cost,margin,marginPercent',
      '/console/reports/customer-sales-detail?customerCode=C0001': 'date,kind,document,deliveryNote,creditNote,orderNumber,orderLineNo,productCode,productName,unit,quantity,unitPrice,net,tax,gross,currency,documentGross',
      '/console/reports/product-transactions?productCode=P0001': 'at,date,warehouseCode,kind,document,customerCode,onHandChange,reservedChange,onHandAfter,reservedAfter',
    };
    for (const [pagePath, columns] of Object.entries(expected)) {
      const links = exportLinks(await html(clerk, pagePath));
      expect(links, pagePath).toHaveLength(1);
      const file = await csv(clerk, links[0]!);
      expect(file.status, links[0]).toBe(200);
      expect(file.type).toBe('text/csv; charset=utf-8');
      expect(file.disposition).toMatch(/^attachment; filename="[\w.-]+\.csv"/);
      expect(header(file.text), pagePath).toBe(columns);
      // Without the session the same link goes to the login page, never to the data.
      const anonymous = await get(undefined, links[0]!);
      expect(anonymous.status).toBe(303);
      expect(anonymous.headers.get('location')).toMatch(/^\/console\/login\?next=%2Fconsole%2Fexport%2F/);
    }
    // The filters go with the link: the stock export holds only P0001.
    const stock = await csv(clerk, exportLinks(await html(clerk, '/console/stock?productCode=P0001'))[0]!);
    expect(dataRows(stock.text).map((r) => r.split(',')[0])).toEqual(['P0001', 'P0001']);
  });

  it('finance exports aging and statement as CSV; the export serves only its allow-list and the API still authorises', async () => {
    const finance = await signIn('finance.chen');
    const financeLinks = exportLinks(await html(finance, '/console/finance'));
    expect(financeLinks.map((l) => l.split('?')[0])).toEqual(['/console/export/finance/stuck-payments', '/console/export/finance/aging']);
    for (const link of financeLinks) {
      const file = await csv(finance, link);
      expect(file.status, link).toBe(200);
      expect(file.type).toBe('text/csv; charset=utf-8');
      // The API's byte-order mark survives the console (Excel reads the Chinese names as UTF-8 only with it).
      expect(file.text.startsWith('\uFEFF'), link).toBe(true);
      expect(header(file.text)).toMatch(link.includes('aging') ? /^customerCode,customerName,current,/ : /^orderNumber,orderStatus,customerCode,/);
    }
    const aging = await csv(finance, '/console/export/finance/aging?asOf=2026-06-30');
    expect(aging.status).toBe(200);
    expect(header(aging.text)).toBe('customerCode,customerName,current,days1to30,days31to60,days61to90,over90,total,documentOpen');
    expect(aging.disposition).toContain('aging-2026-06-30.csv');
    const statement = await csv(finance, '/console/export/finance/statement?customer=C0001&from=2026-01-01&to=2026-12-31');
    expect(statement.status).toBe(200);
    expect(header(statement.text)).toBe('date,kind,document,orderNumber,currency,documentAmount,fxRate,amount,balance');
    expect(dataRows(statement.text)[0]).toBe('2026-01-01,opening,,,,,,,0.00');
    expect(dataRows(statement.text).at(-1)).toMatch(/^2026-12-31,closing,,,,/);
    const backwards = await csv(finance, '/console/export/finance/statement?customer=C0001&from=2026-12-31&to=2026-01-01');
    expect(backwards.status).toBe(400);
    expect(backwards.text).toContain('to');
    const stuck = await csv(finance, '/console/export/finance/stuck-payments');
    expect(header(stuck.text)).toMatch(/^orderNumber,orderStatus,customerCode/);
    // The API itself honours format=csv on both.
    const direct = await stack.app.request('/finance/aging?format=csv', { headers: { authorization: `Bearer ${devToken('finance.chen')}` } });
    expect(direct.headers.get('content-type')).toBe('text/csv; charset=utf-8');

    const clerk = await signIn('clerk.li');
    const refused = await csv(clerk, '/console/export/finance/aging');
    expect(refused.status).toBe(403);
    expect(refused.text).toMatch(/^FORBIDDEN: /);
    const missing = await csv(clerk, '/console/export/reports/customer-sales-detail');
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('(customerCode)');
    for (const path of ['/console/export/audit', '/console/export/orders/x/timeline', '/console/export/openapi.json', '/console/export/%2E%2E/metrics', '/console/export/']) {
      expect((await get(clerk, path)).status, path).toBe(404);
    }
  });

  it('a cell that a spreadsheet would run as a formula is defused in the export', async () => {
    const clerk = await signIn('clerk.li');
    expect((await post(clerk, '/console/customers/new', customerFields({ code: 'CMD09', name: '=HYPERLINK("http://x","y")' }))).location).toBe('/console/customers/CMD09');
    expect((await post(clerk, '/console/customers/new', customerFields({ code: 'CMD10', name: '-2+3+cmd|calc', region: '@SUM(A1)' }))).location).toBe('/console/customers/CMD10');
    const file = await csv(clerk, '/console/export/customers?q=CMD');
    const [first, second] = dataRows(file.text);
    expect(first).toMatch(/^CMD09,"'=HYPERLINK\(""http:\/\/x"",""y""\)",/);
    expect(second).toMatch(/^CMD10,'-2\+3\+cmd\|calc,'@SUM\(A1\),/);
  });
});
