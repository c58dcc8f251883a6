import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Client } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpSpans } from '../../api/http-spans.js';
import { createApp } from '../../api/app.js';
import { devToken } from '../../api/auth/demo-users.js';
import { tracingConfig } from '../../runtime/config.js';
import { startTracing, tracingClientInterceptors, type Tracing } from '../../runtime/tracing.js';
import { createWorker } from '../../runtime/worker.js';
import { useStack } from '../support/stack.js';

/** The shared worker runs the untraced bundle; this file runs its own traced worker on its own queue. */
const stack = useStack({ worker: false });
const exporter = new InMemorySpanExporter();
let tracing: Tracing;
let connection: NativeConnection;
let worker: Worker;
let workerRun: Promise<void>;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  tracing = startTracing({ serviceName: 'tracing-test', spanProcessor: new SimpleSpanProcessor(exporter) });
  const client = new Client({ connection: stack.client.connection, interceptors: tracingClientInterceptors(tracing) });
  app = createApp({ sql: stack.sql, temporal: client, taskQueue: stack.taskQueue, timeZone: 'Asia/Shanghai', requestSpans: httpSpans(tracing.tracer) });
  connection = await NativeConnection.connect({ address: stack.temporalAddress });
  // Bundles the workflows with the tracing interceptor module (the test's shared bundle has none).
  worker = await createWorker({
    connection, namespace: 'default', taskQueue: stack.taskQueue, sql: stack.sql,
    business: { BUSINESS_TIME_ZONE: 'Asia/Shanghai' }, chat: {}, tracing,
  });
  workerRun = worker.run();
}, 180_000);

afterAll(async () => {
  worker?.shutdown();
  await workerRun;
  await connection?.close();
  await tracing?.shutdown();
});

const post = (path: string, user: string, body: unknown) =>
  app.request(path, { method: 'POST', headers: { authorization: `Bearer ${devToken(user)}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('OpenTelemetry tracing through the Temporal interceptors', () => {
  it('is off unless an exporter is named, and otlp needs an endpoint', () => {
    expect(tracingConfig({}).OTEL_TRACES_EXPORTER).toBe('none');
    expect(() => tracingConfig({ OTEL_TRACES_EXPORTER: 'otlp' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
    expect(() => tracingConfig({ OTEL_TRACES_EXPORTER: 'jaeger' })).toThrow(/OTEL_TRACES_EXPORTER="jaeger" is not valid/);
    expect(tracingConfig({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).OTEL_TRACES_EXPORTER).toBe('otlp');
  });

  it('one approval is one trace: the API request, the Temporal update, the workflow handler and the reservation (a local activity)', async () => {
    const created = await post('/orders', 'clerk.li', {
      customerCode: 'C0001',
      lines: [{ productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '2', unitPrice: '120.00' }],
    });
    expect(created.status).toBe(201);
    const number = ((await created.json()) as { order: { number: string } }).order.number;
    exporter.reset();

    const approved = await post(`/orders/${number}/approve`, 'manager.wang', {});
    expect(approved.status).toBe(200);

    const http = exporter.getFinishedSpans().find((s) => s.name === 'POST /orders/:number/approve');
    expect(http?.attributes['http.response.status_code']).toBe(200);
    const traceId = http!.spanContext().traceId;
    // Workflow spans arrive through a sink after the workflow task completes.
    await expect
      .poll(() => exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId).map((s) => s.name), { timeout: 10_000 })
      .toEqual(expect.arrayContaining(['StartWorkflowUpdate:approve', 'HandleUpdate:approve', 'RunActivity:approveOrder']));
    const update = exporter.getFinishedSpans().find((s) => s.name === 'StartWorkflowUpdate:approve')!;
    expect(update.parentSpanId).toBe(http!.spanContext().spanId);
    expect(update.attributes).toMatchObject({ 'temporalWorkflowId': `order-${number}` });
  });
});
