import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where a running `npm start` says how to reach what it started (its Postgres URL, the Temporal frontend and Web
 * UI), so the commands run beside it (`npm run order:inspect`) need no variables of their own. Under `.data/`
 * (git-ignored), written at each start.
 */
const FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '.data', 'dev-env.json');
const KEYS = ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'TEMPORAL_UI_URL'] as const;

export function saveDevEnv(env: NodeJS.ProcessEnv): void {
  writeFileSync(FILE, JSON.stringify(Object.fromEntries(KEYS.filter((k) => env[k]).map((k) => [k, env[k]])), null, 2), { mode: 0o600 });
}

/** Fills what the environment does not set from the last `npm start`; what is set always wins. */
export function loadDevEnv(env: NodeJS.ProcessEnv = process.env): void {
  if (!existsSync(FILE)) return;
  const saved = JSON.parse(readFileSync(FILE, 'utf8')) as Partial<Record<(typeof KEYS)[number], string>>;
  for (const key of KEYS) if (env[key] === undefined && typeof saved[key] === 'string') env[key] = saved[key];
}
