import { Connection } from '@temporalio/client';
import { temporalConfig, temporalConnectionOptions, orExit } from './config.js';
import { registerSearchAttributes } from './search-attributes.js';

/** `npm run temporal:setup`: registers the search attributes on TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE. */
async function main() {
  const config = orExit(temporalConfig);
  const connection = await Connection.connect(temporalConnectionOptions(config));
  const added = await registerSearchAttributes(connection, config.TEMPORAL_NAMESPACE);
  console.log(added.length ? `registered ${added.join(', ')}` : 'search attributes already registered');
  await connection.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
