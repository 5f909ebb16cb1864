import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../core/net.ts';
import { stopChild, tailOf, waitUntil } from './child-process.ts';
import { listening } from './nats-server.ts';

export interface RunningRedis {
  /** redis://127.0.0.1:<port> */
  url: string;
  stop(): Promise<void>;
}

/** Debian's redis-server on a free loopback port, no persistence, its dir a temp dir. */
export async function startRedisServer(timeoutMs = 20_000): Promise<RunningRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'aftercare-redis-'));
  const port = await freePort();
  const child = spawn(
    '/usr/bin/redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output = tailOf(child.stdout);
  const stop = async () => {
    await stopChild(child, 3000);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitUntil(
      'redis-server',
      async () => ((await listening(port)) ? true : undefined),
      child,
      timeoutMs,
    );
  } catch (error) {
    await stop();
    throw new Error(`redis-server did not start: ${(error as Error).message}\n${output()}`);
  }
  return { url: `redis://127.0.0.1:${port}`, stop };
}
