import { readdirSync, readFileSync } from 'node:fs';

/** The bench's processes, by what they are. */
export type ProcessGroup = 'temporal' | 'postgres' | 'worker' | 'api' | 'floorWorker' | 'bench' | 'other';

/** CPU seconds (user + system) used so far by every process on the machine, by group (Linux /proc; empty elsewhere). */
export function cpuSeconds(): Partial<Record<ProcessGroup, number>> {
  const out: Partial<Record<ProcessGroup, number>> = {};
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return out;
  }
  const ticksPerSecond = 100; // USER_HZ on Linux
  for (const pid of pids) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const seconds = (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
      const group: ProcessGroup =
        Number(pid) === process.pid
          ? 'bench'
          : /postgres/.test(cmd)
            ? 'postgres'
            : /worker-main/.test(cmd)
              ? 'worker'
              : /server-main/.test(cmd)
                ? 'api'
                : /floor-worker/.test(cmd)
                  ? 'floorWorker'
                  : (/\btemporal\b/.test(cmd) && /server start-dev/.test(cmd)) || /temporal-server-v[^/ ]+\/server /.test(cmd)
                    ? 'temporal'
                    : 'other';
      out[group] = (out[group] ?? 0) + seconds;
    } catch {
      /* the process ended meanwhile */
    }
  }
  return out;
}

/** CPU milliseconds per order used by each group while `run` ran. */
export async function cpuPerOrder<T extends { orders: number }>(run: () => Promise<T>): Promise<T & { cpuMsPerOrder: Partial<Record<ProcessGroup, number>> }> {
  const before = cpuSeconds();
  const result = await run();
  const after = cpuSeconds();
  const cpuMsPerOrder: Partial<Record<ProcessGroup, number>> = {};
  for (const [group, seconds] of Object.entries(after) as [ProcessGroup, number][]) {
    cpuMsPerOrder[group] = Math.round(((seconds - (before[group] ?? 0)) * 1000) / result.orders);
  }
  return { ...result, cpuMsPerOrder };
}
