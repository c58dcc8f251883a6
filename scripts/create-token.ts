import { parseArgs } from 'node:util';
import { createApiToken } from '../api/auth/tokens.js';
import { createSql } from '../db/client.js';
import { ROLES } from '../domain/authorization.js';
import { databaseConfig, orExit } from '../runtime/config.js';

/** `npm run token:create -- --user NAME --role ROLE [--label TEXT]`: prints a new API token (shown once). */
async function main() {
  const { values } = parseArgs({ options: { user: { type: 'string' }, role: { type: 'string' }, label: { type: 'string' } } });
  if (!values.user || !values.role) {
    console.error(`usage: npm run token:create -- --user NAME --role ROLE   (roles: ${ROLES.join(', ')})`);
    process.exit(64);
  }
  const db = orExit(databaseConfig);
  const sql = createSql(db.DATABASE_URL, { max: 1 });
  try {
    const token = await createApiToken(sql, values.user, values.role, values.label ? { label: values.label } : {});
    console.log(token);
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

void main();
