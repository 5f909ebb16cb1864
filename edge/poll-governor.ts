import type { PollClass } from './config.ts';

export interface PollGovernorOptions {
  /** The edge's planned interval per class, ms (a station's own override is stretched by the same factor). */
  planned: Record<PollClass, number>;
  /** Length of the window over which lag is judged, ms. Default 5000. */
  windowMs?: number;
  /** Largest stretch of a class's interval. Default 8. */
  maxStretch?: number;
  /** A window is overloaded when the classes' mean lag passes this share of their interval. Default 0.25. */
  overloadLag?: number;
  /** A window is calm when every class's mean lag stays under this share. Default 0.05. */
  calmLag?: number;
  /** Calm windows in a row before a stretch is taken back one step. Default 2. */
  calmWindows?: number;
  /**
   * Back-pressure from the publishing side: 1 means full (messages waiting for the spool, or the
   * window of messages waiting for their PUBACK). At 1 or more a cycle is deferred, not queued.
   */
  pressure?: () => number;
  now?: () => number;
  /** Told when a stretch changes (the edge republishes its status and logs it). */
  onChange?: (snapshot: PollingSnapshot) => void;
}

export interface PollClassSnapshot {
  plannedMs: number;
  /** The interval the edge aims at now: planned x stretch. */
  targetMs: number;
  stretch: number;
  /** Mean interval between two reads of the class by one station in the last window (null before one). */
  actualMs: number | null;
  /** Mean lateness of the class's reads in the last window, ms. */
  lagMs: number;
  /** Due times passed over in the last window. */
  missed: number;
}

export interface PollingSnapshot {
  /** Any class read less often than planned. */
  stretched: boolean;
  classes: Record<string, PollClassSnapshot>;
  /** Cycles left out because the publishing side was full (back-pressure), since start. */
  deferred: number;
  /** Times a class was stretched, and taken back, since start. */
  stretches: number;
  recoveries: number;
}

interface Window {
  lagSum: number;
  intervalSum: number;
  reads: number;
  intervals: number;
  missed: number;
}

const emptyWindow = (): Window => ({ lagSum: 0, intervalSum: 0, reads: 0, intervals: 0, missed: 0 });

/**
 * Keeps an edge's poll plan within what it can do. The stations' poll loops tell it how late each
 * cycle started; over each window, when reads run late (or are missed, or the publishing side pushes
 * back) it doubles the interval of the slowest class not yet at its limit, so the fast class is
 * stretched last; after calm windows it takes the stretch back, fastest class first. The pollers read
 * their intervals from it, so the load falls instead of a queue growing.
 */
export class PollGovernor {
  readonly #o: Required<Omit<PollGovernorOptions, 'onChange'>> & Pick<PollGovernorOptions, 'onChange'>;
  readonly #classes: PollClass[];
  readonly #stretch: Record<string, number> = {};
  #window: Record<string, Window> = {};
  #last: Record<string, PollClassSnapshot> = {};
  #windowStart: number;
  #pressured = false;
  #calm = 0;
  #deferred = 0;
  #stretches = 0;
  #recoveries = 0;

