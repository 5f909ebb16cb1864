import { closeSync, openSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ReadRequest } from '../core/modbus/request-planner.ts';
import { cpuSeconds, startProgram, stopProgram } from './child.ts';

export const MBPOLL = '/usr/bin/mbpoll';
/** The shortest poll rate mbpoll 1.0 accepts here (its help says "> 10", yet 10 runs; 5 is refused). */
export const MBPOLL_MIN_POLL_MS = 10;
const MARKER = Buffer.from('-- Polling slave');
const TYPE: Record<string, string> = { coil: '0', discrete: '1', input: '3', holding: '4' };

export interface MbpollTarget {
  port: number;
  unitId: number;
  read: ReadRequest;
}

export interface MbpollRun {
  /** Polls completed by each process between `mark()` and `end()`. */
  polls: number[];
  seconds: number;
  /** CPU seconds all the mbpoll processes used in the window. */
  cpu: number;
}

/**
 * Runs one continuously polling mbpoll per target, its output going to a file (no parsing while
 * it runs). A window is the file sizes at mark() and at end(): the "-- Polling slave" lines
 * between them are that process's polls in the window.
 */
export function startMbpolls(targets: readonly MbpollTarget[], dir: string, pollMs = MBPOLL_MIN_POLL_MS) {
  const runs = targets.map((t, i) => {
    const file = join(dir, `mbpoll-${i}.out`);
    const fd = openSync(file, 'w');
    const args = ['-m', 'tcp', '-0', '-a', String(t.unitId), '-t', TYPE[t.read.area]!, '-r'];
    args.push(String(t.read.address), '-c', String(t.read.count), '-l', String(pollMs), '-o', '1');
    args.push('-p', String(t.port), '127.0.0.1');
    const child = startProgram(MBPOLL, args, undefined, fd);
    closeSync(fd);
    return { file, child };
  });
  let marks: number[] = [];
  let markAt = 0;
  let cpuAt = 0;
  const cpu = async () =>
    (await Promise.all(runs.map((r) => cpuSeconds(r.child.pid!)))).reduce((a, b) => a + b, 0);
  return {
    async mark() {
      markAt = performance.now();
      marks = runs.map((r) => statSync(r.file).size);
      cpuAt = await cpu();
    },
    async end(): Promise<MbpollRun> {
      const ends = runs.map((r) => statSync(r.file).size);
      const seconds = (performance.now() - markAt) / 1000;
      const used = (await cpu()) - cpuAt;
      await Promise.all(runs.map((r) => stopProgram(r.child, 2000)));
      const polls = runs.map((r, i) => countMarkers(readFileSync(r.file).subarray(marks[i], ends[i])));
      return { polls, seconds, cpu: used };
    },
    async stop() {
      await Promise.all(runs.map((r) => stopProgram(r.child, 2000)));
    },
  };
}

function countMarkers(buffer: Buffer): number {
  let count = 0;
  let at = buffer.indexOf(MARKER);
  while (at !== -1) {
    count++;
    at = buffer.indexOf(MARKER, at + MARKER.length);
  }
  return count;
}
