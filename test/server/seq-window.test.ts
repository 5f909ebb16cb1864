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
});
