import { describe, expect, test } from 'vitest';
import { ModbusConnectionError, ModbusExceptionError, ModbusTimeoutError } from '../../edge/modbus-source.ts';
import { type LineRequest, SerialLineArbiter, type UnitStats } from '../../edge/serial-line-arbiter.ts';

/**
 * How a unit on the simulated bus behaves. `silent` is what modbus-serial does for a unit that does
 * not answer: its own timer rejects after the client timeout (60 ms here, under the arbiter's 100 ms).
 * `hung` never settles at all, which only the arbiter's own deadline can end.
 */
type Behaviour =
  | { kind: 'answers'; afterMs: number }
  | { kind: 'silent' }
  | { kind: 'hung' }
  | { kind: 'exception'; code: number };

interface Bus {
  transport: (unitId: number, request: LineRequest) => Promise<number[] | undefined>;
  calls: number[];
  maxInFlight: () => number;
}

/** A transport over simulated units that records the order of calls and how many overlap. */
function bus(units: Record<number, Behaviour>): Bus {
  const calls: number[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const transport = async (unitId: number, request: LineRequest) => {
    calls.push(unitId);
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const behaviour = units[unitId] ?? { kind: 'silent' };
    try {
      if (behaviour.kind === 'hung') return await new Promise<never>(() => undefined);
      if (behaviour.kind === 'silent') {
        await new Promise((resolve) => setTimeout(resolve, 60));
        throw new ModbusTimeoutError(`unit ${unitId}: Timed out`);
      }
      if (behaviour.kind === 'exception') throw new ModbusExceptionError(behaviour.code, `unit ${unitId}`);
      await new Promise((resolve) => setTimeout(resolve, behaviour.afterMs));
      return request.kind === 'read' ? [unitId, request.address] : undefined;
    } finally {
      inFlight -= 1;
    }
  };
  return { transport, calls, maxInFlight: () => maxInFlight };
}

const read = (address: number): LineRequest => ({ kind: 'read', area: 'holding', address, count: 1 });

async function submitAll(arbiter: SerialLineArbiter, perUnit: Record<number, number>) {
  const jobs = Object.entries(perUnit).flatMap(([unit, count]) =>
    Array.from({ length: count }, (_, i) =>
      arbiter.submit(Number(unit), read(i)).then(
        () => ({ unit: Number(unit), ok: true, error: '' }),
        (error: Error) => ({ unit: Number(unit), ok: false, error: error.name }),
      ),
    ),
  );
  return await Promise.all(jobs);
}

interface Scenario {
  name: string;
  units: Record<number, Behaviour>;
  /** Requests each unit submits, all at once. */
  submit: Record<number, number>;
  expect: Record<number, Partial<UnitStats>>;
  maxElapsedMs: number;
  maxInFlight: number;
}

describe('serial line arbiter scenarios', () => {
  test.each<Scenario>([
    {
      name: 'a silent unit goes to backoff and stops occupying the line',
      units: {
        1: { kind: 'answers', afterMs: 5 },
        2: { kind: 'silent' },
        3: { kind: 'answers', afterMs: 5 },
      },
      submit: { 1: 10, 2: 10, 3: 10 },
      expect: {
        1: { answered: 10, timeouts: 0, refused: 0, sent: 10 },
        2: { answered: 0, timeouts: 2, refused: 8, sent: 2 },
        3: { answered: 10, timeouts: 0, refused: 0, sent: 10 },
      },
      // 20 answers of 5 ms and two 60 ms timeouts; without backoff it would be 10 timeouts (600 ms).
      maxElapsedMs: 450,
      maxInFlight: 1,
    },
    {
      name: 'exception replies prove a unit alive: no backoff',
      units: { 1: { kind: 'exception', code: 2 }, 2: { kind: 'answers', afterMs: 2 } },
      submit: { 1: 6, 2: 3 },
      expect: {
        1: { answered: 0, exceptions: 6, timeouts: 0, refused: 0, sent: 6, backoffUntil: 0 },
        2: { answered: 3, exceptions: 0, timeouts: 0, refused: 0, sent: 3 },
      },
      maxElapsedMs: 300,
      maxInFlight: 1,
    },
    {
      name: 'a hung transport is cut off by the arbiter deadline; two dead units cost two timeouts each',
      units: { 4: { kind: 'hung' }, 5: { kind: 'silent' }, 6: { kind: 'answers', afterMs: 1 } },
      submit: { 4: 5, 5: 5, 6: 5 },
      expect: {
        4: { sent: 2, timeouts: 2, refused: 3 },
        5: { sent: 2, timeouts: 2, refused: 3 },
        6: { sent: 5, answered: 5 },
      },
      maxElapsedMs: 600,
      // The two hung requests never settle in the transport, so the count of open calls includes them.
      maxInFlight: 3,
    },
  ])('$name', async (scenario) => {
    const line = bus(scenario.units);
    const arbiter = new SerialLineArbiter({
      transport: line.transport,
      timeoutMs: 100,
      backoffMs: 5000,
      maxBackoffMs: 60_000,
    });
    const started = Date.now();
    const results = await submitAll(arbiter, scenario.submit);
    const elapsed = Date.now() - started;
    const stats = arbiter.stats();
    for (const [unit, expected] of Object.entries(scenario.expect)) {
      expect(stats[Number(unit)], `unit ${unit}`).toMatchObject(expected);
    }
    expect(line.maxInFlight()).toBe(scenario.maxInFlight);
    expect(elapsed).toBeLessThan(scenario.maxElapsedMs);
    const failures = results.filter((r) => !r.ok);
    for (const failure of failures) {
      expect(['ModbusTimeoutError', 'ModbusConnectionError', 'ModbusExceptionError']).toContain(
        failure.error,
      );
    }
    await arbiter.close();
  });
});

describe('fairness', () => {
  test('a unit with a long queue does not starve the others (round robin)', async () => {
    const line = bus({
      1: { kind: 'answers', afterMs: 1 },
      2: { kind: 'answers', afterMs: 1 },
      3: { kind: 'answers', afterMs: 1 },
    });
    const arbiter = new SerialLineArbiter({
      transport: line.transport,
      timeoutMs: 100,
      backoffMs: 100,
      maxBackoffMs: 1000,
    });
    await submitAll(arbiter, { 1: 20, 2: 3, 3: 2 });
    // Every unit with work gets a turn before any unit gets its second.
    expect(line.calls.slice(0, 7)).toEqual([1, 2, 3, 1, 2, 3, 1]);
    expect(line.calls.slice(7).every((unit) => unit === 2 || unit === 1)).toBe(true);
    expect(line.calls.filter((u) => u === 1)).toHaveLength(20);
    await arbiter.close();
  });

  test('a request for a live unit waits at most one timeout behind a silent one', async () => {
    const line = bus({ 1: { kind: 'silent' }, 2: { kind: 'answers', afterMs: 1 } });
    const arbiter = new SerialLineArbiter({
      transport: line.transport,
      timeoutMs: 80,
      backoffMs: 1000,
      maxBackoffMs: 1000,
    });
    const silent = arbiter.submit(1, read(0)).catch((error: Error) => error);
    const started = Date.now();
    await arbiter.submit(2, read(0));
    expect(Date.now() - started).toBeLessThan(80 + 60);
    expect(await silent).toBeInstanceOf(ModbusTimeoutError);
    await arbiter.close();
  });
});

describe('backoff over time', () => {
  test('refuses during backoff, probes after it, doubles on a failed probe, resets on an answer', async () => {
    let now = 1_000_000;
    let alive = false;
    const transport = async (unitId: number) => {
      if (!alive) throw new ModbusTimeoutError(`unit ${unitId} silent`);
      return [1];
    };
    const arbiter = new SerialLineArbiter({
      transport,
      timeoutMs: 50,
      backoffMs: 1000,
      maxBackoffMs: 3000,
      failuresBeforeBackoff: 2,
      now: () => now,
    });
    const attempt = () =>
      arbiter.submit(7, read(0)).then(
        () => 'answer',
        (error: Error) => error.name,
      );
    expect(await attempt()).toBe('ModbusTimeoutError');
    expect(await attempt()).toBe('ModbusTimeoutError');
    expect(arbiter.stats()[7]?.backoffUntil).toBe(now + 1000);
    expect(await attempt()).toBe('ModbusConnectionError');
    now += 1001;
    expect(await attempt()).toBe('ModbusTimeoutError'); // the probe
    expect(arbiter.stats()[7]?.backoffUntil).toBe(now + 2000);
    now += 2001;
    expect(await attempt()).toBe('ModbusTimeoutError');
    expect(arbiter.stats()[7]?.backoffUntil).toBe(now + 3000); // capped at maxBackoffMs
    now += 3001;
    alive = true;
    expect(await attempt()).toBe('answer');
    expect(arbiter.stats()[7]).toMatchObject({
      backoffUntil: 0,
      sent: 5,
      answered: 1,
      timeouts: 4,
      refused: 1,
    });
    await arbiter.close();
  });

  test('close refuses what waits and counts it', async () => {
    const line = bus({ 1: { kind: 'answers', afterMs: 20 } });
    const arbiter = new SerialLineArbiter({
      transport: line.transport,
      timeoutMs: 100,
      backoffMs: 100,
      maxBackoffMs: 100,
    });
    const results = Promise.all(
      [1, 2, 3].map((i) =>
        arbiter.submit(1, read(i)).then(
          () => 'ok',
          (e: Error) => e.name,
        ),
      ),
    );
    await arbiter.close();
    expect(await results).toEqual(['ok', 'ModbusConnectionError', 'ModbusConnectionError']);
    expect(arbiter.stats()[1]).toMatchObject({ answered: 1, refused: 2 });
    await expect(arbiter.submit(1, read(0))).rejects.toBeInstanceOf(ModbusConnectionError);
  });

  test('a unit queue has a bound; the excess is refused and counted', async () => {
    const line = bus({ 1: { kind: 'answers', afterMs: 1 } });
    const arbiter = new SerialLineArbiter({
      transport: line.transport,
      timeoutMs: 100,
      backoffMs: 100,
      maxBackoffMs: 100,
      maxQueuePerUnit: 3,
    });
    const results = await submitAll(arbiter, { 1: 6 });
    // One goes on the line at once, three wait, two are refused.
    expect(results.filter((r) => r.ok)).toHaveLength(4);
    expect(arbiter.stats()[1]).toMatchObject({ refused: 2, answered: 4 });
    await arbiter.close();
  });
});
