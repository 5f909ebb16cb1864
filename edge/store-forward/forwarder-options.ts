import type { SpoolFault, SpoolState } from './spool-fault.ts';
import type { EvictionReason } from './spool-index.ts';

/** Store-and-forward settings (edge config `spool`). */
export interface StoreForwardOptions {
  /** Most bytes of telemetry held for the broker; past it the oldest go first. Default 100 MiB. */
  maxBytes?: number;
  /** Telemetry older than this (source time) is dropped from the spool, ms. Default 7 days. */
  maxAgeMs?: number;
  /** Spooled messages replayed per second after a reconnect, beside live ones. Default 200. */
  drainPerSecond?: number;
  /** Messages handed to MQTT and waiting for their PUBACK, live and replayed. Default 200. */
  maxInFlight?: number;
  /** While the spool cannot write, messages wait for their PUBACK in memory, up to this many bytes. Default 16 MiB. */
  memoryMaxBytes?: number;
  /** How often a spool that cannot write is tried again, ms. Default 5000. */
  retryMs?: number;
  /** With nothing waiting, the spool is truncated once this many bytes were written to it. Default 1 MiB. */
  truncateAfterBytes?: number;
  /**
   * How long a submitted message waits for others to share its spool write, ms. Default 20: at 1,000
   * messages a second a LevelDB batch of one cost ~4x the CPU per message of a batch of twenty.
   */
  writeLingerMs?: number;
  /** How long an acknowledged message waits for others to share its delete, ms. Default 100. */
  removeLingerMs?: number;
}

export const STORE_FORWARD_DEFAULTS = {
  maxBytes: 100 * 1024 * 1024,
  maxAgeMs: 7 * 24 * 3600_000,
  drainPerSecond: 200,
  maxInFlight: 200,
  memoryMaxBytes: 16 * 1024 * 1024,
  retryMs: 5000,
  truncateAfterBytes: 1024 * 1024,
  writeLingerMs: 20,
  removeLingerMs: 100,
} as const satisfies Required<StoreForwardOptions>;

export interface ForwarderStats {
  /** Messages held (in flight and backlog) and their bytes. */
  entries: number;
  bytes: number;
  inFlight: number;
  /** Held and not handed to MQTT: waiting for the broker. */
  backlog: number;
  /** Messages acknowledged by the broker. */
  acked: number;
  /** Messages sent from the backlog (after a disconnect or a restart). */
  replayed: number;
  /** Messages evicted before the broker had them, by reason. */
  evicted: Record<EvictionReason, number>;
  /** Spool writes that failed (the message then went on without the spool, see `unspooled`). */
  spoolErrors: number;
  /** ok, or why the spool is skipped: full, read_only, unavailable. */
  state: SpoolState;
  /** Why the spool is skipped: ENOSPC, EROFS, EACCES, CORRUPT, ... (absent while ok). */
  code?: string;
  /** Messages that skipped the disk (held in memory until their PUBACK) because the spool could not write. */
  unspooled: number;
  /** Of those, acknowledged by the broker: sent live without a spool. */
  sentLive: number;
  /** Messages that never reached the broker and are gone: evicted (size, age) or no room in memory. */
  lost: number;
  /** Messages refused because the spool could not write and the memory fallback was full. */
  memoryFull: number;
  /** Times the spool was truncated with nothing waiting (to keep its directory small). */
  truncations: number;
  /** Spool writes of grouped messages (one per batch: messages / batches is the grouping). */
  batches: number;
}

/** Told whenever the spool's state changes (the edge republishes its status). */
export type SpoolStateListener = (state: SpoolState, fault: SpoolFault | undefined) => void;
