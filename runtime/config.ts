import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * The only place that reads process.env. Each process parses the parts it needs;
 * a missing or malformed variable stops it with a message naming the variable.
 */
const durationMs = z
  .string()
  .regex(/^\d+(ms|s|m|h|d)$/, 'a duration such as 500ms, 30s, 15m, 4h or 2d')
  .transform((v) => {
    const n = Number(v.replace(/\D+$/, ''));
    const unit = v.replace(/^\d+/, '');
    const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[unit]!;
    return n * factor;
  });

const databaseSchema = z.object({
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'a postgres:// connection URL'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
});

const temporalSchema = z.object({
  TEMPORAL_ADDRESS: z.string().regex(/^[^\s:]+:\d+$/, 'host:port, e.g. localhost:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('sales-orders'),
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  TEMPORAL_TLS: z.enum(['true', 'false']).optional(),
  TEMPORAL_TLS_CERT_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_KEY_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  TEMPORAL_UI_URL: z.string().url().optional(),
});

const businessSchema = z.object({
  BUSINESS_TIME_ZONE: z
    .string()
    .default('Asia/Shanghai')
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'an IANA time zone such as Asia/Shanghai'),
  CURRENCY: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as CNY').default('CNY'),
  APPROVAL_REMINDER_AFTER: z.string().default('4h').pipe(durationMs),
  APPROVAL_ESCALATION_AFTER: z.string().default('1d').pipe(durationMs),
  /**
   * An order's workflow continues as new once its history reaches this many events (Temporal itself suggests it at
   * 4,096): a long-lived order (200 deliveries make about 2,200 events) then replays a short history, not its life.
   */
  ORDER_CONTINUE_AS_NEW_AFTER_EVENTS: z.coerce.number().int().min(200).max(50_000).default(1000),
});

const apiSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** A bearer token for the Prometheus scraper alone: /metrics answers it (or an admin's token) and nobody else. */
  API_METRICS_TOKEN: z.string().min(32, 'at least 32 characters').regex(/^\S+$/, 'no spaces').optional(),
  /** How long an Idempotency-Key is kept with its response (api/commands/idempotency.ts). */
  IDEMPOTENCY_KEY_TTL: z.string().default('24h').pipe(durationMs),
  /** How long a command waits for the order's workflow to answer before the caller is told to repeat it (503). */
  COMMAND_ANSWER_TIMEOUT: z.string().default('30s').pipe(durationMs),
  // The largest request body (bytes) outside CSV imports, which have their own 50 MB; larger gets 413.
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(100 * 1024 * 1024).default(1024 * 1024),
  // The most API tokens each API process caches (api/auth/token-cache.ts); 0 reads every token from Postgres.
  TOKEN_CACHE_SIZE: z.coerce.number().int().min(0).max(1_000_000).default(10_000),
  // Whether the notification routing may name a chat webhook on the local network (a local receiver in development).
  WEBHOOK_INTERNAL_HOSTS_ALLOWED: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
});

/** Authentication and the chat bot; every part optional (a platform without its secret is switched off). */
const chatSchema = z.object({
  JWT_SECRET: z.string().min(32, 'at least 32 characters').optional(),
  SLACK_SIGNING_SECRET: z.string().min(1).optional(),
  DINGTALK_APP_SECRET: z.string().min(1).optional(),
  CHAT_WEBHOOK_URL: z.string().url().optional(),
  // Group robots the sender posts notifications to (messages/chat-render.ts), each with its signing secret.
  DINGTALK_WEBHOOK_URL: z.string().url().optional(),
  DINGTALK_WEBHOOK_SECRET: z.string().min(1).optional(),
  FEISHU_WEBHOOK_URL: z.string().url().optional(),
  FEISHU_SECRET: z.string().min(1).optional(),
  /** Where people reach the console: a message's links (Feishu's buttons) open documents there. */
  CONSOLE_PUBLIC_URL: z.string().url().optional(),
});

