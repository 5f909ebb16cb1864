import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { Forwarder } from '../../edge/store-forward/forwarder.ts';
import {
  LevelSpool,
  type Spool,
  type SpoolContents,
  type SpooledMessage,
} from '../../edge/store-forward/spool.ts';
import { classifySpoolError, describeSpoolFault } from '../../edge/store-forward/spool-fault.ts';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

/** A telemetry-sized message (~1.1 KB, like a 3-pump station's). */
const message = (seq: number): SpooledMessage => ({
  topic: 'aftercare/v1/s/st1/telemetry',
  payload: JSON.stringify({ seq, values: 'x'.repeat(1100) }),
  station: 'st1',
  ts: Date.now(),
});

async function sizeOf(path: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(path)) total += (await stat(join(path, name))).size;
  return total;
}

async function settle(forwarder: Forwarder, done: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(done(), JSON.stringify(forwarder.stats())).toBe(true);
}

/** A spool whose writes fail with `error` while `failing()` holds (an in-memory stand-in for a disk). */
class FailingSpool implements Spool {
  readonly where = '/var/lib/aftercare/spool';
  readonly #held = new Map<number, SpooledMessage>();
  constructor(
    readonly failing: () => NodeJS.ErrnoException | undefined,
    readonly failOpen = false,
  ) {}
  async open(): Promise<SpoolContents> {
    const error = this.failOpen ? this.failing() : undefined;
    if (error) throw new Error('Database failed to open', { cause: error });
    return { entries: [], lastSeq: {} };
  }
  async append(key: number, m: SpooledMessage): Promise<void> {
    const error = this.failing();
    if (error) throw error;
    this.#held.set(key, m);
  }
  async read(keys: readonly number[]) {
    return keys.map((key) => this.#held.get(key));
  }
  async remove(keys: readonly number[]) {
    for (const key of keys) this.#held.delete(key);
  }
  async probe(): Promise<void> {
    const error = this.failing();
    if (error) throw error;
  }
  async reopen(): Promise<SpoolContents> {
    return await this.open();
  }
  async close(): Promise<void> {}
  get size() {
    return this.#held.size;
  }
}

const errno = (code: string, text: string) => Object.assign(new Error(`IO error: ${text}`), { code });

describe('spool faults', () => {
  test.each([
    [errno('LEVEL_IO_ERROR', '/s/000003.log: No space left on device'), 'full', 'ENOSPC'],
    [
      new Error('Database failed to open', {
        cause: errno('LEVEL_IO_ERROR', '/s/LOCK: Read-only file system'),
      }),
      'read_only',
      'EROFS',
    ],
    [errno('EROFS', "EROFS: read-only file system, mkdir '/s'"), 'read_only', 'EROFS'],
    [errno('EACCES', "EACCES: permission denied, mkdir '/s'"), 'unavailable', 'EACCES'],
    [errno('LEVEL_CORRUPTION', 'Corruption: bad record length'), 'unavailable', 'CORRUPT'],
  ])('%s is %s (%s)', (error, state, code) => {
    expect(classifySpoolError(error)).toMatchObject({ state, code });
  });

  test('an unknown error is named in one short line, never its stack or a quoted source', () => {
    const error = new Error(`${'x'.repeat(500)}\n${'minified();'.repeat(10_000)}`);
    const line = describeSpoolFault('/s', classifySpoolError(error), true);
    expect(line).not.toContain('\n');
    expect(line.length).toBeLessThan(300);
    expect(line).toMatch(/^spool \/s cannot be opened: x+ \(ERROR\); publishing live without a spool$/);
  });

  test('a spool that cannot write sends every message live, says why, and goes back to normal once it writes again', async () => {
    let fault: NodeJS.ErrnoException | undefined;
    const spool = new FailingSpool(() => fault);
    const states: string[] = [];
    const sent: string[] = [];
    const forwarder = new Forwarder(
      spool,
      { retryMs: 200 },
      (_topic, payload, done) => {
        sent.push(payload);
        setImmediate(() => done());
      },
      () => true,
      undefined,
      (state) => states.push(state),
    );
    await forwarder.open();
    for (let seq = 0; seq < 10; seq++) forwarder.submit(message(seq), seq);
    await settle(forwarder, () => sent.length === 10);
    fault = errno('LEVEL_IO_ERROR', 'No space left on device');
    for (let seq = 10; seq < 30; seq++) forwarder.submit(message(seq), seq);
    await settle(forwarder, () => sent.length === 30 && forwarder.stats().entries === 0);
    expect(forwarder.stats()).toMatchObject({
      state: 'full',
      code: 'ENOSPC',
      unspooled: 20,
      sentLive: 20,
      lost: 0,
    });
    expect(states).toEqual(['full']);
    fault = undefined;
    await settle(forwarder, () => forwarder.state().state === 'ok');
    for (let seq = 30; seq < 40; seq++) forwarder.submit(message(seq), seq);
    await settle(forwarder, () => sent.length === 40 && forwarder.stats().entries === 0);
    expect(states).toEqual(['full', 'ok']);
    expect(forwarder.stats()).toMatchObject({ state: 'ok', unspooled: 20, sentLive: 20, lost: 0, acked: 40 });
    expect(sent.map((p) => JSON.parse(p).seq)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    await forwarder.close();
  });

  test('while the broker is away too, messages wait in memory (bounded, the overflow counted as lost)', async () => {
    let connected = false;
    const sent: number[] = [];
    const forwarder = new Forwarder(
      new FailingSpool(() => errno('EROFS', 'EROFS: read-only file system'), true),
      { memoryMaxBytes: 64 * 1024, drainPerSecond: 1000 },
      (_topic, payload, done) => {
        sent.push(JSON.parse(payload).seq);
        setImmediate(() => done());
      },
      () => connected,
    );
    expect(await forwarder.open()).toEqual({});
    expect(forwarder.state()).toEqual({ state: 'read_only', code: 'EROFS' });
    for (let seq = 0; seq < 80; seq++) forwarder.submit(message(seq), seq);
    await settle(forwarder, () => forwarder.stats().unspooled + forwarder.stats().memoryFull === 80);
    const { unspooled, lost } = forwarder.stats();
    expect(unspooled).toBeGreaterThan(40);
    expect(lost).toBe(80 - unspooled);
    connected = true;
    forwarder.kick();
    await settle(forwarder, () => forwarder.stats().entries === 0);
    expect(sent).toEqual(Array.from({ length: unspooled }, (_, i) => i));
    await forwarder.close();
  });

  test('the spool on disk stays small when everything is acknowledged: 20,000 readings leave under 2 MiB', async () => {
    dir = await mkdtemp(join(tmpdir(), 'aftercare-spool-size-'));
    const forwarder = new Forwarder(
      new LevelSpool(dir),
      {},
      (_topic, _payload, done) => setImmediate(() => done()),
      () => true,
    );
    await forwarder.open();
    const total = 20_000;
    for (let seq = 0; seq < total; seq++) {
      forwarder.submit(message(seq), seq);
      // Like polls: a few at a time, not 20,000 queued at once.
      if (seq % 50 === 49) await settle(forwarder, () => forwarder.stats().acked === seq + 1);
    }
    await settle(forwarder, () => forwarder.stats().acked === total && forwarder.stats().entries === 0);
    // One more tick lets the idle spool truncate.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await forwarder.close();
    const bytes = await sizeOf(dir);
    const { truncations } = forwarder.stats();
    console.log(
      `spool after ${total} acknowledged readings (~${Math.round((total * 1.15) / 1024)} MiB through it): ${bytes} bytes, ${truncations} truncations`,
    );
    expect(truncations).toBeGreaterThan(5);
    expect(bytes).toBeLessThan(2 * 1024 * 1024);
    // The seqs survive a truncation.
    const reopened = new LevelSpool(dir);
    expect((await reopened.open()).lastSeq).toEqual({ st1: total - 1 });
    await reopened.close();
  }, 120_000);
});