  constructor(options: PollGovernorOptions) {
    this.#o = {
      windowMs: 5000,
      maxStretch: 8,
      overloadLag: 0.25,
      calmLag: 0.05,
      calmWindows: 2,
      pressure: () => 0,
      now: Date.now,
      ...options,
    };
    // Slowest first: the order in which classes are stretched.
    this.#classes = (Object.keys(options.planned) as PollClass[]).sort(
      (a, b) => options.planned[b] - options.planned[a],
    );
    for (const c of this.#classes) {
      this.#stretch[c] = 1;
      this.#window[c] = emptyWindow();
    }
    this.#windowStart = this.#o.now();
    this.#last = this.#snapshotClasses();
  }

  /** The factor a class's interval is stretched by now (1: as planned). */
  stretch(c: PollClass): number {
    return this.#stretch[c] ?? 1;
  }

  /** Intervals stretched as the governor says. */
  intervals(planned: Readonly<Record<PollClass, number>>): Record<PollClass, number> {
    const out = { ...planned };
    for (const c of Object.keys(out) as PollClass[]) out[c] = planned[c] * this.stretch(c);
    return out;
  }

  /** Whether a cycle may run now; false (counted) while the publishing side is full. */
  admit(): boolean {
    this.#roll();
    if (this.#o.pressure() < 1) return true;
    this.#pressured = true;
    this.#deferred += 1;
    return false;
  }

  /** A cycle of these classes started `lagMs` after it was due; `sinceLastMs` since the station's last read of each. */
  noteCycle(reads: ReadonlyArray<{ c: PollClass; lagMs: number; sinceLastMs?: number }>): void {
    this.#roll();
    for (const { c, lagMs, sinceLastMs } of reads) {
      const w = this.#window[c];
      if (!w) continue;
      w.reads += 1;
      w.lagSum += Math.max(0, lagMs);
      if (sinceLastMs !== undefined) {
        w.intervals += 1;
        w.intervalSum += sinceLastMs;
      }
    }
  }

  noteMissed(c: PollClass, count: number): void {
    const w = this.#window[c];
    if (w && count > 0) w.missed += count;
  }

  snapshot(): PollingSnapshot {
    this.#roll();
    return {
      stretched: this.#classes.some((c) => this.#stretch[c]! > 1),
      classes: structuredClone(this.#last),
      deferred: this.#deferred,
      stretches: this.#stretches,
      recoveries: this.#recoveries,
    };
  }

  /** Closes the window when it is over: judges it and stretches or relaxes one class. */
  #roll(): void {
    const now = this.#o.now();
    if (now - this.#windowStart < this.#o.windowMs) return;
    const lastTargets = this.#classes.map((c) => this.#stretch[c]);
    this.#last = this.#snapshotClasses();
    const lagShare = (c: PollClass) => this.#last[c]!.lagMs / this.#last[c]!.targetMs;
    const missed = this.#classes.some((c) => this.#last[c]!.missed > 0);
    const pressured = this.#pressured || this.#o.pressure() >= 0.8;
    const overloaded = missed || pressured || this.#classes.some((c) => lagShare(c) > this.#o.overloadLag);
    const calm = !missed && !pressured && this.#classes.every((c) => lagShare(c) < this.#o.calmLag);
    if (overloaded) {
      this.#calm = 0;
      const c = this.#classes.find((k) => this.#stretch[k]! < this.#o.maxStretch);
      if (c) {
        this.#stretch[c] = Math.min(this.#o.maxStretch, this.#stretch[c]! * 2);
        this.#stretches += 1;
      }
    } else if (calm && ++this.#calm >= this.#o.calmWindows) {
      this.#calm = 0;
      const c = [...this.#classes].reverse().find((k) => this.#stretch[k]! > 1);
      if (c) {
        this.#stretch[c] = Math.max(1, this.#stretch[c]! / 2);
        this.#recoveries += 1;
      }
    } else if (!calm) {
      this.#calm = 0;
    }
    for (const c of this.#classes) this.#window[c] = emptyWindow();
    this.#pressured = false;
    this.#windowStart = now;
    if (this.#classes.some((c, i) => this.#stretch[c] !== lastTargets[i])) {
      for (const c of this.#classes) {
        this.#last[c]!.stretch = this.#stretch[c]!;
        this.#last[c]!.targetMs = this.#o.planned[c] * this.#stretch[c]!;
      }
      this.#o.onChange?.(this.snapshot());
    }
  }

  #snapshotClasses(): Record<string, PollClassSnapshot> {
    const out: Record<string, PollClassSnapshot> = {};
    for (const c of this.#classes) {
      const w = this.#window[c]!;
      const stretch = this.#stretch[c]!;
      out[c] = {
        plannedMs: this.#o.planned[c],
        targetMs: this.#o.planned[c] * stretch,
        stretch,
        actualMs: w.intervals > 0 ? Math.round(w.intervalSum / w.intervals) : null,
        lagMs: w.reads > 0 ? Math.round(w.lagSum / w.reads) : 0,
        missed: w.missed,
      };
    }
    return out;
  }
}
