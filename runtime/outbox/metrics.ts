import type { Sql } from '../../db/client.js';
import type { GaugeCollector } from '../metrics.js';

/**
 * The outbox by channel, read from its table when scraped, so every sender process counts (the
 * senders run in the workers, the metrics are served by the API): deliveries sent and given up,
 * attempts that were retries, and what still waits.
 */
export function outboxMetrics(sql: Sql): GaugeCollector[] {
  const byChannel = (name: string, help: string, type: 'gauge' | 'counter', value: string): GaugeCollector => ({
    name,
    help,
    type,
    async collect() {
      const rows = await sql<{ channel: string; n: number }[]>`
        SELECT channel, ${sql.unsafe(value)}::int AS n FROM notification_deliveries GROUP BY channel ORDER BY channel`;
      return rows.map((r) => ({ labels: { channel: r.channel }, value: r.n }));
    },
  });
  return [
    byChannel('notification_deliveries_sent_total', 'Messages delivered, by channel', 'counter', `count(*) FILTER (WHERE status = 'sent')`),
    byChannel('notification_deliveries_failed_total', 'Messages given up after the last attempt, by channel', 'counter', `count(*) FILTER (WHERE status = 'failed')`),
    byChannel('notification_delivery_retries_total', 'Delivery attempts after a failed one, by channel', 'counter', 'coalesce(sum(greatest(attempts - 1, 0)), 0)'),
    byChannel('notification_deliveries_waiting', 'Messages waiting for their first or next attempt, by channel', 'gauge', `count(*) FILTER (WHERE status = 'pending')`),
  ];
}
