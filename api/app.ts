import { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { auditCommands } from './audit/middleware.js';
import { auditRoutes } from './audit/routes.js';
import { DEFAULT_IDEMPOTENCY_TTL_MS, idempotentCommands } from './commands/idempotency.js';
import { authenticate, type AuthSettings } from './auth/middleware.js';
import { TokenCache } from './auth/token-cache.js';
import type { ChatDeps } from './chat/commands.js';
import { chatRoutes } from './chat/routes.js';
import type { ChatSettings } from './chat/settings.js';
import { errorBody, handleError } from './errors.js';
import { docsPage } from './openapi/docs-page.js';
import { documented } from './openapi/document.js';
import { masterDataRoutes } from './master-data/index.js';
import { stockMoveRoutes } from './stock/index.js';
import { batchRoutes } from './stock/batches.js';
import { financeRoutes } from './finance/index.js';
import { orderRoutes } from './orders/index.js';
import { reportRoutes } from './reports/index.js';
import { dashboardRoutes } from './reports/dashboard.js';
import { timelineRoutes } from './timeline/index.js';
import { stockWarningRoutes } from './stock-warnings.js';
import { quotationRoutes } from './quotations/index.js';
import { approvalInboxRoutes } from './approvals/inbox.js';
import { authorityRoutes } from './authority/index.js';
import { notificationRoutes } from './notifications/routing.js';
import type { OrderServiceDeps } from './orders/create-order.js';
import { requestBodyLimit } from './body-limit.js';
import { validationHook } from './validation.js';
import { metricsAccess, observability } from './observability.js';
import { JsonLogger } from '../runtime/logging.js';
import { consoleRoutes } from '../console/index.js';

export type AppDeps = OrderServiceDeps & {
  /** Request logs; without one only warnings and errors are logged (tests, embedded uses). */
  logger?: JsonLogger;
  /** The Temporal Web UI and namespace, for the console's links to each order's workflow. */
  temporalUiUrl?: string | undefined;
  namespace?: string;
  auth?: AuthSettings;
  chat?: ChatSettings;
  background?: ChatDeps['background'];
  /** The largest request body in bytes (MAX_BODY_BYTES); 1 MB when not given. */
  maxBodyBytes?: number;
  /** A span per request (api/http-spans.ts) when tracing is on; absent, nothing of OpenTelemetry is loaded. */
  requestSpans?: MiddlewareHandler;
  /** The Prometheus scraper's bearer token (API_METRICS_TOKEN); without it only admin tokens read /metrics. */
  metricsToken?: string | undefined;
  /** How long an Idempotency-Key is kept (IDEMPOTENCY_KEY_TTL; default 24 h). */
  idempotencyKeyTtlMs?: number;
  /** This process's token cache; one listening on `sql` is made (of `tokenCacheSize` entries) when not given. */
  tokenCache?: TokenCache;
  /** TOKEN_CACHE_SIZE: the most API tokens a process keeps (0 turns the cache off). */
  tokenCacheSize?: number;
  /** WEBHOOK_INTERNAL_HOSTS_ALLOWED: the notification routing may name a chat webhook on the local network. */
  webhookInternalHostsAllowed?: boolean;
};

function tokenCacheOf(deps: AppDeps): TokenCache | undefined {
  if (deps.tokenCache) return deps.tokenCache;
  if (deps.tokenCacheSize === 0) return undefined;
  const cache = new TokenCache(deps.sql, { ...(deps.tokenCacheSize ? { maxEntries: deps.tokenCacheSize } : {}) });
  void cache.start();
  return cache;
}

/** The HTTP API: every route, its OpenAPI document at /openapi.json and the docs page at /docs. */
export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  const observed = observability(deps.sql, deps.logger ?? new JsonLogger('WARN'));
  if (deps.requestSpans) app.use('*', deps.requestSpans);
  app.use('*', observed.middleware);
  app.use('*', requestBodyLimit(deps.maxBodyBytes));
  app.get('/metrics', metricsAccess(deps.sql, deps.auth, deps.metricsToken), observed.metricsEndpoint);
  app.get('/health', async (c) => {
    await deps.sql`SELECT 1`;
    return c.json({ ok: true });
  });
  // The docs page and its files answer before authentication: anyone who reaches the API may read how to call it.
  docsPage(app);
  app.use('*', authenticate(deps.sql, deps.auth, tokenCacheOf(deps)));
  // Every write route: its audit intent first (no row, no command), then its Idempotency-Key (a replay is audited too).
  app.use('*', auditCommands(deps.sql));
  app.use('*', idempotentCommands(deps.sql, { ttlMs: deps.idempotencyKeyTtlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS }));
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API token (`npm run token:create`) or an HS256 JWT with claims `sub` (user) and `role`',
  });
  app.route('/orders', orderRoutes(deps));
  app.route('/quotations', quotationRoutes(deps));
  app.route('/', stockWarningRoutes(deps.sql));
  app.route('/orders', timelineRoutes(deps));
  app.route('/reports', reportRoutes(deps));
  app.route('/reports', dashboardRoutes(deps));
  app.route('/stock', stockMoveRoutes(deps));
  app.route('/', batchRoutes(deps));
  app.route('/', masterDataRoutes({ sql: deps.sql, timeZone: deps.timeZone, now: deps.now ?? (() => new Date()) }));
  app.route('/', financeRoutes(deps));
  app.route('/', approvalInboxRoutes(deps));
  app.route('/authority', authorityRoutes(deps.sql));
  app.route('/notification-routing', notificationRoutes(deps.sql, { internalHostsAllowed: deps.webhookInternalHostsAllowed }));
  // The console's forms run the API's own routes, with the signed-in user's token.
  app.route('/console', consoleRoutes({ ...deps, api: (path, init) => Promise.resolve(app.request(path, init, { channel: 'console' })) }));
  app.route('/', auditRoutes(deps.sql));
  // Chat commands run the API's own routes too, as the chat account's linked user (api/auth/middleware.ts inProcessChatUser).
  app.route('/chat', chatRoutes({ ...deps, chat: deps.chat ?? {}, api: (path, init, binding) => Promise.resolve(app.request(path, init, binding)) }));
  // The document is built once, on first request: every route is registered by then.
  let doc: ReturnType<typeof app.getOpenAPI31Document> | undefined;
  app.get('/openapi.json', (c) =>
    c.json(
      (doc ??= documented(
        app,
        app.getOpenAPI31Document({
          openapi: '3.1.0',
          info: {
            title: 'Sales back office',
            version: '0.1.0',
            description: 'Sales orders as durable Temporal workflows. Amounts, prices and quantities are decimal strings.',
          },
          security: [{ bearerAuth: [] }],
        }),
      )),
    ),
  );
  app.notFound((c) => c.json(errorBody('NOT_FOUND', `no route ${c.req.method} ${c.req.path}`, 'path'), 404));
  app.onError(handleError);
  return app;
}
