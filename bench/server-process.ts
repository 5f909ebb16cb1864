import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { freePort } from '../core/net.ts';
import { TokenIssuer } from '../server/auth/tokens.ts';
import { startInfluxDb } from '../test/support/influxdb.ts';
import { programStderr, startProgram, startWorker, stopProgram, type Worker } from './child.ts';
import { sleep } from './options.ts';

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** A bearer token for a user of `role` (signed with the server's AUTH_SECRET). */
  token(role: 'operator' | 'service' | 'engineer' | 'admin'): Promise<string>;
  /** A counter or gauge from /metrics (summed over its labels), 0 when absent. */
  metric(name: string): Promise<number>;
  stop(): Promise<void>;
}

const CLI = fileURLToPath(new URL('../bin/aftercare.js', import.meta.url));

/** `aftercare server` as production runs it, in its own process, ready once /api/health answers. */
export async function startServerProcess(options: {
  mqttUrl: string;
  influxUrl?: string;
  dataDir: string;
  /** PostgreSQL for the service records (DATABASE_URL) instead of the embedded PGlite. */
  databaseUrl?: string;
}): Promise<ServerProcess> {
  const port = await freePort();
  // BENCH_SERVER_NODE_FLAGS='--cpu-prof --cpu-prof-dir=/tmp/prof' (or --heap-prof) profiles the server
  // while the bench drives it: profile before optimising.
  const nodeFlags = process.env.BENCH_SERVER_NODE_FLAGS?.split(/\s+/).filter(Boolean) ?? [];
  const args = [...nodeFlags, CLI, 'server', '--port', String(port), '--mqtt-url', options.mqttUrl];
  args.push('--data-dir', options.dataDir);
  if (options.influxUrl) args.push('--influx-url', options.influxUrl);
  // /metrics needs a bearer token: the one Prometheus would be given.
  const metricsToken = randomBytes(24).toString('base64url');
  const authSecret = randomBytes(32).toString('base64url');
  const child = startProgram(process.execPath, args, {
    // As the systemd unit and the Dockerfile start it (deploy/): two malloc arenas.
    MALLOC_ARENA_MAX: '2',
    ...process.env,
    LOG_LEVEL: 'warn',
    METRICS_TOKEN: metricsToken,
    AUTH_SECRET: authSecret,
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
  });
  // Node flags such as --trace-gc write to stdout: a pipe nobody reads would stall the server once full.
  child.stdout?.resume();
  const url = `http://127.0.0.1:${port}`;
  // The service layer (PGlite) takes 10-30 s to open; on a loaded machine far longer.
  const startS = Number(process.env.BENCH_SERVER_START_S ?? 90);
  const deadline = Date.now() + startS * 1000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`server exited with ${child.exitCode}: ${programStderr(child)}`);
    try {
      const response = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stopProgram(child);
      throw new Error(
        `server not healthy within ${startS} s (BENCH_SERVER_START_S): ${programStderr(child)}`,
      );
    }
    await sleep(200);
  }
  return {
    url,
    child,
    token: async (role) =>
      (await new TokenIssuer({ secret: authSecret }).issue({ username: `bench-${role}`, role })).token,
    async metric(name) {
      // A server saturated by an overload (bench fleet at 2,000 stations) once took more than 10 s.
      const response = await fetch(`${url}/metrics`, {
        headers: { authorization: `Bearer ${metricsToken}` },
        signal: AbortSignal.timeout(30_000),
      });
      if (!response.ok) throw new Error(`/metrics answered ${response.status}`);
      const text = await response.text();
      let sum = 0;
      for (const line of text.split('\n')) {
        if (line.startsWith(name) && (line[name.length] === ' ' || line[name.length] === '{'))
          sum += Number(line.slice(line.lastIndexOf(' ') + 1));
      }
      return sum;
    },
    stop: () => stopProgram(child, 10_000),
  };
}

/**
 * The servers every path section measures against: influxd 1.6, the project broker (a worker) and
 * `aftercare server` writing to that influxd. Each one's stop goes to the front of `cleanups`, so the
 * caller stops them in reverse order of start (with whatever it started later).
 */
export async function startPathServers(
  dataDir: string,
  cleanups: Array<() => Promise<void>>,
): Promise<{ influxUrl: string; broker: Worker<{ url: string }>; server: ServerProcess }> {
  const influx = await startInfluxDb();
  cleanups.unshift(() => influx.stop());
  const broker = await startWorker<{ url: string }>('broker', {});
  cleanups.unshift(() => broker.stop());
  const server = await startServerProcess({ mqttUrl: broker.info.url, influxUrl: influx.url, dataDir });
  cleanups.unshift(() => server.stop());
  return { influxUrl: influx.url, broker, server };
}
