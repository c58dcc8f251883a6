import type { ChildProcess } from 'node:child_process';
import type { EmbeddedDatabase } from '../dev/postgres.js';

/** The faults the fault suite (test/faults/) and the cluster suite (test/cluster/) both inject. */

export const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** SIGKILL: no drain, no goodbye; whatever the process was doing is cut off mid-way. Resolves once it is gone. */
export function sigkill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** Fast shutdown (SIGINT): open transactions are rolled back, every connection is cut; then the same data again. */
export async function restartPostgres(pg: EmbeddedDatabase, downMs: number): Promise<void> {
  await pg.stop();
  await pause(downMs);
  await pg.start();
}
