import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';
import { historyFromJson } from '../../runtime/history-json.js';
import { ORDER_PROCESS_VERSION } from '../../workflows/sales-order/definitions.js';

/**
 * Every recorded history in test/histories/ (npm run histories:record) replays
 * against the current workflow code: a change that breaks determinism fails here.
 */
const folder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../histories');
const files = (() => {
  try {
    return readdirSync(folder).filter((f) => f.endsWith('.json')).sort();
  } catch {
    return [];
  }
})();

describe('replay of recorded workflow histories', () => {
  it('has recorded histories to replay', () => {
    expect(files.length, `no histories in test/histories: record some with npm run histories:record -- <order number> [name]`).toBeGreaterThan(0);
    // The kinds of order every workflow change must still replay (npm run histories:samples records them),
    // as run by the current order process version (ORDER_PROCESS_VERSION in workflows/sales-order/definitions.ts).
    const version = `.v${ORDER_PROCESS_VERSION}`;
    for (const sample of ['plain-order', 'order-life', 'change-and-return', 'dunning-and-write-off', 'draft-revised']) expect(files).toContain(`${sample}${version}.json`);
    expect(files).toContain(`continued-as-new${version}.run1.json`);
  });

  it('replays every one of them without a nondeterminism error', async () => {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    const histories = files.map((f) => ({
      workflowId: f.replace(/\.json$/, ''),
      history: historyFromJson(JSON.parse(readFileSync(path.join(folder, f), 'utf8'))),
    }));
    const failures: string[] = [];
    let replayed = 0;
    for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath: inject('workflowBundlePath') } }, histories)) {
      replayed += 1;
      if (result.error) failures.push(`${result.workflowId}: ${String(result.error)}`);
    }
    expect(failures).toEqual([]);
    expect(replayed).toBe(files.length);
  });
});
