/** How many of a station's latest sequence numbers are remembered (8 KiB per station). */
export const SEQ_WINDOW = 1024;

export type SeqVerdict = 'new' | 'redelivery' | 'duplicate';

/** A slot holds its seq as the lap `floor(seq / SEQ_WINDOW) + 1` (0: empty), 32 bits. */
const MAX_LAP = 0xffff_ffff;
/** Stamps are held as 32-bit ms offsets from the station's epoch: ±24.8 days around it. */
const SPAN = 2 ** 31;

interface StationSeqs {
  edge: string;
  laps: Uint32Array;
  stamps: Int32Array;
  epoch: number;
  highest: number;
  newestTs: number;
}

/**
 * Which sequence numbers a station's edge has already sent, for its last SEQ_WINDOW numbers, with
 * each one's source timestamp: the same seq with the same timestamp is a redelivery (QoS 1 sends
 * again what was not acknowledged; stored again it lands on the same points), the same seq with
 * another timestamp is a duplicate (a replay or a forged message: refused). O(1) per message, no
 * allocation after a station's first. A seq older than the window cannot be judged and passes (a
 * spool's backlog from hours ago), nor can one dated 25 to 37 days before the newest (stamps are held
 * in 32 bits), nor a seq past 2^32 laps of the window (4.4e12). An edge that restarted without its spool numbers from 0
 * again: seq 0, or a seq far below the highest, with a newer timestamp than any seen starts the
 * window afresh.
 */
export class SeqWindows {
  readonly #sites = new Map<string, Map<string, StationSeqs>>();

  check(site: string, station: string, edge: string, seq: number, ts: number): SeqVerdict {
    let stations = this.#sites.get(site);
    if (!stations) {
      stations = new Map();
      this.#sites.set(site, stations);
    }
    let held = stations.get(station);
    if (!held) {
      held = {
        edge,
        laps: new Uint32Array(SEQ_WINDOW),
        stamps: new Int32Array(SEQ_WINDOW),
        epoch: ts,
        highest: -1,
        newestTs: Number.NEGATIVE_INFINITY,
      };
      stations.set(station, held);
    }
    // Another edge took the station over (its own numbering), or the edge restarted without its spool.
    // An edge numbers from 0 when it starts without its spool: seq 0 (or one far below the highest)
    // dated after everything seen is a restart, however few messages came before it.
    const restarted = ts > held.newestTs && (seq === 0 ? held.highest > 0 : seq < held.highest - SEQ_WINDOW);
    if (edge !== held.edge || restarted) {
      held.edge = edge;
      held.laps.fill(0);
      held.highest = -1;
    }
    const lap = Math.floor(seq / SEQ_WINDOW) + 1;
    if (lap > MAX_LAP) return 'new';
    const slot = seq % SEQ_WINDOW;
    const there = held.laps[slot]!;
    // A stamp outside the 32-bit span around the epoch equals none held.
    if (there === lap) return held.stamps[slot] === ts - held.epoch ? 'redelivery' : 'duplicate';
    if (ts > held.newestTs) held.newestTs = ts;
    // A newer seq holds the slot: this one is older than the window and cannot be judged.
    if (there > lap || ts - held.epoch < -SPAN) return 'new';
    if (ts - held.epoch >= SPAN) rebase(held, ts);
    held.laps[slot] = lap;
    held.stamps[slot] = ts - held.epoch;
    if (seq > held.highest) held.highest = seq;
    return 'new';
  }
}

/**
 * Moves the station's epoch so that `ts` is half a span above it; stamps that no longer fit are
 * forgotten with their seqs. Once every 12 days of a station's messages.
 */
function rebase(held: StationSeqs, ts: number): void {
  const epoch = ts - SPAN / 2;
  const shift = epoch - held.epoch;
  for (let slot = 0; slot < SEQ_WINDOW; slot++) {
    if (held.laps[slot] === 0) continue;
    const moved = held.stamps[slot]! - shift;
    if (moved < -SPAN) held.laps[slot] = 0;
    else held.stamps[slot] = moved;
  }
  held.epoch = epoch;
}
