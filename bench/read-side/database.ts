import { createSql, type Sql } from '../../db/client.js';
import { migrate } from '../../db/migrate.js';
import { seedDemoData } from '../../db/seed.js';

/**
 * A database of its own beside the bench's (same server, fresh, migrated and
 * seeded) so a million receivables do not slow or skew the other scenarios.
 * Dropped first if a previous run left it behind.
 */
export async function createScaleDatabase(databaseUrl: string, name: string): Promise<{ sql: Sql; url: string; drop(): Promise<void> }> {
  const url = new URL(databaseUrl);
  const adminUrl = new URL(databaseUrl);
  adminUrl.pathname = '/postgres';
  url.pathname = `/${name}`;
  const admin = createSql(adminUrl.toString(), { max: 1 });
  try {
    await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.unsafe(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const sql = createSql(url.toString(), { max: 4 });
  await migrate(sql);
  await seedDemoData(sql);
  return {
    sql,
    url: url.toString(),
    async drop() {
      await sql.end({ timeout: 5 });
      const again = createSql(adminUrl.toString(), { max: 1 });
      await again.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await again.end();
    },
  };
}
