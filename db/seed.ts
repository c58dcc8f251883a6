import type { Sql } from './client.js';

/**
 * Demo master data: a few customers, products, two warehouses with opening stock.
 * Safe to run on every start: what exists is left as it is.
 */
export async function seedDemoData(sql: Sql): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`
      INSERT INTO customers (code, name, grade, settlement_days, approval_status) VALUES
        ('C0001', '上海华东贸易有限公司 Shanghai East Trading', 'vip', 30, 'approved'),
        ('C0002', '北京北方电子 Beijing North Electronics', 'regular', 60, 'approved'),
        ('C0003', '广州南方五金 Guangzhou South Hardware', 'regular', 0, 'blocked')
      ON CONFLICT (code) DO NOTHING`;
    await tx`
      INSERT INTO products (code, name, unit, list_price, cost_price, tax_rate, over_delivery_rate, safety_stock) VALUES
        ('P0001', '工业传感器 Industrial sensor', 'pcs', 120.00, 80.00, 0.13, 0.05, 10),
        ('P0002', '控制面板 Control panel', 'pcs', 2500.00, 1800.00, 0.13, 0, 2),
        ('P0003', '电缆 Cable (per metre)', 'm', 3.50, 2.10, 0.13, 0.10, 100),
        ('P0004', '技术咨询 Consulting hour', 'h', 800.00, 500.00, 0.06, 0, 0)
      ON CONFLICT (code) DO NOTHING`;
    // 外币: one customer that trades in US dollars, with the rates finance entered (domain/fx.ts); the books stay in CNY.
    await tx`
      INSERT INTO customers (code, name, grade, settlement_days, approval_status, currency, credit_control, credit_limit)
      VALUES ('C8001', '太平洋进口 Pacific Imports LLC', 'regular', 45, 'approved', 'USD', 'customer', 500000)
      ON CONFLICT (code) DO NOTHING`;
    await tx`
      INSERT INTO exchange_rates (currency, rate_on, rate, entered_by) VALUES
        ('USD', '2026-01-02', 7.0288, 'finance.chen'), ('USD', '2026-07-01', 7.1586, 'finance.chen'), ('USD', '2026-11-02', 7.1102, 'finance.chen'),
        ('EUR', '2026-01-02', 7.6502, 'finance.chen'), ('EUR', '2026-11-02', 8.2351, 'finance.chen')
      ON CONFLICT (currency, rate_on) DO NOTHING`;
    await tx`UPDATE products SET price_floor_rate = 0.80 WHERE code IN ('P0001', 'P0002') AND price_floor_rate = 0`;
    await tx`
      UPDATE customers SET credit_control = 'customer', credit_limit = 1000000, credit_overrun_rate = 0.10
      WHERE code = 'C0001' AND credit_control = 'company'`;
    // 联系人 and 送货地址: a ship-to and a contact to choose on an order; by role (notify.contact_roles) who gets the
    // dunning letters (财务) and the shipment notices (收货).
    await tx`
      UPDATE customers SET contacts = ${tx.json([
        { name: '陈静 Chen Jing', phone: '+86 21 5555 0101', email: 'chen.jing@huadong.example', role: '收货' },
        { name: '刘洋 Liu Yang', phone: '+86 21 5555 0102', email: 'ap@huadong.example', role: '财务' },
      ])} WHERE code = 'C0001' AND contacts = '[]'`;
    await tx`
      UPDATE customers SET contacts = ${tx.json([{ name: '赵敏 Zhao Min', phone: '+86 10 6666 0201', email: 'zhao.min@beifang.example', role: '财务' }])}
      WHERE code = 'C0002' AND contacts = '[]'`;
    await tx`
      INSERT INTO customer_addresses (customer_id, label, address, contact, phone, is_default)
      SELECT c.id, a.label, a.address, a.contact, a.phone, a.is_default
      FROM (VALUES
        ('C0001', '仓库 warehouse', '上海市浦东新区张江路 88 号 2 号库', '陈静 Chen Jing', '+86 21 5555 0101', true),
        ('C0001', '门店 shop', '上海市黄浦区南京东路 300 号', '刘洋 Liu Yang', '+86 21 5555 0102', false),
        ('C0002', '总部 head office', '北京市海淀区中关村大街 1 号', '赵敏 Zhao Min', '+86 10 6666 0201', true)
      ) AS a(customer, label, address, contact, phone, is_default)
      JOIN customers c ON c.code = a.customer
      WHERE NOT EXISTS (SELECT 1 FROM customer_addresses x WHERE x.customer_id = c.id)`;
    await tx`
      INSERT INTO warehouses (code, name) VALUES ('WH-SH', '上海仓 Shanghai'), ('WH-BJ', '北京仓 Beijing')
      ON CONFLICT (code) DO NOTHING`;
    // Approval authority (审核权限): who approves what, and up to which amount. An order above manager.wang's
    // 1,000,000 needs two approvers without a limit (one person gives one approval), so the general manager
    // gm.huang is a senior approver too: with director.liu, every order the demo can create can be approved.
    await tx`
      INSERT INTO approvers (user_name, role, max_amount) VALUES
        ('manager.wang', 'approver', 1000000), ('director.liu', 'senior_approver', NULL), ('gm.huang', 'senior_approver', NULL),
        ('credit.sun', 'credit_controller', NULL)
      ON CONFLICT (user_name) DO NOTHING`;
    // A second finance approver, so a bad-debt write-off finance.chen asks for has someone to decide it.
    await tx`INSERT INTO finance_approvers (user_name, max_amount) VALUES ('finance.zhou', 50000) ON CONFLICT (user_name) DO NOTHING`;
    const opening: [string, string, string][] = [
      ['P0001', 'WH-SH', '500'],
      ['P0001', 'WH-BJ', '200'],
      ['P0002', 'WH-SH', '40'],
      ['P0003', 'WH-SH', '10000'],
      ['P0003', 'WH-BJ', '2500'],
      ['P0004', 'WH-SH', '1000'],
    ];
    for (const [product, warehouse, qty] of opening) {
      const key = `seed/opening/${product}/${warehouse}`;
      const inserted = await tx`
        INSERT INTO stock_moves (idempotency_key, product_id, warehouse_id, kind, on_hand_delta, reserved_delta, document_number)
        SELECT ${key}, p.id, w.id, 'opening', ${qty}, 0, 'OPENING' FROM products p, warehouses w
        WHERE p.code = ${product} AND w.code = ${warehouse}
        ON CONFLICT (idempotency_key) DO NOTHING RETURNING product_id, warehouse_id`;
      if (inserted.length === 0) continue;
      await tx`
        INSERT INTO stock_levels (product_id, warehouse_id, on_hand, reserved)
        VALUES (${inserted[0]!.product_id}, ${inserted[0]!.warehouse_id}, ${qty}, 0)
        ON CONFLICT (product_id, warehouse_id) DO UPDATE SET on_hand = stock_levels.on_hand + EXCLUDED.on_hand`;
    }
  });
}
