import { makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import type { ObservabilityConfig } from './config.js';
import { JsonLogger } from './logging.js';

/**
 * A small Prometheus registry (text exposition format 0.0.4): counters and
 * histograms with labels, plus collectors that read current values at scrape
 * time (the business gauges from Postgres). Small enough to own, so the API needs
 * no metrics library.
 */
type Labels = Record<string, string>;

const escape = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const labelText = (labels: Labels) => {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escape(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
};

export interface Sample {
  labels: Labels;
  value: number;
}

export class Counter {
  private readonly values = new Map<string, Sample>();
  constructor(readonly name: string, readonly help: string) {}
  inc(labels: Labels, by = 1): void {
    const key = labelText(labels);
    const s = this.values.get(key) ?? { labels, value: 0 };
    s.value += by;
    this.values.set(key, s);
  }
  render(): string[] {
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`, ...[...this.values.values()].map((s) => `${this.name}${labelText(s.labels)} ${s.value}`)];
  }
}

export class Histogram {
  private readonly series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();
  constructor(readonly name: string, readonly help: string, readonly buckets: number[]) {}
  observe(labels: Labels, value: number): void {
    const key = labelText(labels);
    const s = this.series.get(key) ?? { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 };
    this.buckets.forEach((b, i) => {
      if (value <= b) s.counts[i]! += 1;
    });
    s.sum += value;
    s.count += 1;
    this.series.set(key, s);
  }
  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const s of this.series.values()) {
      this.buckets.forEach((b, i) => lines.push(`${this.name}_bucket${labelText({ ...s.labels, le: String(b) })} ${s.counts[i]}`));
      lines.push(`${this.name}_bucket${labelText({ ...s.labels, le: '+Inf' })} ${s.count}`);
      lines.push(`${this.name}_sum${labelText(s.labels)} ${s.sum}`, `${this.name}_count${labelText(s.labels)} ${s.count}`);
    }
    return lines;
  }
}

/** A value read when scraped: a gauge, or a counter kept by the database (rows that only grow). */
export interface GaugeCollector {
  name: string;
  help: string;
  type?: 'gauge' | 'counter';
  collect(): Promise<Sample[]>;
}

export class MetricsRegistry {
  private readonly metrics: (Counter | Histogram)[] = [];
  private readonly gauges: GaugeCollector[] = [];
  counter(name: string, help: string): Counter {
    const c = new Counter(name, help);
    this.metrics.push(c);
    return c;
  }
  histogram(name: string, help: string, buckets: number[]): Histogram {
    const h = new Histogram(name, help, buckets);
    this.metrics.push(h);
    return h;
  }
  gauge(collector: GaugeCollector): void {
    this.gauges.push(collector);
  }
  async render(): Promise<string> {
    const lines = this.metrics.flatMap((m) => m.render());
    for (const g of this.gauges) {
      const samples = await g.collect();
      lines.push(`# HELP ${g.name} ${g.help}`, `# TYPE ${g.name} ${g.type ?? 'gauge'}`, ...samples.map((s) => `${g.name}${labelText(s.labels)} ${s.value}`));
    }
    return `${lines.join('\n')}\n`;
  }
}

/**
 * The worker's Temporal Runtime: SDK and Core logs as JSON lines, and the SDK's
 * own metrics (task latencies, slots, polls, activity failures…) served for
 * Prometheus at WORKER_METRICS_ADDRESS/metrics when it is set.
 */
export function installWorkerRuntime(config: ObservabilityConfig): void {
  Runtime.install({
    logger: new JsonLogger(config.LOG_LEVEL),
    telemetryOptions: {
      logging: { forward: {}, filter: makeTelemetryFilterString({ core: config.LOG_LEVEL === 'TRACE' ? 'TRACE' : config.LOG_LEVEL }) },
      ...(config.WORKER_METRICS_ADDRESS ? { metrics: { prometheus: { bindAddress: config.WORKER_METRICS_ADDRESS } } } : {}),
    },
  });
}
