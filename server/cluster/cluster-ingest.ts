import { hostname } from 'node:os';
import {
  type JetStreamManager,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
} from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect, type NatsConnection, nanos } from '@nats-io/transport-node';
import type { Logger } from '../../core/log.ts';
import type { IngestHandler } from '../ingest/pipeline.ts';
import { type PartitionConsumer, startPartitionConsumer } from './partition-consumer.ts';
import { type PartitionLeases, startPartitionLeases } from './partition-leases.ts';
import { allPartitionSubjects, INGEST_STREAM } from './subjects.ts';

/** Scale-out ingest: which NATS, how many partitions, and the lease timings. */
export interface ClusterOptions {
  /** nats:// URL(s) of nats-server with JetStream (the edges speak MQTT to its MQTT listener). */
  natsUrl: string;
  /** Partitions of the station space; must equal the partition(N, ...) of the nats-server mapping. */
  partitions: number;
  /** This instance's name among the servers. Default `<hostname>-<pid>`. */
  instance?: string;
  /** Lease TTL: a dead instance's partitions are claimed by others this long after its last renewal. Default 5000 ms (renewed every second: four renewals may stall before another claims). */
  leaseTtlMs?: number;
  /** Lease renewal and claim round. Default 1000 ms. */
  roundEveryMs?: number;
  /** Wait after joining before claiming, so instances started together split the partitions. Default 3000 ms. */
  settleMs?: number;
  /** Redelivery of an unacknowledged message (kept "in progress" while its store write is retried). Default 10000 ms. */
  ackWaitMs?: number;
  /** Deliveries outstanding per partition. Default 1000. */
  maxAckPending?: number;
}

/** What the instance must drop when a partition moves away: its stations are another's to judge. */
export type ForgetStation = (site: string, station: string) => Promise<void>;

export interface ClusterIngest {
  instance: string;
  /** Partitions this instance consumes now. */
  owned(): number[];
  connected(): boolean;
  /** Messages being handled across the owned partitions. */
  inFlight(): number;
  /** Gives every partition back (after storing what is in hand) and closes the connection. */
  stop(): Promise<void>;
}

export const LEASE_BUCKET = 'aftercare-partition-leases';

/**
 * Ingest from NATS JetStream, station-affine: telemetry and events land in partitions by a hash of
 * site and station (nats-server's subject mapping), each partition is consumed by exactly one live
 * instance at a time (a lease), in order, and moves to another instance within the lease TTL plus a
 * round when its owner dies. The stream is created when missing.
 */
export async function startClusterIngest(
  options: ClusterOptions,
  handle: IngestHandler,
  logger: Logger,
  forget: ForgetStation = async () => {},
): Promise<ClusterIngest> {
  const instance = options.instance ?? `${hostname()}-${process.pid}`;
  const nc: NatsConnection = await connect({
    servers: options.natsUrl.split(',').map((url) => url.trim()),
    name: `aftercare-server ${instance}`,
    maxReconnectAttempts: -1,
  });
  try {
    const jsm = await jetstreamManager(nc);
    await ensureStream(jsm);
    const js = jetstream(nc);
    const ttlMs = options.leaseTtlMs ?? 5000;
    // The bucket's expiry only clears dead keys away; leases are judged by their write time.
    const kv = await new Kvm(js).create(LEASE_BUCKET, { ttl: ttlMs * 4, history: 1 });
    /** Each owned partition's consumer, as it starts (a lease may be lost before it has started). */
    const consumers = new Map<number, Promise<PartitionConsumer | undefined>>();
    const running = new Map<number, PartitionConsumer>();
    /** Stations seen per owned partition: forgotten when it moves away, so none goes stale here. */
    const stationsOf = new Map<number, Map<string, { site: string; station: string }>>();
    const handleOf =
      (partition: number): IngestHandler =>
      (topic, payload, signal) => {
        const [, , site, station] = topic.split('/');
        const seen = stationsOf.get(partition) ?? new Map();
        stationsOf.set(partition, seen);
        if (site && station && !seen.has(`${site}/${station}`))
          seen.set(`${site}/${station}`, { site, station });
        return handle(topic, payload, signal);
      };
    const leases: PartitionLeases = startPartitionLeases({
      kv,
      instance,
      partitions: options.partitions,
      ttlMs,
      roundEveryMs: options.roundEveryMs ?? 1000,
      settleMs: options.settleMs ?? 3000,
      logger,
      onAcquired: async (partition) => {
        const starting = startPartitionConsumer({
          js,
          jsm,
          partition,
          handle: handleOf(partition),
          ackWaitMs: options.ackWaitMs ?? 10_000,
          maxAckPending: options.maxAckPending ?? 1000,
          logger,
        });
        consumers.set(
          partition,
          starting.catch(() => undefined),
        );
        running.set(partition, await starting);
      },
      onReleased: async (partition, why) => {
        const consumer = await consumers.get(partition);
        consumers.delete(partition);
        running.delete(partition);
        // A lost lease may already be another's: stop at once; a graceful stop stores what is in hand.
        await consumer?.stop(why === 'stopping');
        const stations = [...(stationsOf.get(partition)?.values() ?? [])];
        stationsOf.delete(partition);
        if (why === 'lost') await Promise.all(stations.map(({ site, station }) => forget(site, station)));
        logger.info({ partition, why, forgotten: stations.length }, 'partition released');
      },
    });
    logger.info({ instance, partitions: options.partitions }, 'cluster ingest started');
    return {
      instance,
      owned: leases.owned,
      connected: () => !nc.isClosed() && nc.info !== undefined,
      inFlight: () => {
        let count = 0;
        for (const consumer of running.values()) count += consumer.inFlight();
        return count;
      },
      async stop() {
        await leases.stop();
        await nc.drain().catch(() => nc.close());
      },
    };
  } catch (error) {
    await nc.close();
    throw error;
  }
}

/** The work-queue stream of partitioned telemetry and events; several instances may race to add it. */
async function ensureStream(jsm: JetStreamManager): Promise<void> {
  try {
    await jsm.streams.info(INGEST_STREAM);
    return;
  } catch {
    // not there yet
  }
  try {
    await jsm.streams.add({
      name: INGEST_STREAM,
      subjects: [allPartitionSubjects],
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
      // A week of backlog while no server runs; older telemetry is dropped by the stream.
      max_age: nanos(7 * 24 * 3_600_000),
    });
  } catch (error) {
    await jsm.streams.info(INGEST_STREAM).catch(() => {
      throw error;
    });
  }
}
