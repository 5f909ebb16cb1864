import type { Profile } from '../../core/profile/schema.ts';
import type { EdgeStatus, Telemetry } from '../../core/telemetry/payloads.ts';
import type { ProfileRegistry } from '../profiles/profile-registry.ts';
import { EdgeRegistry } from './edge-registry.ts';
import { LatestValues, type StationLatest } from './latest-values.ts';

/**
 * How a telemetry message stands against what its station sent before:
 * - `live`: not older than the newest message; handed on to the consumers;
 * - `late`: older (a replayed backlog): its values fill gaps in the held state, nothing else sees it;
 * - `duplicate`: the newest message again (a QoS 1 redelivery): changes nothing;
 * - `future`: dated further ahead of the server's clock than `maxFutureSkewMs` (a forged message or
 *   a broken clock): quarantined, never held, judged or stored.
 */
export type Verdict = 'live' | 'late' | 'duplicate' | 'future';

/** A part of the server that follows stations' live messages (the alarm engine, health models). */
export interface StationConsumer {
  /**
   * One live message and the station's state just after it. Calls for one station come one at a
   * time, in source-time order, after whatever the station's queue held before; others run beside.
   */
  onTelemetry(message: Telemetry, station: StationLatest, receivedAt: number): Promise<void>;
  /** An edge's status, already in `edges`; the consumer queues what it does per station. */
  onEdgeStatus?(status: EdgeStatus, receivedAt: number): Promise<void>;
  /** The station is no longer this instance's to judge (its partition moved): drop what is kept of it. */
  onForget?(site: string, station: string): void;
}

/** Default for `maxFutureSkewMs`: edges keep NTP time; two minutes covers a drifting RTC. */
export const DEFAULT_MAX_FUTURE_SKEW_MS = 120_000;

export interface StationHubOptions {
  /** Profiles whose tag units the station views carry (a registry follows reloads). Default none. */
  profiles?: readonly Profile[] | ProfileRegistry;
  /** How far ahead of the server's clock a message may be dated before it is quarantined, ms. Default 120000. */
  maxFutureSkewMs?: number;
  /** A consumer or queued task that threw: reported here, and the queue goes on. Default: ignored. */
  onError?: (error: unknown, where: { site: string; station: string }) => void;
}

export interface Accepted {
  /** What the hub holds for the station now; undefined only for a quarantined first message. */
  station: StationLatest | undefined;
  verdict: Verdict;
  /** Settles once every consumer has handled the message (at once when it was not live). */
  done: Promise<void>;
}

/**
 * Each station's latest state, held once, and the one order its messages are taken in: one
 * out-of-order and duplicate check and one queue per station, through which every consumer sees
 * the live stream. Reads (the API, the live view) take `latest`; consumers keep only what they
 * derive (rule memory, health models), never their own copy of the readings or their own order.
 */
export class StationHub {
  readonly latest: LatestValues;
  /** Each edge's retained status: which stations it serves, and whether it is online. */
  readonly edges = new EdgeRegistry();
  readonly counts: Record<Verdict, number> = { live: 0, late: 0, duplicate: 0, future: 0 };
  private readonly maxFutureSkewMs: number;
  private readonly consumers: StationConsumer[] = [];
  private readonly queues = new Map<string, Promise<void>>();
  private evaluating = 0;

  constructor(private readonly options: StationHubOptions = {}) {
    this.latest = new LatestValues(options.profiles);
    this.maxFutureSkewMs = options.maxFutureSkewMs ?? DEFAULT_MAX_FUTURE_SKEW_MS;
  }

  /** Adds a consumer of every live message from now on; returns its removal. */
  subscribe(consumer: StationConsumer): () => void {
    this.consumers.push(consumer);
    return () => {
      const at = this.consumers.indexOf(consumer);
      if (at >= 0) this.consumers.splice(at, 1);
    };
  }

  /** Takes one valid telemetry message: updates the held state and queues the live ones. */
  accept(message: Telemetry, receivedAt: number): Accepted {
    const held = this.latest.get(message.site, message.station);
    const aheadMs = message.ts - receivedAt;
    if (aheadMs > this.maxFutureSkewMs) {
      // One message from 2099 would otherwise be the newest forever, and every real one after it late.
      this.counts.future += 1;
      this.edges.noteClockAhead(message.site, message.edge, aheadMs, receivedAt);
      return { station: held, verdict: 'future', done: Promise.resolve() };
    }
    const verdict = verdictOf(held, message);
    this.counts[verdict] += 1;
    if (verdict === 'duplicate') return { station: held!, verdict, done: Promise.resolve() };
    const station = this.latest.apply(message, receivedAt);
    if (verdict === 'late' || this.consumers.length === 0)
      return { station, verdict, done: Promise.resolve() };
    const consumers = [...this.consumers];
    this.evaluating += 1;
    const done = this.enqueue(message.site, message.station, async () => {
      try {
        await Promise.all(
          consumers.map((c) => this.guard(message, () => c.onTelemetry(message, station, receivedAt))),
        );
      } finally {
        this.evaluating -= 1;
      }
    });
    return { station, verdict, done };
  }

  /** Live messages accepted and not yet handled by every consumer (the rules' and models' backlog). */
  backlog(): number {
    return this.evaluating;
  }

  /** Takes an edge's status (its retained topic, or its last will) and tells the consumers. */
  edgeStatus(status: EdgeStatus, receivedAt: number): Promise<void> {
    this.edges.apply(status, receivedAt);
    const where = { site: status.site, station: '' };
    return Promise.all(
      this.consumers.map((c) => this.guard(where, async () => await c.onEdgeStatus?.(status, receivedAt))),
    ).then(() => {});
  }

  /**
   * Runs `task` in the station's queue: after every message and task queued for it before (the
   * alarm engine's timed evaluations take their turn among its messages).
   */
  enqueue(site: string, station: string, task: () => Promise<void>): Promise<void> {
    const key = `${site}/${station}`;
    const run = (this.queues.get(key) ?? Promise.resolve()).then(() => this.guard({ site, station }, task));
    this.queues.set(key, run);
    // The map keeps only the tail; once it settles with nothing behind it, the entry goes.
    void run.then(() => {
      if (this.queues.get(key) === run) this.queues.delete(key);
    });
    return run;
  }

  /**
   * Drops the station's held state and tells the consumers to drop theirs, after whatever its queue
   * holds: another instance owns it now and judges it (scale-out), so nothing here may go stale.
   */
  forget(site: string, station: string): Promise<void> {
    return this.enqueue(site, station, async () => {
      this.latest.delete(site, station);
      for (const consumer of this.consumers) consumer.onForget?.(site, station);
    });
  }

  /** Settles once every queued message and task has been handled (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.queues.size > 0) await Promise.all([...this.queues.values()]);
  }

  private async guard(where: { site: string; station: string }, task: () => Promise<void>): Promise<void> {
    try {
      await task();
    } catch (error) {
      this.options.onError?.(error, { site: where.site, station: where.station });
    }
  }
}

/** The one ordering check: by source time, then by sequence at the same instant. Pure. */
export function verdictOf(held: StationLatest | undefined, message: Telemetry): Verdict {
  if (!held) return 'live';
  if (message.ts < held.ts) return 'late';
  if (message.ts === held.ts && message.seq === held.seq && message.edge === held.edge) return 'duplicate';
  return 'live';
}
