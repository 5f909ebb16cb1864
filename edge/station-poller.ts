import type { Logger } from '../core/log.ts';
import { decodeTag, registerContentAt, tagWidth } from '../core/modbus/codec.ts';
import { planReads, type ReadRequest } from '../core/modbus/request-planner.ts';
import type { Profile, Tag } from '../core/profile/schema.ts';
import type { StationEvent, StationState, TelemetryValue } from '../core/telemetry/payloads.ts';
import type { EffectiveStationSettings, PollClass } from './config.ts';
import { deriveReadings } from './derived-readings.ts';
import {
  EXCEPTION_NAMES,
  isNoAnswer,
  ModbusExceptionError,
  type ModbusSource,
  ModbusTimeoutError,
} from './modbus-source.ts';
import type { PollGovernor } from './poll-governor.ts';
import { advanceSchedule, dueClasses, msUntilDue, type Schedule } from './poll-schedule.ts';
import { EMPTY_HISTORY, evaluateQuality, NOT_AVAILABLE, type TagHistory, type TagRead } from './quality.ts';

/** What one cycle read: the telemetry payload minus what the publisher adds (site, edge, seq). */
export interface StationReadings {
  station: string;
  model: string;
  /** When the cycle started reading (ms since the epoch). */
  ts: number;
  state: StationState;
  classes: PollClass[];
  values: Record<string, TelemetryValue>;
}

export type StationEventOut = Pick<StationEvent, 'type' | 'ts' | 'detail'>;

export interface StationPollerOptions {
  stationId: string;
  profile: Profile;
  source: ModbusSource;
  settings: EffectiveStationSettings;
  /** Quality and comms-loss thresholds (see config.ts for defaults). */
  quality: {
    staleAfterIntervals: number;
    frozenAfter: number;
    frozenAfterMs?: number;
    commsLossCycles: number;
  };
  onReadings: (readings: StationReadings) => void;
  onEvent: (event: StationEventOut) => void;
  onStateChange?: (state: StationState) => void;
  /**
   * Delay of the first cycle, ms: stations of one edge start spread across the interval, so their
   * reads and messages come evenly rather than in one burst per interval. Default 0.
   */
  phaseMs?: number;
  /** Clock, for tests. Default Date.now. */
  now?: () => number;
  /** The edge's poll governor: stretches intervals under overload and defers cycles under back-pressure. */
  governor?: PollGovernor;
  /** Extra CPU time burnt per cycle, ms (tests and benches: an edge starved of CPU). Default 0. */
  burnMsPerCycle?: number | (() => number);
  logger?: Logger;
}

export interface StationStats {
  cycles: number;
  /** Read requests sent (retries included). */
  reads: number;
  /** Reads that ended without data: timeouts, no connection, exceptions. */
  readErrors: number;
  timeouts: number;
  /** Exception replies by Modbus exception code. */
  exceptions: Record<string, number>;
  /** Reads left out of a cycle because an earlier one got no reply. */
  skippedReads: number;
  /** Due times passed over because a cycle overran. */
  missedCycles: number;
  /** Cycles left out because the publishing side pushed back (the governor's back-pressure). */
  deferredCycles: number;
  /** Cycles the edge's stop cut short: their readings were not handed on (a half-read cycle is no news). */
  cutShortCycles: number;
  lastCycleMs: number;
  state: StationState;
}

type PlannedTag = Tag & { width: number };

/**
 * One station's poll loop. Each cycle runs the planned reads of the classes that are due through the
 * station's source: all at once when the source keeps several requests on the wire, else one at a
 * time, where a read that gets no reply after its retries ends the cycle's reading (the device is not
 * answering, so the rest would only add timeouts). An exception reply fails only its own read.
 */
