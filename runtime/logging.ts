import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger, LogLevel, LogMetadata } from '@temporalio/common';

/** What every log line of one request or step carries, where known. */
export interface LogContext {
  orderNumber?: string;
  workflowId?: string;
  updateId?: string;
  requestId?: string;
}

const RANK: Record<LogLevel, number> = { TRACE: 0, DEBUG: 1, INFO: 2, WARN: 3, ERROR: 4 };
const context = new AsyncLocalStorage<LogContext>();

/** Runs `fn` with fields added to every line it logs (AsyncLocalStorage follows its awaits). */
export function withLogContext<T>(fields: LogContext, fn: () => T): T {
  return context.run({ ...context.getStore(), ...fields }, fn);
}

/** The order behind a workflow id `order-<number>`, so worker lines carry the order number too. */
function orderOf(meta: LogMetadata | undefined): LogContext {
  const workflowId = typeof meta?.workflowId === 'string' ? meta.workflowId : undefined;
  return workflowId?.startsWith('order-') ? { orderNumber: workflowId.slice('order-'.length), workflowId } : {};
}

function plain(value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/**
 * Structured logs: one JSON object per line with time, level, msg, the context of
 * the request or workflow (order number, workflow id, update id) and the fields.
 * Implements Temporal's Logger so the worker's Runtime logs the same way.
 */
export class JsonLogger implements Logger {
  constructor(
    readonly level: LogLevel = 'INFO',
    private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  ) {}

  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    if (RANK[level] < RANK[this.level]) return;
    const fields = Object.fromEntries(Object.entries(meta ?? {}).map(([k, v]) => [k, plain(v)]));
    this.write(JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...context.getStore(), ...orderOf(meta), ...fields }));
  }
  trace(message: string, meta?: LogMetadata) {
    this.log('TRACE', message, meta);
  }
  debug(message: string, meta?: LogMetadata) {
    this.log('DEBUG', message, meta);
  }
  info(message: string, meta?: LogMetadata) {
    this.log('INFO', message, meta);
  }
  warn(message: string, meta?: LogMetadata) {
    this.log('WARN', message, meta);
  }
  error(message: string, meta?: LogMetadata) {
    this.log('ERROR', message, meta);
  }
}
