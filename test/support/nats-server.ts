import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../core/net.ts';
import { natsPartitionMappings } from '../../server/cluster/subjects.ts';
import { stopChild, tailOf, waitUntil } from './child-process.ts';

export interface RunningNats {
  /** nats://127.0.0.1:<port> */
  natsUrl: string;
  /** mqtt://127.0.0.1:<port>: the MQTT listener the edges publish to. */
  mqttUrl: string;
  stop(): Promise<void>;
}

/**
 * Debian's nats-server (2.9) on free loopback ports, JetStream and its MQTT listener on, state in a
 * temp dir, with the partition mapping of the scale-out servers.
 */
export async function startNatsServer(partitions: number, timeoutMs = 20_000): Promise<RunningNats> {
  const dir = await mkdtemp(join(tmpdir(), 'aftercare-nats-'));
  const port = await freePort();
  const mqttPort = await freePort();
  const config = join(dir, 'nats.conf');
  await writeFile(
    config,
    [
      `listen: 127.0.0.1:${port}`,
      'server_name: aftercare-test',
      `jetstream { store_dir: "${join(dir, 'js')}" }`,
      `mqtt { listen: 127.0.0.1:${mqttPort} }`,
      natsPartitionMappings(partitions),
      '',
    ].join('\n'),
  );
  const child = spawn('/usr/sbin/nats-server', ['-c', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  const stderr = tailOf(child.stderr);
  const stop = async () => {
    await stopChild(child, 3000);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitUntil(
      'nats-server',
      async () => ((await listening(mqttPort)) ? true : undefined),
      child,
      timeoutMs,
    );
  } catch (error) {
    await stop();
    throw new Error(`nats-server did not start: ${(error as Error).message}\n${stderr()}`);
  }
  return { natsUrl: `nats://127.0.0.1:${port}`, mqttUrl: `mqtt://127.0.0.1:${mqttPort}`, stop };
}

export function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connectTcp(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