export class StationPoller {
  readonly #o: StationPollerOptions;
  readonly #now: () => number;
  readonly #plans = new Map<string, readonly ReadRequest<PlannedTag>[]>();
  readonly #history = new Map<string, TagHistory>();
  readonly #exceptionAt = new Map<string, number>();
  #noAnswerCycles = 0;
  #stopped = false;
  #loop: Promise<void> | undefined;
  /** Sleeps in progress (the loop's, and each read's retry backoff when reads run together). */
  readonly #sleepers = new Set<() => void>();
  readonly #stats: StationStats = {
    cycles: 0,
    reads: 0,
    readErrors: 0,
    timeouts: 0,
    exceptions: {},
    skippedReads: 0,
    cutShortCycles: 0,
    missedCycles: 0,
    deferredCycles: 0,
    lastCycleMs: 0,
    state: 'ok',
  };

  constructor(options: StationPollerOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
  }

  stats(): StationStats {
    return { ...this.#stats, exceptions: { ...this.#stats.exceptions } };
  }

  /** The reads a cycle of these classes makes (planned once, then reused; read-only). */
  plan(classes: readonly PollClass[]): readonly ReadRequest<PlannedTag>[] {
    const key = [...classes].sort().join('+');
    let plan = this.#plans.get(key);
    if (!plan) {
      plan = sharedPlan(this.#o.profile, classes, this.#o.settings);
      this.#plans.set(key, plan);
    }
    return plan;
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  /** Ends the loop after the cycle in progress (bounded by its reads' timeouts). */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const wake of this.#sleepers) wake();
    await this.#loop;
  }

  async #run(): Promise<void> {
    const planned: Schedule = this.#o.settings.intervals;
    const governor = this.#o.governor;
    const first = this.#now() + (this.#o.phaseMs ?? 0);
    let nextDue: Schedule = { fast: first, slow: first };
    const lastRead: Partial<Schedule> = {};
    while (!this.#stopped) {
      const intervals = governor ? governor.intervals(planned) : planned;
      const now = this.#now();
      const due = dueClasses(nextDue, intervals, now);
      if (due.length === 0) {
        await this.#sleep(msUntilDue(nextDue, now));
        continue;
      }
      if (governor && !governor.admit()) {
        // The publishing side is full: this cycle is left out (and counted) rather than queued.
        this.#stats.deferredCycles += 1;
        nextDue = advanceSchedule(nextDue, intervals, due, now).nextDue;
        continue;
      }
      governor?.noteCycle(
        due.map((c) => ({
          c,
          lagMs: now - nextDue[c],
          ...(lastRead[c] === undefined ? {} : { sinceLastMs: now - lastRead[c] }),
        })),
      );
      for (const c of due) lastRead[c] = now;
      try {
        await this.runCycle(due);
      } catch (error) {
        // A bug here must not end the station's loop; it is logged and the next cycle runs.
        this.#o.logger?.error({ station: this.#o.stationId, err: error }, 'poll cycle failed');
      }
      const advanced = advanceSchedule(nextDue, intervals, due, this.#now());
      nextDue = advanced.nextDue;
      this.#stats.missedCycles += advanced.missed;
      if (governor && advanced.missed > 0) for (const c of due) governor.noteMissed(c, advanced.missed);
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#sleepers.add(done);
    });
  }

  /**
   * Reads the classes once, evaluates quality, hands the readings on and returns them; a cycle cut
   * short by stop() is returned without values and not handed on.
   */
  async runCycle(classes: readonly PollClass[]): Promise<StationReadings> {
    const started = this.#now();
    const burnMs = this.#o.burnMsPerCycle;
    if (burnMs) burn(typeof burnMs === 'function' ? burnMs() : burnMs);
    const reads = new Map<string, TagRead>();
    let answered = 0;
    let unanswered = 0;
    let failed = 0;
    let cutShort = false;
    const plan = this.plan(classes);
    // A source that keeps several requests on the wire gets the whole cycle at once (one packet);
    // otherwise reads go one at a time and the first one unanswered ends the cycle's reading.
    const together = this.#o.source.concurrentReads ? await this.#readAll(plan) : undefined;
    for (let i = 0; i < plan.length; i++) {
      const request = plan[i]!;
      if (!together) {
        cutShort ||= this.#stopped;
        if (unanswered > 0 || cutShort) {
          this.#stats.skippedReads += 1;
          failed += 1;
          continue;
        }
      }
      const outcome = together ? together[i]! : await this.#attempt(request);
      if (!(outcome instanceof Error)) {
        answered += 1;
        this.#exceptionAt.delete(blockKey(request));
        for (const { tag, index } of request.tags) reads.set(tag.meaning, readTag(tag, outcome, index));
        continue;
      }
      failed += 1;
      if (outcome instanceof ModbusExceptionError) {
        answered += 1;
        this.#onException(request, outcome);
      } else if (isNoAnswer(outcome)) {
        unanswered += 1;
      } else {
        this.#o.logger?.error({ station: this.#o.stationId, err: outcome }, 'read failed unexpectedly');
      }
    }
    // Read together, the cycle is whole unless a read failed while the edge was stopping (its retry
    // was skipped): then it says nothing of the station, as a cycle cut short one at a time.
    if (together) cutShort = this.#stopped && failed > 0;
    if (cutShort) {
      // Reads skipped because the edge is stopping say nothing of the station: no state change, and
      // no message that would show it degraded at every restart.
      this.#stats.cutShortCycles += 1;
      return {
        station: this.#o.stationId,
        model: this.#o.profile.model,
        ts: started,
        state: this.#stats.state,
        classes: [...classes],
        values: {},
      };
    }
    const values: Record<string, TelemetryValue> = {};
    for (const tag of this.#o.profile.tags) {
      if (!classes.includes(tag.poll)) continue;
      const staleAfterMs = this.#o.quality.staleAfterIntervals * this.#o.settings.intervals[tag.poll];
      const kept = this.#history.get(tag.meaning);
      const result = evaluateQuality(
        tag,
        reads.get(tag.meaning) ?? { ok: false },
        started,
        kept ?? EMPTY_HISTORY,
        {
          staleAfterMs,
          frozenAfter: this.#o.quality.frozenAfter,
          frozenAfterMs: this.#o.quality.frozenAfterMs ?? 0,
        },
      );
      // Copied into the record kept since the first cycle: a new one per tag and cycle would outlive
      // V8's young generation (a cycle apart) and pile up in the old one until a full GC.
      if (kept) Object.assign(kept, result.history);
      else this.#history.set(tag.meaning, { ...result.history });
      values[tag.meaning] = result.value;
    }
    if (this.#o.profile.derived.length > 0) deriveReadings(this.#o.profile.derived, values);
    const state = this.#nextState(answered, failed);
    this.#stats.cycles += 1;
    this.#stats.lastCycleMs = this.#now() - started;
    const readings: StationReadings = {
      station: this.#o.stationId,
      model: this.#o.profile.model,
      ts: started,
      state,
      classes: [...classes],
      values,
    };
    this.#o.onReadings(readings);
    return readings;
  }

  #nextState(answered: number, failed: number): StationState {
    const before = this.#stats.state;
    let state: StationState;
    if (answered === 0 && failed > 0) {
      this.#noAnswerCycles += 1;
      state = this.#noAnswerCycles >= this.#o.quality.commsLossCycles ? 'comms_failed' : 'degraded';
      if (before === 'comms_failed') state = 'comms_failed';
    } else {
      this.#noAnswerCycles = 0;
      state = failed > 0 ? 'degraded' : 'ok';
    }
    if (state === before) return state;
    this.#stats.state = state;
    const ts = this.#now();
    if (state === 'comms_failed') {
      this.#o.onEvent({ type: 'comms_lost', ts, detail: `no reply in ${this.#noAnswerCycles} cycle(s)` });
    } else if (before === 'comms_failed') {
      this.#o.onEvent({ type: 'comms_restored', ts, detail: `station answers again (${state})` });
    }
    this.#o.onStateChange?.(state);
    return state;
  }

  #attempt(request: ReadRequest<PlannedTag>): Promise<number[] | boolean[] | Error> {
    return this.#readWithRetry(request).catch((error: unknown) =>
      error instanceof Error ? error : new Error(String(error)),
    );
  }

  #readAll(plan: readonly ReadRequest<PlannedTag>[]): Promise<Array<number[] | boolean[] | Error>> {
    return Promise.all(plan.map((request) => this.#attempt(request)));
  }

  async #readWithRetry(request: ReadRequest<PlannedTag>): Promise<number[] | boolean[]> {
    const { retries, backoffMs, maxBackoffMs } = this.#o.settings;
    for (let attempt = 0; ; attempt++) {
      this.#stats.reads += 1;
      try {
        return await this.#o.source.read(request.area, request.address, request.count);
      } catch (error) {
        this.#stats.readErrors += 1;
        if (error instanceof ModbusTimeoutError) this.#stats.timeouts += 1;
        // Only a timeout is worth another try now; a refused connection waits for its reconnect backoff.
        if (!(error instanceof ModbusTimeoutError) || attempt >= retries || this.#stopped) throw error;
        await this.#sleep(Math.min(backoffMs * 2 ** attempt, maxBackoffMs));
      }
    }
  }

  /** Counts every exception; raises an event only when a read starts failing or its code changes. */
  #onException(request: ReadRequest<PlannedTag>, error: ModbusExceptionError): void {
    const code = String(error.code);
    this.#stats.exceptions[code] = (this.#stats.exceptions[code] ?? 0) + 1;
    const key = blockKey(request);
    if (this.#exceptionAt.get(key) === error.code) return;
    this.#exceptionAt.set(key, error.code);
    const meanings = request.tags.map((t) => t.tag.meaning).join(', ');
    this.#o.onEvent({
      type: 'modbus_exception',
      ts: this.#now(),
      detail:
        `exception ${error.code} (${EXCEPTION_NAMES[error.code] ?? 'unknown'}) reading ${request.area} ${request.address}+${request.count}: ${meanings}`.slice(
          0,
          500,
        ),
    });
  }
}

