import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Sql } from '../db/client.js';
import { authorize } from '../domain/authorization.js';
import { userOfToken, type AuthSettings } from './auth/middleware.js';
import { errorBody } from './errors.js';
import { businessGauges } from '../db/reports/business-metrics.js';
import { JsonLogger, withLogContext } from '../runtime/logging.js';
import { MetricsRegistry } from '../runtime/metrics.js';
import { outboxMetrics } from '../runtime/outbox/metrics.js';
import { orderWorkflowId } from '../workflows/sales-order/definitions.js';

const ORDER_PATH = /^\/orders\/([A-Z][A-Z0-9]*(?:[-_][0-9]+)*)(\/|$)/;

/** The route pattern (e.g. `/orders/:number/deliver`), so metrics do not get one series per order. */
function routeOf(c: Context): string {
  const path = routePath(c, -1);
  return path === '*' || path === '/*' ? 'unmatched' : path;
}

/**
 * Per request: a JSON log line with the order number, its workflow id and the
 * update id (the Idempotency-Key, which the order routes use as the update id),
 * and Prometheus counters and latency per route. Every line logged while the
 * request runs carries the same context.
 */
export function observability(sql: Sql, logger: JsonLogger) {
  const metrics = new MetricsRegistry();
  const requests = metrics.counter('http_requests_total', 'HTTP requests by method, route and status');
  const errors = metrics.counter('http_request_errors_total', 'HTTP requests answered with a 4xx or 5xx status, by method, route and status');
  const latency = metrics.histogram('http_request_duration_seconds', 'HTTP request latency by method and route', [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);
  for (const g of [...businessGauges(sql), ...outboxMetrics(sql)]) metrics.gauge(g);

  const middleware: MiddlewareHandler = async (c, next) => {
    const started = performance.now();
    const orderNumber = ORDER_PATH.exec(c.req.path)?.[1];
    const updateId = c.req.header('idempotency-key');
    const requestId = c.req.header('x-request-id') ?? randomUUID();
    const fields = { requestId, ...(orderNumber ? { orderNumber, workflowId: orderWorkflowId(orderNumber) } : {}), ...(updateId ? { updateId } : {}) };
    await withLogContext(fields, async () => {
      await next();
      const seconds = (performance.now() - started) / 1000;
      const labels = { method: c.req.method, route: routeOf(c) };
      const status = String(c.res.status);
      requests.inc({ ...labels, status });
      if (c.res.status >= 400) errors.inc({ ...labels, status });
      latency.observe(labels, seconds);
      c.header('x-request-id', requestId);
      logger.log(c.res.status >= 500 ? 'ERROR' : 'INFO', 'http request', {
        method: c.req.method,
        path: c.req.path,
        route: labels.route,
        status: c.res.status,
        durationMs: Math.round(seconds * 1000),
        // Set by the sign-in middleware that runs inside this one.
        ...(c.get('user') ? { actor: c.get('user').name } : {}),
        ...(c.error ? { error: c.error.message } : {}),
      });
    });
  };

  const metricsEndpoint = async (c: Context) =>
    c.body(await metrics.render(), 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });

  return { middleware, metricsEndpoint, metrics };
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * /metrics carries business figures (amounts invoiced and received), so it answers
 * only the scraper's own token (API_METRICS_TOKEN) or a user allowed to readMetrics
 * (admin): 401 without a valid token, 403 for another role.
 */
export function metricsAccess(sql: Sql, auth: AuthSettings = {}, metricsToken?: string): MiddlewareHandler {
  return async (c, next) => {
    const token = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    // Digests of equal length, so the comparison takes the same time whatever the token.
    if (token && metricsToken && timingSafeEqual(digest(token), digest(metricsToken))) return next();
    const user = token ? await userOfToken(sql, auth, token) : undefined;
    if (!user) {
      return c.json(errorBody('UNAUTHENTICATED', 'metrics need the metrics token or an admin token: Authorization: Bearer <token>', 'authorization'), 401, {
        'WWW-Authenticate': 'Bearer',
      });
    }
    authorize(user.role, 'readMetrics');
    return next();
  };
}
