import { context, propagation, SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';

/**
 * One server span per HTTP request, named by method and route pattern, continuing a
 * caller's trace (a `traceparent` header) when there is one. It is the active span
 * while the route runs, so the Temporal client's spans become its children.
 * Loaded only when tracing is on (api/server-main.ts).
 */
export function httpSpans(tracer: Tracer): MiddlewareHandler {
  return async (c, next) => {
    const parent = propagation.extract(context.active(), Object.fromEntries(c.req.raw.headers));
    await tracer.startActiveSpan(`${c.req.method} ${c.req.path}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': c.req.method, 'url.path': c.req.path } }, parent, async (span) => {
      try {
        await next();
        const route = routePath(c, -1);
        // The route pattern, not the path: one span name per endpoint, not per order.
        if (route && route !== '*' && route !== '/*') {
          span.updateName(`${c.req.method} ${route}`);
          span.setAttribute('http.route', route);
        }
        span.setAttribute('http.response.status_code', c.res.status);
        if (c.res.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      } finally {
        span.end();
      }
    });
  };
}
