import { parseArgs } from 'node:util';
import { userInfo } from 'node:os';
import { audited } from '../api/audit/record.js';
import { createApiToken } from '../api/auth/tokens.js';
import { createSql } from '../db/client.js';
import { ROLES } from '../domain/authorization.js';
import { databaseConfig, orExit } from '../runtime/config.js';
import { loadDevEnv } from '../runtime/dev/env-file.js';

/** `npm run token:create -- --user NAME --role ROLE [--label TEXT]`: prints a new API token (shown once). */
async function main() {
  const { values } = parseArgs({ options: { user: { type: 'string' }, role: { type: 'string' }, label: { type: 'string' } } });
  if (!values.user || !values.role) {
    console.error(`usage: npm run token:create -- --user NAME --role ROLE   (roles: ${ROLES.join(', ')})`);
    process.exit(64);
  }
  loadDevEnv(); // beside npm start: its Postgres, as order:inspect does
  const db = orExit(databaseConfig);
  const sql = createSql(db.DATABASE_URL, { max: 1 });
  try {
    const { user, role, label } = values;
    // Audited like every command (the input, never the token); the actor is the operator's system account.
    const token = await audited(
      sql,
      { actor: userInfo().username, actorRole: null, channel: 'cli', command: 'token:create', orderNumber: null, input: { user, role, label } },
      () => createApiToken(sql, user, role, label ? { label } : {}),
    );
    console.log(token);
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

void main();
