/** How many of a station's latest sequence numbers are remembered (16 KiB per station). */
export const SEQ_WINDOW = 1024;

export type SeqVerdict = 'new' | 'redelivery' | 'duplicate';

interface StationSeqs {
  edge: string;
  seqs: Float64Array;
  stamps: Float64Array;
  highest: number;
  newestTs: number;
}

/**
 * Which sequence numbers a station's edge has already sent, for its last SEQ_WINDOW numbers, with
 * each one's source timestamp: the same seq with the same timestamp is a redelivery (QoS 1 sends
 * again what was not acknowledged; stored again it lands on the same points), the same seq with
 * another timestamp is a duplicate (a replay or a forged message: refused). O(1) per message, no
 * allocation after a station's first. A seq older than the window cannot be judged and passes (a
 * spool's backlog from hours ago). An edge that restarted without its spool numbers from 0 again:
 * seq 0, or a seq far below the highest, with a newer timestamp than any seen starts the window afresh.
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
        seqs: new Float64Array(SEQ_WINDOW).fill(-1),
        stamps: new Float64Array(SEQ_WINDOW),
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
      held.seqs.fill(-1);
      held.highest = -1;
    }
    const slot = seq % SEQ_WINDOW;
    const there = held.seqs[slot]!;
    if (there === seq) return held.stamps[slot] === ts ? 'redelivery' : 'duplicate';
    if (ts > held.newestTs) held.newestTs = ts;
    // A newer seq holds the slot: this one is older than the window and cannot be judged.
    if (there > seq) return 'new';
    held.seqs[slot] = seq;
    held.stamps[slot] = ts;
    if (seq > held.highest) held.highest = seq;
    return 'new';
  }
}
