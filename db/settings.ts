import { dec } from '../domain/decimal.js';
import type { CreditSettings } from '../domain/credit.js';
import type { Sql, Tx } from './client.js';
import { storableJson, type Json } from './json.js';

/** Credit control settings (设置信用控制参数) from company_settings. */
export async function creditSettings(sql: Sql | Tx): Promise<CreditSettings> {
  const rows = await sql<{ key: string; value: unknown }[]>`SELECT key, value FROM company_settings WHERE key LIKE 'credit.%'`;
  const v = new Map(rows.map((r) => [r.key, r.value]));
  return {
    checkPoints: (v.get('credit.check_points') as CreditSettings['checkPoints'] | undefined) ?? ['approval'],
    onBreach: (v.get('credit.on_breach') as CreditSettings['onBreach'] | undefined) ?? 'block',
    companyTerms: {
      limit: dec(String(v.get('credit.default_limit') ?? '0')),
      overrunRate: dec(String(v.get('credit.default_overrun_rate') ?? '0')),
    },
  };
}

export async function saveCreditSettings(
  sql: Sql,
  s: { checkPoints: string[]; onBreach: string; defaultLimit: string; defaultOverrunRate: string },
): Promise<void> {
  const entries: [string, Json][] = [
    ['credit.check_points', storableJson(s.checkPoints, 'checkPoints')],
    ['credit.on_breach', storableJson(s.onBreach, 'onBreach')],
    ['credit.default_limit', storableJson(s.defaultLimit, 'defaultLimit')],
    ['credit.default_overrun_rate', storableJson(s.defaultOverrunRate, 'defaultOverrunRate')],
  ];
  await sql.begin(async (tx) => {
    for (const [key, value] of entries) {
      await tx`INSERT INTO company_settings (key, value) VALUES (${key}, ${tx.json(value)})
               ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`;
    }
  });
}
