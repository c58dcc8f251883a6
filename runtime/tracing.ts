import { createRequire } from 'node:module';
import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, ConsoleSpanExporter, SimpleSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ClientInterceptors } from '@temporalio/client';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import type { WorkerOptions } from '@temporalio/worker';
import type { TracingConfig } from './config.js';

/**
 * OpenTelemetry tracing through Temporal's interceptors. This module is imported
 * only when tracing is switched on (runtime/config.ts `tracingConfig`), so a
 * process without it loads and bundles none of OpenTelemetry.
 */
export interface Tracing {
  tracer: Tracer;
  spanProcessor: SpanProcessor;
  resource: Resource;
  /** Flushes what is still buffered and unregisters the globals. */
  shutdown(): Promise<void>;
}

/** The workflow interceptors (run inside the workflow sandbox); the bundler adds this module to the workflow bundle. */
export const WORKFLOW_TRACING_MODULE = createRequire(import.meta.url).resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors');

/**
 * Registers a tracer provider with an AsyncLocalStorage context (so the HTTP span is
 * the parent of the Temporal client's spans across awaits) and W3C trace-context
 * propagation (the SDK's default; what Temporal's interceptors write into workflow and activity headers).
 */
export function startTracing(options: { serviceName: string; spanProcessor: SpanProcessor }): Tracing {
  const resource = new Resource({ 'service.name': options.serviceName });
  const provider = new BasicTracerProvider({ resource, spanProcessors: [options.spanProcessor] });
  provider.register({ contextManager: new AsyncLocalStorageContextManager() });
  return {
    tracer: trace.getTracer('sales-backoffice'),
    spanProcessor: options.spanProcessor,
    resource,
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

/** The span processor the configuration asks for; undefined when tracing is off. */
export function spanProcessorFrom(config: TracingConfig): SpanProcessor | undefined {
  if (config.OTEL_TRACES_EXPORTER === 'console') return new SimpleSpanProcessor(new ConsoleSpanExporter());
  if (config.OTEL_TRACES_EXPORTER !== 'otlp') return undefined;
  const url = config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? `${config.OTEL_EXPORTER_OTLP_ENDPOINT!.replace(/\/$/, '')}/v1/traces`;
  return new BatchSpanProcessor(new OTLPTraceExporter({ url }));
}

/** For the API's Temporal client: a span per start, update, signal and query, its context passed in the headers. */
export function tracingClientInterceptors(tracing: Tracing): ClientInterceptors {
  return { workflow: [new OpenTelemetryWorkflowClientInterceptor({ tracer: tracing.tracer })] };
}

/** For the worker: spans inside workflows (exported through a sink, as workflows cannot do I/O) and around each activity. */
export function tracingWorkerOptions(tracing: Tracing): Required<Pick<WorkerOptions, 'interceptors' | 'sinks'>> {
  return {
    interceptors: {
      workflowModules: [WORKFLOW_TRACING_MODULE],
      activity: [
        (ctx) => ({
          inbound: new OpenTelemetryActivityInboundInterceptor(ctx, { tracer: tracing.tracer }),
          outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
        }),
      ],
    },
    sinks: { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) },
  };
}
