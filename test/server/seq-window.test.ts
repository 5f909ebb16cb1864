import { describe, expect, test } from 'vitest';
import { SEQ_WINDOW, SeqWindows } from '../../server/ingest/seq-window.ts';

const T0 = 1_700_000_000_000;

describe('sequence numbers a station already sent', () => {
  test('250 messages with one seq: the first is new, the other 249 are duplicates', () => {
    const seqs = new SeqWindows();
    const verdicts = Array.from({ length: 250 }, (_, i) => seqs.check('s', 'st1', 'e1', 5, T0 + i));
    expect(verdicts[0]).toBe('new');
    expect(verdicts.filter((v) => v === 'duplicate')).toHaveLength(249);
  });

  test('the same seq and timestamp again is a QoS 1 redelivery, not a duplicate', () => {
    const seqs = new SeqWindows();
    expect(seqs.check('s', 'st1', 'e1', 7, T0)).toBe('new');
    expect(seqs.check('s', 'st1', 'e1', 7, T0)).toBe('redelivery');
  });

  test('a spool backlog arriving after live messages is new; replayed once more it is not', () => {
    const seqs = new SeqWindows();
    for (let seq = 500; seq < 600; seq++) seqs.check('s', 'st1', 'e1', seq, T0 + seq * 250);
    for (let seq = 400; seq < 500; seq++)
      expect(seqs.check('s', 'st1', 'e1', seq, T0 + seq * 250)).toBe('new');
    expect(seqs.check('s', 'st1', 'e1', 450, T0 + 1)).toBe('duplicate');
  });

  test('stations, sites and edges are apart; an edge restarted without its spool numbers afresh', () => {
    const seqs = new SeqWindows();
    expect(seqs.check('s', 'st1', 'e1', 1, T0)).toBe('new');
    expect(seqs.check('s', 'st2', 'e1', 1, T0 + 1)).toBe('new');
    expect(seqs.check('t', 'st1', 'e1', 1, T0 + 2)).toBe('new');
    for (let seq = 2; seq < 3 * SEQ_WINDOW; seq++) seqs.check('s', 'st1', 'e1', seq, T0 + seq);
    // Restarted: seq 0 again, dated after everything seen.
    expect(seqs.check('s', 'st1', 'e1', 0, T0 + 10 * SEQ_WINDOW)).toBe('new');
    expect(seqs.check('s', 'st1', 'e1', 1, T0 + 10 * SEQ_WINDOW + 1)).toBe('new');
    expect(seqs.check('s', 'st1', 'e1', 1, T0 + 10 * SEQ_WINDOW + 2)).toBe('duplicate');
  });

  test('an edge restarted without its spool after a few messages starts afresh from seq 0', () => {
    const seqs = new SeqWindows();
    for (let seq = 0; seq < 40; seq++) expect(seqs.check('s', 'st1', 'e1', seq, T0 + seq * 1000)).toBe('new');
    // Restarted 40 messages in: 0, 1, 2 again, each dated after everything seen.
    for (let seq = 0; seq < 3; seq++)
      expect(seqs.check('s', 'st1', 'e1', seq, T0 + 100_000 + seq * 1000)).toBe('new');
    // A replay of the old seq 1 (its old timestamp) is now a seq the window holds with another stamp.
    expect(seqs.check('s', 'st1', 'e1', 1, T0 + 1000)).toBe('duplicate');
  });

  test('a seq older than the window cannot be judged and passes', () => {
    const seqs = new SeqWindows();
    for (let seq = 0; seq < 2 * SEQ_WINDOW; seq++) seqs.check('s', 'st1', 'e1', seq, T0 + seq);
    expect(seqs.check('s', 'st1', 'e1', 3, T0 - 5)).toBe('new');
  });

  test('over months of messages the stamps move with the newest: redeliveries and duplicates are judged', () => {
    const seqs = new SeqWindows();
    const DAY = 86_400_000;
    // One message every 6 hours for 90 days: the held stamps' epoch moves several times.
    for (let seq = 0; seq < 360; seq++)
      expect(seqs.check('s', 'st1', 'e1', seq, T0 + (seq * DAY) / 4)).toBe('new');
    expect(seqs.check('s', 'st1', 'e1', 359, T0 + (359 * DAY) / 4)).toBe('redelivery');
    expect(seqs.check('s', 'st1', 'e1', 359, T0 + (359 * DAY) / 4 + 1)).toBe('duplicate');
    // 20 days before the newest: still held.
    expect(seqs.check('s', 'st1', 'e1', 279, T0 + (279 * DAY) / 4)).toBe('redelivery');
    expect(seqs.check('s', 'st1', 'e1', 279, T0)).toBe('duplicate');
    // The first ones, 90 days before, are past the 32-bit stamps: they cannot be judged and pass.
    expect(seqs.check('s', 'st1', 'e1', 2, T0 + DAY / 2 + 1)).toBe('new');
  });

  test('a stamp weeks ahead of the epoch never matches one held; a seq past 2^32 laps passes unjudged', () => {
    const seqs = new SeqWindows();
    expect(seqs.check('s', 'st1', 'e1', 9, T0)).toBe('new');
    expect(seqs.check('s', 'st1', 'e1', 9, T0 + 2 ** 32)).toBe('duplicate');
    expect(seqs.check('s', 'st1', 'e1', 9, T0)).toBe('redelivery');
    const huge = 2 ** 32 * SEQ_WINDOW + 9;
    expect(seqs.check('s', 'st1', 'e1', huge, T0 + 1)).toBe('new');
    expect(seqs.check('s', 'st1', 'e1', huge, T0 + 2)).toBe('new');
  });
});
