import type { KV, KvEntry } from '@nats-io/kv';
import type { Logger } from '../../core/log.ts';
import { stableHash } from '../../core/text/stable-hash.ts';

export interface PartitionLeasesOptions {
  kv: KV;
  /** This instance's name in the bucket (unique among live instances). */
  instance: string;
  partitions: number;
  /**
   * A lease (or membership) not renewed for this long is dead: judged by the time the server stamped
   * on its last write, so the instances' clocks must agree (NTP) to well under a second.
   */
  ttlMs: number;
  /** How often leases are renewed and free partitions looked for. */
  roundEveryMs: number;
  /**
   * How long after joining an instance only announces itself before it claims: instances started
   * together see each other and split the partitions instead of the first taking them all.
   */
  settleMs: number;
  /** Starts consuming a partition just leased; a rejection gives the lease back. */
  onAcquired(partition: number): Promise<void>;
  /** Stops consuming a partition whose lease is lost or given back (before it is deleted). */
  onReleased(partition: number, why: 'lost' | 'stopping'): Promise<void>;
  logger: Logger;
  clock?: () => number;
}

export interface PartitionLeases {
  /** Partitions this instance holds now. */
  owned(): number[];
  /** Releases every lease (consumers stopped first) and leaves the member list. */
  stop(): Promise<void>;
}

const partitionKey = (partition: number) => `partition.${partition}`;
const memberKey = (instance: string) => `member.${instance}`;

/**
 * Partition ownership through leases in a JetStream KV bucket: `create` (or `update` at a dead
 * lease's revision) is the atomic claim, `update` at the last revision the renewal (it fails once
 * another instance claimed the key after it went stale). A lease is stale once its last write is
 * older than the TTL (the bucket's own expiry, later, only clears the keys away). Each instance holds at most
 * ceil(partitions / live members); a partition that is free (its owner stopped, or died and its
 * lease expired) is claimed at the next round by an instance under that share. Leases are never
 * taken from a live owner: an instance that takes over a station starts without its held state.
 * A renewal is a compare-and-set at the lease's known revision: it fails only once another instance
 * has taken the lease, and only then (or when NATS has not answered for longer than the TTL) is the
 * partition given up, so a stalled event loop does not make leases flap.
 */
