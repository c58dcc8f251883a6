import { Connection } from '@temporalio/client';
import { exitOnConfigError, temporalConfig, temporalConnectionOptions } from './config.js';
import { registerSearchAttributes } from './search-attributes.js';

/** `npm run temporal:setup`: registers the search attributes on TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE. */
async function main() {
  let config;
  try {
    config = temporalConfig();
  } catch (err) {
    exitOnConfigError(err);
  }
  const connection = await Connection.connect(temporalConnectionOptions(config));
  const added = await registerSearchAttributes(connection, config.TEMPORAL_NAMESPACE);
  console.log(added.length ? `registered ${added.join(', ')}` : 'search attributes already registered');
  await connection.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
