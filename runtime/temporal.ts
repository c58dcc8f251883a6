import { Client, Connection, type ClientInterceptors } from '@temporalio/client';
import { temporalConnectionOptions, type TemporalConfig } from './config.js';

/** `interceptors`: the tracing ones (runtime/tracing.ts) when tracing is on. */
export async function connectClient(config: TemporalConfig, interceptors?: ClientInterceptors): Promise<Client> {
  const connection = await Connection.connect(temporalConnectionOptions(config));
  return new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, ...(interceptors ? { interceptors } : {}) });
}
