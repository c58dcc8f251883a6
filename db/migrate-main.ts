import { createSql } from './client.js';
import { migrate } from './migrate.js';
import { seedDemoData } from './seed.js';
import { databaseConfig, orExit } from '../runtime/config.js';

/** `npm run migrate` (add `-- --seed` for the demo data). */
async function main() {
  const config = orExit(databaseConfig);
  const sql = createSql(config.DATABASE_URL, { max: 1 });
  try {
    const applied = await migrate(sql);
    console.log(applied.length ? `applied ${applied.join(', ')}` : 'database is up to date');
    if (process.argv.includes('--seed')) {
      await seedDemoData(sql);
      console.log('demo data seeded');
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
