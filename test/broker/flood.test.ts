import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { stringify } from 'yaml';
import type { BrokerStats } from '../../broker/index.ts';
import { freePort } from '../../core/net.ts';
import { makeUsers, waitFor } from './support.ts';

/**
 * aedes 1.2 has died with "Maximum call stack size exceeded" when a subscriber that lags behind
 * a QoS 0 flood disconnects (see broker/flood-guard.ts). Here the broker runs as its own process
 * (the CLI), publishers flood it from other processes, and a slow subscriber process is killed with
 * SIGKILL and restarted several times under that load. The broker must stay up and keep delivering.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const PUBLISHERS = 2;
const ROUNDS = 4;

interface Child {
  process: ChildProcess;
  out: string;
  err: string;
}

const children: Child[] = [];
let dir: string;

function spawnTs(args: string[]): Child {
  const child: Child = {
    process: spawn(process.execPath, ['bin/run-ts.js', ...args], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    }),
    out: '',
    err: '',
  };
  // Keep only the tail: a flood produces a lot of output over a run.
  child.process.stdout?.on('data', (chunk: Buffer) => {
    child.out = (child.out + chunk.toString()).slice(-20_000);
  });
  child.process.stderr?.on('data', (chunk: Buffer) => {
    child.err = (child.err + chunk.toString()).slice(-200_000);
  });
  children.push(child);
  return child;
}

function received(child: Child): number {
  const counts = [...child.out.matchAll(/received (\d+)/g)];
  return counts.length > 0 ? Number(counts.at(-1)![1]) : 0;
}

function lastStats(broker: Child): Partial<BrokerStats> {
  const lines = broker.err.split('\n').filter((line) => line.includes('"broker stats"'));
  const last = lines.at(-1);
  return last ? (JSON.parse(last) as { stats: BrokerStats }).stats : {};
}

const alive = (child: Child) => child.process.exitCode === null && child.process.signalCode === null;

async function kill(child: Child, signal: NodeJS.Signals): Promise<void> {
  if (!alive(child)) return;
  const exited = new Promise((resolve) => child.process.once('exit', resolve));
  child.process.kill(signal);
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aftercare-flood-'));
});

afterAll(async () => {
  for (const child of children.reverse())
    await kill(child, child === children.at(-1) ? 'SIGTERM' : 'SIGKILL');
  for (const child of children) await kill(child, 'SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

test('broker survives a slow subscriber killed and restarted under a QoS 0 flood', {
  timeout: 60_000,
}, async () => {
  const users = await makeUsers([
    { username: 'flood-edge', password: 'fe', role: 'edge', site: 'flood' },
    { username: 'viewer', password: 'viewer', role: 'viewer' },
  ]);
  const usersFile = join(dir, 'broker.yaml');
  await writeFile(usersFile, stringify({ users }));
  const port = await freePort();
  const url = `mqtt://127.0.0.1:${port}`;
  const broker = spawnTs([
    'broker/main.ts',
    'broker',
    '--port',
    String(port),
    '--users',
    usersFile,
    '--stats-every',
    '1',
  ]);
  const subscriberArgs = ['test/broker/flood-child.ts', 'subscribe', url, 'viewer', 'viewer'];
  // Every subscriber process is started before the flood: Node start-up takes seconds under load.
  // Each connects when told to, so a restart is a new process and connection within milliseconds.
  const subscribers = Array.from({ length: ROUNDS + 1 }, () => spawnTs(subscriberArgs));
  await waitFor(() => broker.err.includes('broker listening') || !alive(broker), 20_000, 'broker start');
  expect(alive(broker)).toBe(true);
  await waitFor(
    () => subscribers.every((child) => child.out.includes('loaded')),
    20_000,
    'subscribers loaded',
  );
  let subscriber = subscribers[0]!;
  subscriber.process.stdin?.write('go\n');
  for (let i = 0; i < PUBLISHERS; i++)
    spawnTs(['test/broker/flood-child.ts', 'publish', url, 'flood-edge', 'fe']);

  for (let round = 0; round < ROUNDS; round++) {
    await waitFor(() => received(subscriber) > 0 || !alive(broker), 10_000, `subscriber ${round} receiving`);
    expect(alive(broker)).toBe(true);
    // Let the backlog build while the subscriber lags, then kill it mid-delivery.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await kill(subscriber, 'SIGKILL');
    subscriber = subscribers[round + 1]!;
    subscriber.process.stdin?.write('go\n');
  }

  await waitFor(() => received(subscriber) > 100 || !alive(broker), 15_000, 'the last subscriber receiving');
  const soFar = received(subscriber);
  await waitFor(() => received(subscriber) > soFar || !alive(broker), 10_000, 'deliveries still flowing');
  await waitFor(() => lastStats(broker).messagesIn !== undefined, 3000, 'a stats line');
  const stats = lastStats(broker);
  console.log(`flood: ${JSON.stringify(stats)}; last subscriber received ${received(subscriber)}`);
  expect(broker.err).not.toContain('Maximum call stack size exceeded');
  expect(alive(broker)).toBe(true);
  expect(received(subscriber)).toBeGreaterThan(soFar);
  expect(stats.messagesIn).toBeGreaterThan(10_000);
});
