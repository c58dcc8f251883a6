import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fetchWorkflowRuns } from '../api/timeline/workflow-history.js';
import { temporalConfig, orExit } from '../runtime/config.js';
import { historyToJson } from '../runtime/history-json.js';
import { connectClient } from '../runtime/temporal.js';
import { orderWorkflowId } from '../workflows/sales-order/definitions.js';

/**
 * `npm run histories:record -- SO-20261123-0001 [name]`: writes the workflow
 * history of an order from a running system to test/histories/<name>.json (name
 * defaults to the order number), where the replay test picks it up. An order that
 * continued as new gets one file per run: <name>.run1.json, <name>.run2.json, …
 */
const HISTORIES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../test/histories');

async function main() {
  const [number, name = number] = process.argv.slice(2);
  if (!number || !name || !/^[A-Za-z0-9._-]+$/.test(name)) {
    console.error('usage: npm run histories:record -- <order number> [file name without .json: letters, digits, . _ -]');
    process.exit(64);
  }
  const temporal = orExit(temporalConfig);
  const client = await connectClient(temporal);
  try {
    const runs = await fetchWorkflowRuns(client, orderWorkflowId(number));
    mkdirSync(HISTORIES, { recursive: true });
    for (const [i, run] of runs.entries()) {
      const file = path.join(HISTORIES, runs.length === 1 ? `${name}.json` : `${name}.run${i + 1}.json`);
      writeFileSync(file, historyToJson({ events: run.events }) + '\n');
      console.log(`wrote ${path.relative(process.cwd(), file)} (${run.events.length} events, run ${run.runId})`);
    }
  } finally {
    await client.connection.close();
  }
}

main().catch((err) => {
  console.error(String(err));
  process.exit(1);
});