/**
 * The outbox sender (runtime/outbox/): where mail goes, and how often a failed delivery is tried
 * again (doubling from OUTBOX_RETRY_AFTER up to OUTBOX_RETRY_CAP, then failed after OUTBOX_MAX_ATTEMPTS).
 * Without SMTP_URL mail waits in the outbox until a sender that has one takes it.
 */
const outboxSchema = z.object({
  SMTP_URL: z.string().regex(/^smtps?:\/\/\S+$/, 'an smtp:// or smtps:// URL such as smtp://user:pass@mail.example.com:587').optional(),
  MAIL_FROM: z.string().min(3).max(200).default('销售后台 Sales back office <sales@localhost>'),
  OUTBOX_POLL_INTERVAL: z.string().default('2s').pipe(durationMs),
  OUTBOX_RETRY_AFTER: z.string().default('30s').pipe(durationMs),
  OUTBOX_RETRY_CAP: z.string().default('1h').pipe(durationMs),
  OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(10),
  OUTBOX_SEND_TIMEOUT: z.string().default('30s').pipe(durationMs),
  // Whether the sender may post to a chat webhook on the local network (a local receiver in development).
  WEBHOOK_INTERNAL_HOSTS_ALLOWED: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
});
export const outboxConfig = (env = process.env) => parse(outboxSchema, env);
export type OutboxConfig = ReturnType<typeof outboxConfig>;

export class ConfigError extends Error {}

function parse<T extends z.ZodTypeAny>(schema: T, env: NodeJS.ProcessEnv): z.infer<T> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => {
    const name = String(i.path[0] ?? '?');
    const given = env[name];
    return given === undefined ? `  ${name} is missing (${i.message})` : `  ${name}="${given}" is not valid: ${i.message}`;
  });
  throw new ConfigError(`configuration error:\n${lines.join('\n')}`);
}

export const databaseConfig = (env = process.env) => parse(databaseSchema, env);
export const temporalConfig = (env = process.env) => {
  const c = parse(temporalSchema, env);
  if (Boolean(c.TEMPORAL_TLS_CERT_PATH) !== Boolean(c.TEMPORAL_TLS_KEY_PATH)) {
    throw new ConfigError('configuration error:\n  TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH go together (mTLS needs both)');
  }
  return c;
};
export const businessConfig = (env = process.env) => parse(businessSchema, env);
export const apiConfig = (env = process.env) => parse(apiSchema, env);
export const chatConfig = (env = process.env) => {
  const c = parse(chatSchema, env);
  // A secret without its robot is a typo in the variable's name, not a robot switched off.
  for (const [secret, url] of [['DINGTALK_WEBHOOK_SECRET', 'DINGTALK_WEBHOOK_URL'], ['FEISHU_SECRET', 'FEISHU_WEBHOOK_URL']] as const) {
    if (c[secret] && !c[url]) throw new ConfigError(`configuration error:\n  ${secret} is set but ${url} is not (the secret signs that robot's messages)`);
  }
  return c;
};

/** What every order workflow receives in its input: the approval reminder and escalation delays, its history's length. */
export const orderWorkflowOptions = (b: BusinessConfig) => ({
  approvalReminderAfterMs: b.APPROVAL_REMINDER_AFTER,
  approvalEscalationAfterMs: b.APPROVAL_ESCALATION_AFTER,
  continueAsNewAfterEvents: b.ORDER_CONTINUE_AS_NEW_AFTER_EVENTS,
});

export type TemporalConfig = ReturnType<typeof temporalConfig>;
export type BusinessConfig = ReturnType<typeof businessConfig>;
export type ChatConfig = ReturnType<typeof chatConfig>;

