import { jetstream } from '@nats-io/jetstream';
import { type KV, Kvm } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import { type PartitionLeases, startPartitionLeases } from '../../server/cluster/partition-leases.ts';
import { type RunningNats, startNatsServer } from '../support/nats-server.ts';

// Leases on a real nats-server's KV bucket, with short timings; each test has a bucket of its own.
const TTL = 2000;
const ROUND = 250;
let nats: RunningNats;
const connections: NatsConnection[] = [];

beforeAll(async () => {
  nats = await startNatsServer(4);
}, 30_000);

afterAll(async () => {
  for (const nc of connections) await nc.close().catch(() => {});
  await nats?.stop();
});

async function bucket(name: string): Promise<{ nc: NatsConnection; kv: KV }> {
  const nc = await connect({ servers: nats.natsUrl });
  connections.push(nc);
  return { nc, kv: await new Kvm(jetstream(nc)).create(name, { ttl: TTL * 4, history: 1 }) };
}

function holder(kv: KV, instance: string, clock: () => number = Date.now) {
  const released: Array<{ partition: number; why: string }> = [];
  const leases: PartitionLeases = startPartitionLeases({
    kv,
    instance,
    partitions: 4,
    ttlMs: TTL,
    roundEveryMs: ROUND,
    settleMs: 0,
    onAcquired: async () => {},
    onReleased: async (partition, why) => void released.push({ partition, why }),
    logger: silentLogger(),
    clock,
  });
  return { leases, released };
}

const waitFor = async (what: string, check: () => boolean, ms = 10_000) => {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50)))
    if (check()) return;
  throw new Error(`timed out waiting for ${what}`);
};

describe('partition leases', () => {
  test('a renewal that comes late (a stalled event loop) keeps the lease: the compare-and-set decides', async () => {
    const { kv } = await bucket('leases-late');
    let skew = 0;
    const a = holder(kv, 'a', () => Date.now() + skew);
    await waitFor('a holds every partition', () => a.leases.owned().length === 4);
    // From a's point of view its last renewal is now far older than the TTL; nobody else took it.
    skew = TTL * 3;
    await new Promise((r) => setTimeout(r, ROUND * 4));
    expect([a.leases.owned(), a.released]).toEqual([[0, 1, 2, 3], []]);
    await a.leases.stop();
    expect(a.released.map((r) => r.why)).toEqual(['stopping', 'stopping', 'stopping', 'stopping']);
  });

  test('a lease another instance took is given up as lost at the next renewal', async () => {
    const { kv } = await bucket('leases-taken');
    const a = holder(kv, 'a');
    await waitFor('a holds every partition', () => a.leases.owned().length === 4);
    await kv.put('partition.2', 'b');
    await waitFor('partition 2 released', () => a.released.length > 0);
    expect([a.leases.owned(), a.released]).toEqual([[0, 1, 3], [{ partition: 2, why: 'lost' }]]);
    await a.leases.stop();
  });

  test("a dead instance's partitions are taken within the TTL and a round or two", async () => {
    const first = await bucket('leases-dead');
    const a = holder(first.kv, 'a');
    await waitFor('a holds every partition', () => a.leases.owned().length === 4);
    const second = await bucket('leases-dead');
    const b = holder(second.kv, 'b');
    await new Promise((r) => setTimeout(r, ROUND * 3));
    expect(b.leases.owned()).toEqual([]); // never from a live owner
    await first.nc.close(); // a dies: its renewals stop
    const diedAt = Date.now();
    await waitFor('b holds every partition', () => b.leases.owned().length === 4);
    expect(Date.now() - diedAt).toBeLessThan(TTL + 4 * ROUND + 1000);
    expect(b.released).toEqual([]);
    await b.leases.stop();
    await a.leases.stop().catch(() => {});
  }, 20_000);
});
