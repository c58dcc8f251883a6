import { devToken } from '../../api/auth/demo-users.js';
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { JsonLogger, withLogContext } from '../../runtime/logging.js';
import { freePort } from '../../runtime/dev/ports.js';
import { useStack } from '../support/stack.js';

const stack = useStack();

describe('structured logs and metrics of the API', () => {
  it('logs each request as JSON with order number, workflow id and update id; counts and times it per route; exposes business gauges', async () => {
    const lines: string[] = [];
    const app = createApp({ sql: stack.sql, temporal: stack.client, taskQueue: stack.taskQueue, timeZone: 'Asia/Shanghai', logger: new JsonLogger('INFO', (l) => lines.push(l)) });
    const call = async (method: string, path: string, user?: string, body?: unknown, headers: Record<string, string> = {}) => {
      const res = await app.request(path, {
        method,
        headers: { authorization: `Bearer ${devToken(user ?? 'admin.root')}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return { status: res.status, body: res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text() };
    };

    const created = await call('POST', '/orders', 'clerk.li', { customerCode: 'C0001', lines: [{ productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '2', unitPrice: '120.00' }] });
    expect(created.status).toBe(201);
    const number = (created.body as any).order.number as string;
    expect((await call('POST', `/orders/${number}/approve`, 'manager.wang', {}, { 'idempotency-key': 'approve-obs-0001' })).status).toBe(200);
    expect((await call('POST', `/orders/${number}/deliver`, 'warehouse.zhao', {})).status).toBe(200);
    expect((await call('POST', `/orders/${number}/invoice`, 'finance.chen', {})).status).toBe(200);
    expect((await call('POST', `/orders/${number}/receipts`, 'finance.chen', { amount: '100.00', method: 'cash' })).status).toBe(200);
    expect((await call('GET', `/orders/${stack.orderPrefix}-20260101-0999/timeline`)).status).toBe(404);

    const logged = lines.map((l) => JSON.parse(l));
    const approve = logged.find((l) => l.route === '/orders/:number/approve');
    expect(approve).toMatchObject({
      level: 'INFO',
      msg: 'http request',
      method: 'POST',
      status: 200,
      actor: 'manager.wang',
      orderNumber: number,
      workflowId: `order-${number}`,
      updateId: 'approve-obs-0001',
    });
    expect(approve.time).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(approve.requestId).toMatch(/^[0-9a-f-]{36}$/);

    const metrics = await call('GET', '/metrics');
    expect(metrics.status).toBe(200);
    const text = metrics.body as string;
    expect(text).toContain('http_requests_total{method="POST",route="/orders/:number/approve",status="200"} 1');
    expect(text).toContain('http_requests_total{method="POST",route="/orders",status="201"} 1');
    expect(text).toContain('http_request_errors_total{method="GET",route="/orders/:number/timeline",status="404"} 1');
    expect(text).not.toContain(`route="/orders/${number}`);
    expect(text).toContain('http_request_duration_seconds_count{method="POST",route="/orders/:number/deliver"} 1');
    expect(text).toMatch(/http_request_duration_seconds_bucket\{method="POST",route="\/orders\/:number\/deliver",le="\+Inf"\} 1/);
    // 2 × 120.00 + 13% = 271.20 invoiced, 100.00 received, the order delivered and waiting for money.
    expect(text).toContain('sales_orders{status="Delivered"} 1');
    expect(text).toContain('sales_invoiced_amount{currency="CNY"} 271.2');
    expect(text).toContain('sales_received_amount{currency="CNY"} 100');
  });

  it('gives worker lines the order number from the workflow id, and keeps the context across awaits', async () => {
    const lines: string[] = [];
    const logger = new JsonLogger('DEBUG', (l) => lines.push(l));
    logger.info('update handled', { workflowId: 'order-SO-20261123-0007', updateId: 'u-7', sdkComponent: 'workflow' });
    logger.trace('below the level');
    await withLogContext({ requestId: 'r-1' }, async () => {
      await new Promise((r) => setTimeout(r, 1));
      logger.warn('slow', { error: new Error('boom') });
    });
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({ level: 'INFO', msg: 'update handled', orderNumber: 'SO-20261123-0007', workflowId: 'order-SO-20261123-0007', updateId: 'u-7' }),
      expect.objectContaining({ level: 'WARN', msg: 'slow', requestId: 'r-1', error: expect.objectContaining({ message: 'boom' }) }),
    ]);
  });
});

describe('the worker process (npm run worker)', () => {
  it('logs JSON lines and serves the Temporal SDK metrics at WORKER_METRICS_ADDRESS', async () => {
    const port = await freePort();
    const child = spawn('npx', ['tsx', 'runtime/worker-main.ts'], {
      env: {
        ...process.env,
        DATABASE_URL: stack.databaseUrl,
        TEMPORAL_ADDRESS: stack.temporalAddress,
        TEMPORAL_TASK_QUEUE: `${stack.taskQueue}-process`,
        WORKER_METRICS_ADDRESS: `127.0.0.1:${port}`,
        LOG_LEVEL: 'INFO',
      },
      detached: true,
    });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (out += String(d)));
    try {
      let metrics = '';
      const end = Date.now() + 45_000;
      while (Date.now() < end && !(metrics.includes('temporal_') && out.includes('worker started'))) {
        await new Promise((r) => setTimeout(r, 500));
        metrics = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text(), () => '');
      }
      expect(metrics).toMatch(/temporal_\w+/);
      const started = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
      expect(started).toEqual(expect.arrayContaining([expect.objectContaining({ msg: 'worker started' })]));
      expect(started.find((l) => l.msg === 'worker started')).toMatchObject({ level: 'INFO', taskQueue: `${stack.taskQueue}-process`, time: expect.any(String) });
    } finally {
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
    }
  }, 60_000);
});
