import { Client, Connection } from '@temporalio/client';
import { temporalConnectionOptions, type TemporalConfig } from './config.js';

export async function connectClient(config: TemporalConfig): Promise<Client> {
  const connection = await Connection.connect(temporalConnectionOptions(config));
  return new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
}
