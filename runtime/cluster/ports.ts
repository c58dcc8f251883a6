import { createServer } from 'node:net';
import { freePort } from '../dev/ports.js';
import { serverPorts } from './temporal-server.js';

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** A port `base` such that base + each offset is free now (the server's services, or consecutive APIs). */
async function freeBase(offsets: number[], pick: () => Promise<number>): Promise<number> {
  for (let tries = 0; tries < 50; tries++) {
    const base = await pick();
    const ports = offsets.map((o) => base + o);
    if (ports.every((p) => p > 1024 && p < 65536) && (await Promise.all(ports.map(isFree))).every(Boolean)) return base;
  }
  throw new Error('no free range of ports found');
}

/** Ports for a cluster started on the fly (tests, the bench): Postgres, the server's frontend, the APIs. */
export async function freeClusterPorts(apis: number): Promise<{ pgPort: number; temporalPort: number; apiPort: number }> {
  const p = serverPorts(0);
  const services = [p.frontend, p.history, p.matching, p.worker];
  const serverOffsets = [...services, ...services.map(p.membership), p.http, p.metrics];
  return {
    pgPort: await freePort(),
    // Below the OS's ephemeral range: the server's Postgres schema keeps the membership port in a SMALLINT
    // (cluster_membership.rpc_port), so a port above 32767 stops the server at start ("out of range for type smallint").
    temporalPort: await freeBase(serverOffsets, async () => 10_300 + Math.floor(Math.random() * 21_000)),
    apiPort: await freeBase(Array.from({ length: apis }, (_, i) => i), freePort),
  };
}
