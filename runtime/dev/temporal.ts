import type { ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { spawnDevServer, stopChild } from './child.js';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTES } from '../../workflows/sales-order/definitions.js';

export const TEMPORAL_CLI_VERSION = 'v1.5.1';

/** Where scripts/ensure-temporal.sh caches the CLI built from its Go module. */
export function temporalCliPath(): string {
  if (process.env.TEMPORAL_CLI_PATH) return process.env.TEMPORAL_CLI_PATH;
  const cache = process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache');
  return path.join(cache, 'sales-backoffice', `temporal-${TEMPORAL_CLI_VERSION}`, 'temporal');
}

const TYPE_NAMES: Record<string, string> = { KEYWORD: 'Keyword', DOUBLE: 'Double', DATETIME: 'Datetime', INT: 'Int', BOOL: 'Bool', TEXT: 'Text' };

export function searchAttributeFlags(): string[] {
  return SEARCH_ATTRIBUTES.flatMap((k) => ['--search-attribute', `${k.name}=${TYPE_NAMES[k.type.toUpperCase()] ?? k.type}`]);
}

export interface DevServer {
  address: string;
  uiUrl: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** `temporal server start-dev` with SQLite persistence, the Web UI on, our search attributes registered. */
export async function startTemporalDevServer(options: { port: number; uiPort: number; dbFile: string; logFile?: NodeJS.WritableStream }): Promise<DevServer> {
  const args = [
    'server',
    'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(options.port),
    '--ui-port', String(options.uiPort),
    '--db-filename', options.dbFile,
    '--log-level', 'warn',
    ...searchAttributeFlags(),
  ];
  const child = spawnDevServer(temporalCliPath(), args, options.logFile);
  const address = `127.0.0.1:${options.port}`;
  await waitForTemporal(address, child);
  return {
    address,
    uiUrl: `http://127.0.0.1:${options.uiPort}`,
    process: child,
    stop: () => stopChild(child),
  };
}

export async function waitForTemporal(address: string, child?: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`temporal dev server exited with code ${child.exitCode}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      await connection.workflowService.getSystemInfo({});
      await connection.close();
      return;
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  throw new Error(`temporal at ${address} did not come up: ${String(lastError)}`);
}
