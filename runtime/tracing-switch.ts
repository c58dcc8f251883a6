import type { TracingConfig } from './config.js';
import type { Tracing } from './tracing.js';

/**
 * Starts tracing when the configuration switches it on; otherwise returns undefined
 * without importing OpenTelemetry at all (the import below is the only way in).
 */
export async function tracingIfOn(config: TracingConfig, defaultServiceName: string): Promise<Tracing | undefined> {
  if (config.OTEL_TRACES_EXPORTER === 'none') return undefined;
  const { spanProcessorFrom, startTracing } = await import('./tracing.js');
  return startTracing({ serviceName: config.OTEL_SERVICE_NAME ?? defaultServiceName, spanProcessor: spanProcessorFrom(config)! });
}