/**
 * Plans by profile, classes and gap settings. Stations of one model share their plans: each plan
 * holds a copy of every tag it reads, so a plan per station cost ~80 kB of heap a station (8 MB
 * at 100 stations of the same model) for identical data.
 */
const plansByProfile = new WeakMap<Profile, Map<string, readonly ReadRequest<PlannedTag>[]>>();

function sharedPlan(
  profile: Profile,
  classes: readonly PollClass[],
  settings: Pick<EffectiveStationSettings, 'maxRegisterGap' | 'maxBitGap'>,
): readonly ReadRequest<PlannedTag>[] {
  let plans = plansByProfile.get(profile);
  if (!plans) {
    plans = new Map();
    plansByProfile.set(profile, plans);
  }
  const key = `${[...classes].sort().join('+')}/${settings.maxRegisterGap}/${settings.maxBitGap}`;
  let plan = plans.get(key);
  if (!plan) {
    const tags = profile.tags
      .filter((t) => classes.includes(t.poll))
      .map((t) => ({ ...t, width: tagWidth(t) }));
    plan = planReads(tags, { maxRegisterGap: settings.maxRegisterGap, maxBitGap: settings.maxBitGap });
    plans.set(key, plan);
  }
  return plan;
}

/** Keeps the thread busy for `ms` (an edge short of CPU, for tests and benches). */
function burn(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy on purpose
  }
}

function blockKey(request: ReadRequest): string {
  return `${request.area}:${request.address}:${request.count}`;
}

/** A tag's value from its read block, or the device's "no value" code the profile names. */
function readTag(tag: Tag, block: ArrayLike<number> | ArrayLike<boolean>, index: number): TagRead {
  if (tag.notAvailableRaw?.includes(registerContentAt(tag, block as ArrayLike<number>, index))) {
    return NOT_AVAILABLE;
  }
  const value = decodeTag(tag, block, index);
  if (tag.notAvailableNaN && typeof value === 'number' && Number.isNaN(value)) return NOT_AVAILABLE;
  return { ok: true, value };
}
