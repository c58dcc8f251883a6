import os from 'node:os';
import path from 'node:path';
import { spawnDevServer, stopChild } from './child.js';

export const MAILPIT_VERSION = 'v1.33.1';

/** Where scripts/ensure-mailpit.sh caches Mailpit built from its Go module. */
export function mailpitPath(): string {
  if (process.env.MAILPIT_PATH) return process.env.MAILPIT_PATH;
  const cache = process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache');
  return path.join(cache, 'sales-backoffice', `mailpit-${MAILPIT_VERSION}`, 'mailpit');
}

export interface MailCatcher {
  smtpUrl: string;
  uiUrl: string;
  stop(): Promise<void>;
}

/** Mailpit, the local mail catcher: every mail the outbox sends in dev lands in its web UI, none leaves the machine. */
export async function startMailpit(options: { smtpPort: number; uiPort: number; dbFile: string; logFile?: NodeJS.WritableStream }): Promise<MailCatcher> {
  const child = spawnDevServer(mailpitPath(), [
    '--smtp', `127.0.0.1:${options.smtpPort}`,
    '--listen', `127.0.0.1:${options.uiPort}`,
    '--database', options.dbFile,
    '--smtp-auth-accept-any', '--smtp-auth-allow-insecure',
  ], options.logFile);
  const uiUrl = `http://127.0.0.1:${options.uiPort}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`mailpit exited with code ${child.exitCode} (log in .data/mailpit.log)`);
    try {
      if ((await fetch(`${uiUrl}/livez`, { signal: AbortSignal.timeout(1000) })).ok) break;
    } catch {
      if (Date.now() > deadline) throw new Error(`mailpit did not answer on ${uiUrl} within 30 s`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    smtpUrl: `smtp://127.0.0.1:${options.smtpPort}`,
    uiUrl,
    stop: () => stopChild(child),
  };
}