export function startPartitionLeases(options: PartitionLeasesOptions): PartitionLeases {
  const { kv, instance, partitions, logger } = options;
  const clock = options.clock ?? Date.now;
  const joinedAt = clock();
  /** Partition -> the revision of its lease and when it was last written. */
  const held = new Map<number, { revision: number; renewedAt: number }>();
  let stopped = false;

  const release = async (partition: number, why: 'lost' | 'stopping') => {
    held.delete(partition);
    try {
      await options.onReleased(partition, why);
    } catch (error) {
      logger.error({ err: error, partition }, 'stopping a partition consumer failed');
    }
  };

  /** A lease or membership written longer than the TTL ago is dead, whatever the bucket still holds. */
  const alive = (entry: KvEntry | null, now: number): boolean =>
    entry !== null && entry.operation === 'PUT' && now - entry.created.getTime() <= options.ttlMs;

  const liveMembers = async (now: number): Promise<number> => {
    const names: string[] = [];
    const keys = await kv.keys('member.*');
    // Listing keys can wait forever when a key changes or expires mid-listing: cut it short. Members
    // missed make this instance's share larger for a round, never keep a dead one's partitions free.
    const timer = setTimeout(() => keys.stop(), options.roundEveryMs * 2);
    try {
      for await (const key of keys) names.push(key);
    } finally {
      clearTimeout(timer);
    }
    const entries = await Promise.all(names.map((name) => kv.get(name)));
    return Math.max(1, entries.filter((entry) => alive(entry, now)).length);
  };

  /** Every held lease at once: one slow round trip must not leave the others to go stale. */
  const renew = () => Promise.all([...held].map(([partition, lease]) => renewOne(partition, lease)));

  /**
   * The compare-and-set at the known revision decides, not local timing: a renewal that comes late
   * (the event loop stalled) keeps the lease when nobody took it meanwhile. Only when NATS cannot be
   * reached for longer than the TTL is the lease dropped without an answer, since another instance
   * may have claimed it by then.
   */
  const renewOne = async (partition: number, lease: { revision: number; renewedAt: number }) => {
    const sentAt = clock();
    try {
      lease.revision = await kv.update(partitionKey(partition), instance, lease.revision);
      lease.renewedAt = sentAt;
    } catch (error) {
      if (held.get(partition) !== lease) return;
      const reason = (error as Error).message;
      if (/wrong last sequence|key exists/i.test(reason)) {
        // A renewal that was written but whose answer timed out leaves our own name at a newer revision.
        const entry = await kv.get(partitionKey(partition)).catch(() => null);
        if (entry?.operation === 'PUT' && entry.string() === instance && held.get(partition) === lease) {
          lease.revision = entry.revision;
          return;
        }
        logger.warn({ partition }, 'partition lease taken by another instance');
        await release(partition, 'lost');
      } else if (clock() - lease.renewedAt > options.ttlMs) {
        logger.warn({ partition, err: error }, 'partition lease not renewed in time: dropped');
        await release(partition, 'lost');
      }
    }
  };
  const claim = async (now: number) => {
    if (now - joinedAt < options.settleMs) return;
    const share = Math.ceil(partitions / (await liveMembers(now)));
    // Each instance starts looking at another partition, so simultaneous claims rarely collide.
    const offset = stableHash(instance) % partitions;
    if (held.size >= share) return;
    const leases = await Promise.all(
      Array.from({ length: partitions }, (_, partition) => kv.get(partitionKey(partition))),
    );
    for (let step = 0; step < partitions && held.size < share && !stopped; step++) {
      const partition = (offset + step) % partitions;
      if (held.has(partition)) continue;
      const entry = leases[partition] ?? null;
      if (alive(entry, now)) continue;
      const sentAt = clock();
      let revision: number;
      try {
        // A dead owner's lease is replaced at its revision: if it renews meanwhile, this fails.
        revision = entry
          ? await kv.update(partitionKey(partition), instance, entry.revision)
          : await kv.create(partitionKey(partition), instance);
      } catch {
        continue; // another instance was quicker
      }
      const lease = { revision, renewedAt: sentAt };
      held.set(partition, lease);
      // Not awaited: starting a consumer must not hold the renewal of the other leases.
      options.onAcquired(partition).then(
        () => logger.info({ partition }, 'partition acquired'),
        async (error: unknown) => {
          logger.error({ err: error, partition }, 'could not start consuming a leased partition');
          if (held.get(partition) !== lease) return;
          held.delete(partition);
          await kv.delete(partitionKey(partition)).catch(() => {});
        },
      );
    }
  };

  // Renewal and claiming run on timers of their own: a claim round (many reads, a consumer's start)
  // never holds a renewal back.
  const renewRound = async () => {
    try {
      await Promise.all([kv.put(memberKey(instance), String(clock())), renew()]);
    } catch (error) {
      logger.warn({ err: error }, 'partition lease renewal failed');
    }
  };
  const claimRound = async () => {
    try {
      await claim(clock());
    } catch (error) {
      logger.warn({ err: error }, 'partition claim round failed');
    }
  };
  const loops = [renewRound, claimRound].map((run) => {
    const loop = { timer: undefined as NodeJS.Timeout | undefined, running: Promise.resolve() };
    const next = () => {
      if (stopped) return;
      loop.timer = setTimeout(() => {
        loop.running = run().finally(next);
      }, options.roundEveryMs);
    };
    loop.running = run().finally(next);
    return loop;
  });

  return {
    owned: () => [...held.keys()].sort((a, b) => a - b),
    async stop() {
      stopped = true;
      for (const loop of loops) clearTimeout(loop.timer);
      await Promise.all(loops.map((loop) => loop.running));
      for (const partition of [...held.keys()]) {
        await release(partition, 'stopping');
        // Given back at once: the next owner need not wait for the TTL.
        await kv.delete(partitionKey(partition)).catch(() => {});
      }
      await kv.delete(memberKey(instance)).catch(() => {});
    },
  };
}
