import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../core/net.ts';
import { stopChild } from './child-process.ts';

export interface RunningInfluxDb {
  /** Base URL of the HTTP API, e.g. http://127.0.0.1:41234 */
  url: string;
  /** What the server reports in X-Influxdb-Version, e.g. `1.6.7~rc0`. */
  version: string;
  stop(): Promise<void>;
}

const INFLUXD = '/usr/bin/influxd';

/**
 * Starts Debian's influxd (1.6) on free loopback ports with all state in a temp dir,
 * and resolves once /ping answers 204. Auth is off, as in a fresh 1.x install.
 */
export async function startInfluxDb(timeoutMs = 20_000): Promise<RunningInfluxDb> {
  const dir = await mkdtemp(join(tmpdir(), 'aftercare-influx-'));
  const httpPort = await freePort();
  const rpcPort = await freePort();
  const configPath = await writeInfluxConfig(dir, httpPort, rpcPort);
  const child = spawn(INFLUXD, ['-config', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const url = `http://127.0.0.1:${httpPort}`;
  const stop = async () => {
    await stopChild(child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const version = await waitForPing(url, child, timeoutMs);
    return { url, version, stop };
  } catch (error) {
    await stop();
    throw new Error(`influxd did not start: ${(error as Error).message}\n${stderr}`);
  }
}

async function waitForPing(url: string, child: ChildProcess, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`influxd exited with code ${child.exitCode}`);
    try {
      const response = await fetch(`${url}/ping`, { signal: AbortSignal.timeout(1000) });
      if (response.status === 204) return response.headers.get('x-influxdb-version') ?? 'unknown';
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no 204 from ${url}/ping within ${timeoutMs} ms`);
}

/** Writes an influxd 1.x config that keeps everything under `dir` and listens on loopback only. */
export async function writeInfluxConfig(dir: string, httpPort: number, rpcPort: number): Promise<string> {
  const config = `
reporting-disabled = true
bind-address = "127.0.0.1:${rpcPort}"

[meta]
  dir = "${join(dir, 'meta')}"

[data]
  dir = "${join(dir, 'data')}"
  wal-dir = "${join(dir, 'wal')}"
  query-log-enabled = false
  wal-fsync-delay = "0s"

[http]
  enabled = true
  bind-address = "127.0.0.1:${httpPort}"
  auth-enabled = false
  log-enabled = false

[retention]
  enabled = false

[monitor]
  store-enabled = false

[continuous_queries]
  enabled = false

[subscriber]
  enabled = false

[logging]
  level = "warn"
`;
  const configPath = join(dir, 'influxdb.conf');
  await writeFile(configPath, config);
  return configPath;
}