/** Connection options for Temporal: plain for a dev server, TLS/mTLS or API key for a cluster or Temporal Cloud. */
export function temporalConnectionOptions(c: TemporalConfig) {
  const mtls = c.TEMPORAL_TLS_CERT_PATH && c.TEMPORAL_TLS_KEY_PATH
    ? { clientCertPair: { crt: readFileSync(c.TEMPORAL_TLS_CERT_PATH), key: readFileSync(c.TEMPORAL_TLS_KEY_PATH) } }
    : undefined;
  const tlsOn = c.TEMPORAL_TLS === 'true' || Boolean(mtls) || (Boolean(c.TEMPORAL_API_KEY) && c.TEMPORAL_TLS !== 'false');
  const tls = tlsOn ? { ...mtls, ...(c.TEMPORAL_TLS_SERVER_NAME ? { serverNameOverride: c.TEMPORAL_TLS_SERVER_NAME } : {}) } : undefined;
  return {
    address: c.TEMPORAL_ADDRESS,
    ...(tls ? { tls } : {}),
    ...(c.TEMPORAL_API_KEY ? { apiKey: c.TEMPORAL_API_KEY } : {}),
  };
}

/** Parses one part of the configuration, or stops the process with the message naming the variable. */
export function orExit<T>(load: () => T): T {
  try {
    return load();
  } catch (err) {
    exitOnConfigError(err);
  }
}

/** Exits the process with the configuration message instead of a stack trace. */
export function exitOnConfigError(err: unknown): never {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(78); // EX_CONFIG
  }
  throw err;
}

const observabilitySchema = z.object({
  LOG_LEVEL: z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
  /** host:port where the worker serves the Temporal SDK's Prometheus metrics; unset: not served. */
  WORKER_METRICS_ADDRESS: z.string().regex(/^[^\s:]+:\d+$/, 'host:port, e.g. 0.0.0.0:9464').optional(),
});
export const observabilityConfig = (env = process.env) => parse(observabilitySchema, env);

/** A worker's slots and sticky cache; unset, the Temporal SDK's defaults (README, Production: sizing). */
const slots = z.coerce.number().int().min(2).max(100_000).optional();
const workerTuningSchema = z.object({
  WORKER_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(1_000_000).optional(),
  WORKER_WORKFLOW_TASK_SLOTS: slots,
  WORKER_ACTIVITY_SLOTS: slots,
  WORKER_LOCAL_ACTIVITY_SLOTS: slots,
});
export const workerTuningConfig = (env = process.env) => {
  const c = parse(workerTuningSchema, env);
  return {
    ...(c.WORKER_CACHED_WORKFLOWS !== undefined ? { maxCachedWorkflows: c.WORKER_CACHED_WORKFLOWS } : {}),
    ...(c.WORKER_WORKFLOW_TASK_SLOTS !== undefined ? { maxConcurrentWorkflowTaskExecutions: c.WORKER_WORKFLOW_TASK_SLOTS } : {}),
    ...(c.WORKER_ACTIVITY_SLOTS !== undefined ? { maxConcurrentActivityTaskExecutions: c.WORKER_ACTIVITY_SLOTS } : {}),
    ...(c.WORKER_LOCAL_ACTIVITY_SLOTS !== undefined ? { maxConcurrentLocalActivityExecutions: c.WORKER_LOCAL_ACTIVITY_SLOTS } : {}),
  };
};
export type ObservabilityConfig = ReturnType<typeof observabilityConfig>;

/**
 * OpenTelemetry tracing, off unless OTEL_TRACES_EXPORTER names an exporter. With `otlp` the
 * spans go over OTLP/HTTP to OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (the full URL) or to
 * OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces; `console` prints them (for a look on a laptop).
 */
const tracingSchema = z.object({
  OTEL_TRACES_EXPORTER: z.enum(['none', 'otlp', 'console']).default('none'),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.string().url().optional(),
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
});
export const tracingConfig = (env = process.env) => {
  const c = parse(tracingSchema, env);
  if (c.OTEL_TRACES_EXPORTER === 'otlp' && !c.OTEL_EXPORTER_OTLP_ENDPOINT && !c.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) {
    throw new ConfigError(
      'configuration error:\n  OTEL_TRACES_EXPORTER=otlp needs OTEL_EXPORTER_OTLP_ENDPOINT (e.g. http://otel-collector:4318) or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
    );
  }
  return c;
};
export type TracingConfig = ReturnType<typeof tracingConfig>;
