import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultStack } from './stack.js';
import { prng } from '../support/random.js';
import { driveAll, expectEndStates, expectLedgerHolds, seedDrivenOrders, type Driver } from '../support/order-invariants.js';

/**
 * 200 orders in flight at different steps while the worker is SIGKILLed twice,
 * the Temporal dev server is stopped and restarted on its SQLite file, and
 * Postgres is stopped and restarted under running activities. Clients retry
 * with the same Idempotency-Key, as a real client does. Then nothing may be lost
 * or doubled.
 */
const ORDERS = Number(process.env.FAULT_ORDERS ?? 200);
const SEED = Number(process.env.FAULT_SEED ?? Date.now() % 100_000);

const stack = new FaultStack();
let client: Client;

beforeAll(async () => {
  await stack.start();
  await seedDrivenOrders(stack.sql, ORDERS);
}, 180_000);

afterAll(async () => {
  await client?.connection.close().catch(() => undefined);
  await stack.stop();
}, 60_000);

describe('faults while 200 orders are in flight', () => {
  it('loses nothing and doubles nothing', async () => {
    const random = prng(SEED);
    const targets = Array.from({ length: ORDERS }, () => 1 + Math.floor(random() * 6));
    const faults: string[] = [];
    let driving = true;

    const driver: Driver = { apiFor: () => stack.apiUrl, crashed: () => stack.crashed, seed: SEED };
    const drivers = driveAll(driver, targets, 16).finally(() => {
      driving = false;
    });

    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const injector = (async () => {
      for (const [name, inject] of [
        ['worker SIGKILL', async () => { await stack.killWorker(); await sleep(500); stack.startWorker(); }],
        ['worker SIGKILL', async () => { await stack.killWorker(); await sleep(500); stack.startWorker(); }],
        ['Temporal dev server stop/start', () => stack.restartTemporal(2000)],
        ['Postgres stop/start', () => stack.restartPostgres(2000)],
      ] as const) {
        await sleep(1500 + random() * 3000);
        if (!driving) break;
        await inject();
        faults.push(name);
      }
    })();

    const numbers = await drivers;
    await injector;
    expect(faults.length).toBeGreaterThanOrEqual(2);

    client = new Client({ connection: await Connection.connect({ address: stack.temporalAddress }) });
    await expectEndStates(client, numbers, targets);
    await expectLedgerHolds(stack.sql, numbers, targets, (c) =>
      console.log(
        `faults suite (seed ${SEED}): orders ${ORDERS}, faults injected ${faults.length} (${faults.join(', ')}), ` +
          `duplicates found ${c.duplicates}, stock ledger mismatches ${c.stockMismatches}, invoiced ${c.invoiced}, credit notes ${c.credited}, applied ${c.applied}, open ${c.open}`,
      ),
    );
  }, 900_000);
});
