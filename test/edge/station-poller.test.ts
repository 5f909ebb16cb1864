import { describe, expect, test } from 'vitest';
import { encodeTag, tagWidth } from '../../core/modbus/codec.ts';
import {
  lowerBoundReads,
  MAX_BITS_PER_READ,
  MAX_REGISTERS_PER_READ,
} from '../../core/modbus/request-planner.ts';
import { loadProfile, parseProfile } from '../../core/profile/load.ts';
import { isBitArea, type Profile, type RegisterArea } from '../../core/profile/schema.ts';
import type { EffectiveStationSettings } from '../../edge/config.ts';
import {
  ModbusExceptionError,
  type ModbusSource,
  ModbusTimeoutError,
  SerialQueue,
} from '../../edge/modbus-source.ts';
import { type StationEventOut, StationPoller, type StationReadings } from '../../edge/station-poller.ts';
import { WriteRejectedError, writeTagValue } from '../../edge/tag-writer.ts';

const profile = loadProfile('profiles/booster-3p-380.yaml');

const VALUES: Record<string, number | boolean> = {
  'pump[1].running': true,
  'pump[2].standby': true,
  'supply.voltage_l1': 231.5,
  'pressure.outlet': 4.2,
  'pressure.inlet': -0.35,
  'pump[1].frequency': 48.5,
  'pump[1].bearing_vibration': 2.25,
  'pump[1].run_hours': 12345.6,
  'pump[1].start_count': 70_000,
  'energy.total': 98765.4,
  'pressure.setpoint': 4.5,
};

/**
 * A device held in memory for the poller's unit tests (the integration test uses the real
 * simulator over TCP). `fail` decides per read whether it throws instead of answering.
 */
function memoryDevice(p: Profile, values: Record<string, number | boolean>, concurrent = false) {
  const tables: Record<RegisterArea, Map<number, number | boolean>> = {
    coil: new Map(),
    discrete: new Map(),
    input: new Map(),
    holding: new Map(),
  };
  for (const tag of p.tags) {
    const value = values[tag.meaning];
    if (value === undefined) continue;
    if (isBitArea(tag.area)) tables[tag.area].set(tag.address, Boolean(value));
    else {
      for (const [i, word] of encodeTag(tag, value).entries()) tables[tag.area].set(tag.address + i, word);
    }
  }
  const queue = new SerialQueue();
  // A concurrent device keeps every request on the wire at once, each answered a few ms later.
  const run = <T>(job: () => Promise<T>): Promise<T> =>
    concurrent
      ? (async () => {
          device.onWire += 1;
          device.mostOnWire = Math.max(device.mostOnWire, device.onWire);
          await new Promise((resolve) => setTimeout(resolve, 5));
          device.onWire -= 1;
          return await job();
        })()
      : queue.run(job);
  const log: string[] = [];
  const device = {
    tables,
    log,
    onWire: 0,
    mostOnWire: 0,
    fail: undefined as undefined | ((area: RegisterArea, address: number) => Error | undefined),
    source: {
      concurrentReads: concurrent,
      read: (area, address, count) =>
        run(async () => {
          log.push(`read ${area} ${address}+${count}`);
          const error = device.fail?.(area, address);
          if (error) throw error;
          if (count > (isBitArea(area) ? MAX_BITS_PER_READ : MAX_REGISTERS_PER_READ))
            throw new Error('too long');
          return Array.from(
            { length: count },
            (_, i) => tables[area].get(address + i) ?? (isBitArea(area) ? false : 0),
          ) as number[] | boolean[];
        }),
      write: (area, address, written) =>
        run(async () => {
          log.push(`write ${area} ${address} ${JSON.stringify(written)}`);
          written.forEach((v, i) => {
            tables[area].set(address + i, v);
          });
        }),
      close: async () => undefined,
    } satisfies ModbusSource,
  };
  return device;
}

const settings: EffectiveStationSettings = {
  intervals: { fast: 1000, slow: 10_000 },
  timeoutMs: 100,
  retries: 1,
  backoffMs: 1,
  maxBackoffMs: 10,
  maxRegisterGap: 32,
  maxBitGap: 256,
};

function poller(device: ReturnType<typeof memoryDevice>, clock = { now: 1_800_000_000_000 }) {
  const readings: StationReadings[] = [];
  const events: StationEventOut[] = [];
  const states: string[] = [];
  const p = new StationPoller({
    stationId: 'st1',
    profile,
    source: device.source,
    settings,
    quality: { staleAfterIntervals: 3, frozenAfter: 30, commsLossCycles: 1 },
    onReadings: (r) => readings.push(r),
    onEvent: (e) => events.push(e),
    onStateChange: (s) => states.push(s),
    now: () => clock.now,
  });
  return { p, readings, events, states, clock };
}

describe('read planning', () => {
  test('stations of one profile and gap settings share one plan; other gaps get their own', () => {
    const device = memoryDevice(profile, VALUES);
    const { p: first } = poller(device);
    const { p: second } = poller(device);
    expect(second.plan(['fast'])).toBe(first.plan(['fast']));
    expect(second.plan(['slow', 'fast'])).toBe(first.plan(['fast', 'slow']));
    const narrow = new StationPoller({
      stationId: 'st2',
      profile,
      source: device.source,
      settings: { ...settings, maxRegisterGap: 0 },
      quality: { staleAfterIntervals: 3, frozenAfter: 30, commsLossCycles: 1 },
      onReadings: () => undefined,
      onEvent: () => undefined,
    });
    expect(narrow.plan(['fast'])).not.toBe(first.plan(['fast']));
  });

  test.each([[['fast'] as const], [['slow'] as const], [['fast', 'slow'] as const]])(
    '%j: within protocol limits, every tag covered, near the lower bound',
    (classes) => {
      const { p } = poller(memoryDevice(profile, VALUES));
      const plan = p.plan(classes);
      const tags = profile.tags.filter((t) => (classes as readonly string[]).includes(t.poll));
      for (const read of plan) {
        expect(read.count).toBeLessThanOrEqual(
          isBitArea(read.area) ? MAX_BITS_PER_READ : MAX_REGISTERS_PER_READ,
        );
      }
      expect(plan.flatMap((r) => r.tags.map((t) => t.tag.name)).sort()).toEqual(
        tags.map((t) => t.name).sort(),
      );
      const bound = lowerBoundReads(tags.map((t) => ({ ...t, width: tagWidth(t) })));
      expect(plan.length).toBeGreaterThanOrEqual(bound);
      expect(plan.length).toBeLessThanOrEqual(bound + 2);
    },
  );
});

describe('a cycle', () => {
  test('decodes every due tag by meaning, all good, state ok', async () => {
    const device = memoryDevice(profile, VALUES);
    const { p, readings, events } = poller(device);
    const fast = await p.runCycle(['fast']);
    expect(fast.state).toBe('ok');
    expect(fast.values['pressure.outlet']).toEqual({ v: 4.2, q: 'good' });
    expect(fast.values['pressure.inlet']).toEqual({ v: -0.35, q: 'good' });
    expect(fast.values['pump[1].running']).toEqual({ v: true, q: 'good' });
    expect(fast.values['pump[1].fault']).toEqual({ v: false, q: 'good' });
    expect(fast.values['supply.voltage_l1']).toEqual({ v: 231.5, q: 'good' });
    expect(fast.values['pump[1].bearing_vibration']).toEqual({ v: 2.25, q: 'good' });
    expect(fast.values['pump[1].run_hours']).toBeUndefined();
    expect(Object.keys(fast.values)).toHaveLength(profile.tags.filter((t) => t.poll === 'fast').length);
    const both = await p.runCycle(['fast', 'slow']);
    expect(both.values['pump[1].run_hours']).toEqual({ v: 12345.6, q: 'good' });
    expect(both.values['pump[1].start_count']).toEqual({ v: 70_000, q: 'good' });
    expect(both.values['energy.total']).toEqual({ v: 98765.4, q: 'good' });
    expect(Object.keys(both.values)).toHaveLength(profile.tags.length);
    expect(readings).toHaveLength(2);
    expect(events).toEqual([]);
    expect(p.stats()).toMatchObject({ cycles: 2, readErrors: 0, state: 'ok' });
  });

  test('an exception on one read marks only its tags, counts it, raises one event, keeps the others', async () => {
    const device = memoryDevice(profile, VALUES);
    const { p, events, states, clock } = poller(device);
    await p.runCycle(['fast']);
    device.fail = (area, address) =>
      area === 'input' && address === 100 ? new ModbusExceptionError(2, 'test') : undefined;
    clock.now += 1000;
    const first = await p.runCycle(['fast']);
    clock.now += 1000;
    const second = await p.runCycle(['fast']);
    expect(first.state).toBe('degraded');
    expect(first.values['pump[1].frequency']).toEqual({ v: 48.5, q: 'stale' });
    expect(first.values['pressure.outlet']).toEqual({ v: 4.2, q: 'good' });
    expect(second.values['pump[1].running']).toEqual({ v: true, q: 'good' });
    expect(p.stats().exceptions).toEqual({ '2': 2 });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'modbus_exception' });
    expect(events[0]?.detail).toContain('illegal data address');
    expect(events[0]?.detail).toContain('pump[1].frequency');
    expect(states).toEqual(['degraded']);
    clock.now += 10_000;
    const late = await p.runCycle(['fast']);
    expect(late.values['pump[1].frequency']).toEqual({ v: null, q: 'comms_failed' });
    device.fail = undefined;
    clock.now += 1000;
    expect((await p.runCycle(['fast'])).state).toBe('ok');
    expect(states).toEqual(['degraded', 'ok']);
  });

  test('no reply: one retry, the rest skipped, comms_failed with stale values, then restored', async () => {
    const device = memoryDevice(profile, VALUES);
    const { p, events, states, clock } = poller(device);
    await p.runCycle(['fast']);
    device.log.length = 0;
    device.fail = () => new ModbusTimeoutError('silent');
    clock.now += 1000;
    const lost = await p.runCycle(['fast']);
    expect(device.log).toHaveLength(2); // the first read and its retry; the others are not tried
    expect(lost.state).toBe('comms_failed');
    expect(lost.values['pressure.outlet']).toEqual({ v: 4.2, q: 'stale' });
    expect(events.map((e) => e.type)).toEqual(['comms_lost']);
    clock.now += 3000;
    const old = await p.runCycle(['fast']);
    expect(old.values['pressure.outlet']).toEqual({ v: null, q: 'comms_failed' });
    expect(Object.values(old.values).every((v) => v.q === 'comms_failed' && v.v === null)).toBe(true);
    device.fail = undefined;
    clock.now += 1000;
    const back = await p.runCycle(['fast']);
    expect(back.state).toBe('ok');
    expect(events.map((e) => e.type)).toEqual(['comms_lost', 'comms_restored']);
    expect(states).toEqual(['comms_failed', 'ok']);
    expect(p.stats()).toMatchObject({ timeouts: 4, cycles: 4 });
    expect(p.stats().skippedReads).toBeGreaterThan(0);
  });

  test('a source that keeps several requests on the wire gets the cycle at once, decoded the same', async () => {
    const one = await poller(memoryDevice(profile, VALUES)).p.runCycle(['fast', 'slow']);
    const device = memoryDevice(profile, VALUES, true);
    const { p } = poller(device);
    const together = await p.runCycle(['fast', 'slow']);
    const planned = p.plan(['fast', 'slow']).length;
    expect(planned).toBeGreaterThan(1);
    expect(device.mostOnWire).toBe(planned);
    expect(together.values).toEqual(one.values);
    expect(together.state).toBe('ok');
  });

  test('all at once, no reply: every read and its retry were tried, comms_failed, nothing skipped', async () => {
    const device = memoryDevice(profile, VALUES, true);
    const { p, events } = poller(device);
    await p.runCycle(['fast']);
    device.log.length = 0;
    device.fail = () => new ModbusTimeoutError('silent');
    const lost = await p.runCycle(['fast']);
    expect(device.log).toHaveLength(2 * p.plan(['fast']).length);
    expect(lost.state).toBe('comms_failed');
    expect(lost.values['pressure.outlet']).toEqual({ v: 4.2, q: 'stale' });
    expect(events.map((e) => e.type)).toEqual(['comms_lost']);
    expect(p.stats()).toMatchObject({ skippedReads: 0, timeouts: 2 * p.plan(['fast']).length });
    // An exception on one read, the others answered: only its tags lose their value.
    device.fail = (area, address) =>
      area === 'input' && address === 100 ? new ModbusExceptionError(2, 'test') : undefined;
    const partial = await p.runCycle(['fast']);
    expect(partial.state).toBe('degraded');
    expect(partial.values['pressure.outlet']).toEqual({ v: 4.2, q: 'good' });
    expect(partial.values['pump[1].frequency']?.q).toBe('stale');
  });

  test('out-of-range values are flagged and published as read', async () => {
    const device = memoryDevice(profile, { ...VALUES, 'pressure.outlet': 17.5 });
    const { p } = poller(device);
    const r = await p.runCycle(['fast']);
    expect(r.values['pressure.outlet']).toEqual({ v: 17.5, q: 'out_of_range' });
    expect(r.state).toBe('ok');
  });

  test('a stuck analog value goes frozen after frozenAfter reads; a constant bool does not', async () => {
    const device = memoryDevice(profile, VALUES);
    const { p, clock } = poller(device);
    let last: StationReadings | undefined;
    for (let i = 0; i < 30; i++) {
      clock.now += 1000;
      last = await p.runCycle(['fast']);
      if (i === 28) expect(last.values['pressure.outlet']?.q).toBe('good');
    }
    expect(last?.values['pressure.outlet']).toEqual({ v: 4.2, q: 'frozen' });
    expect(last?.values['supply.voltage_l1']?.q).toBe('frozen');
    expect(last?.values['pump[1].running']).toEqual({ v: true, q: 'good' });
    expect(last?.values['station.failover_count']?.q).toBe('good');
  });
});

/**
 * Runs a poller over `source` at a 30 ms fast poll and calls stop() once `secondCycleStarted` says
 * the second cycle's reads are under way, then lets them go on (`release`); what it handed on.
 */
async function stopDuringSecondCycle(
  source: ModbusSource,
  secondCycleStarted: () => boolean,
  release: () => void,
) {
  const readings: StationReadings[] = [];
  const states: string[] = [];
  const stopping = new StationPoller({
    stationId: 'st1',
    profile,
    source,
    settings: { ...settings, intervals: { fast: 30, slow: 10_000 } },
    quality: { staleAfterIntervals: 3, frozenAfter: 30, commsLossCycles: 1 },
    onReadings: (r) => readings.push(r),
    onEvent: () => undefined,
    onStateChange: (s) => states.push(s),
  });
  stopping.start();
  const deadline = Date.now() + 5000;
  while (!secondCycleStarted() && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 5));
  const stopped = stopping.stop();
  release();
  await stopped;
  return { readings, states, stats: stopping.stats() };
}

describe('the loop', () => {
  test('runs fast cycles on their interval and merges slow ones in; stop ends it', async () => {
    const device = memoryDevice(profile, VALUES);
    const readings: StationReadings[] = [];
    const p = new StationPoller({
      stationId: 'st1',
      profile,
      source: device.source,
      settings: { ...settings, intervals: { fast: 40, slow: 200 } },
      quality: { staleAfterIntervals: 3, frozenAfter: 30, commsLossCycles: 1 },
      onReadings: (r) => readings.push(r),
      onEvent: () => undefined,
    });
    p.start();
    await new Promise((resolve) => setTimeout(resolve, 620));
    await p.stop();
    const count = readings.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(readings.length).toBe(count);
    // 620 ms at 40 ms is about 16 cycles; fewer only if a loaded machine delays timers (missed, not bunched).
    expect(count).toBeGreaterThanOrEqual(8);
    expect(count).toBeLessThanOrEqual(17);
    const merged = readings.filter((r) => r.classes.includes('slow'));
    expect(merged.length).toBeGreaterThanOrEqual(2);
    expect(merged.every((r) => r.classes.includes('fast'))).toBe(true);
    expect(readings[0]?.classes).toEqual(['fast', 'slow']);
  });

  test('stations spread across the interval: each starts after its phase, then keeps the interval', async () => {
    const device = memoryDevice(profile, VALUES);
    const firstAt: number[] = [];
    const started = performance.now();
    const pollers = [0, 100, 200, 300].map(
      (phaseMs, i) =>
        new StationPoller({
          stationId: `st${i + 1}`,
          profile,
          source: device.source,
          settings: { ...settings, intervals: { fast: 400, slow: 4000 } },
          quality: { staleAfterIntervals: 3, frozenAfter: 30, commsLossCycles: 1 },
          phaseMs,
          onReadings: () => {
            firstAt[i] ??= performance.now() - started;
          },
          onEvent: () => undefined,
        }),
    );
    for (const p of pollers) p.start();
    await new Promise((resolve) => setTimeout(resolve, 600));
    await Promise.all(pollers.map((p) => p.stop()));
    expect(firstAt).toHaveLength(4);
    // Never before its phase; in phase order (timers may run late on a loaded machine, never early).
    firstAt.forEach((at, i) => {
      expect(at).toBeGreaterThanOrEqual(i * 100 - 2);
    });
    expect([...firstAt].sort((a, b) => a - b)).toEqual(firstAt);
  });

  test('a cycle that stop() cuts short hands on nothing: no degraded message, no state change', async () => {
    const device = memoryDevice(profile, VALUES);
    const { p } = poller(device);
    const firstCycleReads = p.plan(['fast', 'slow']).length;
    let reads = 0;
    let release: () => void = () => undefined;
    const source: ModbusSource = {
      ...device.source,
      read: async (area, address, count) => {
        reads += 1;
        // The first read of the second cycle waits until the test has called stop().
        if (reads === firstCycleReads + 1)
          await new Promise<void>((resolve) => {
            release = resolve;
          });
        return device.source.read(area, address, count);
      },
    };
    const cut = await stopDuringSecondCycle(
      source,
      () => reads > firstCycleReads,
      () => release(),
    );
    expect(cut.readings.map((r) => r.state)).toEqual(['ok']);
    expect(cut.states).toEqual([]);
    expect(cut.stats).toMatchObject({ cycles: 1, cutShortCycles: 1 });
    expect(cut.stats.skippedReads).toBeGreaterThan(0);
    expect(p.stats().cutShortCycles).toBe(0);
  });

  test.each([
    ['every read answers', false, ['ok', 'ok'], 0],
    ['its reads time out', true, ['ok'], 1],
  ])(
    'read together, a cycle the edge stops during: handed on when %s, cut short when not',
    async (_, silent, handed, cutShort) => {
      const device = memoryDevice(profile, VALUES, true);
      const firstCycleReads = poller(device).p.plan(['fast', 'slow']).length;
      let reads = 0;
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      const source: ModbusSource = {
        ...device.source,
        read: async (area, address, count) => {
          reads += 1;
          // The second cycle's reads are all on the wire when the test calls stop(); then they answer or not.
          if (reads <= firstCycleReads) return device.source.read(area, address, count);
          await held;
          if (silent) throw new ModbusTimeoutError('no reply');
          return device.source.read(area, address, count);
        },
      };
      const together = await stopDuringSecondCycle(
        source,
        () => reads > firstCycleReads,
        () => release(),
      );
      expect(together.readings.map((r) => r.state)).toEqual(handed);
      expect(together.states).toEqual([]);
      expect(together.stats).toMatchObject({ cutShortCycles: cutShort, skippedReads: 0 });
    },
  );
});

describe('writeTagValue', () => {
  test('encodes a set point and writes it through the source', async () => {
    const device = memoryDevice(profile, VALUES);
    await writeTagValue(profile, device.source, 'pressure.setpoint', 5.25);
    expect(device.tables.holding.get(0)).toBe(525);
    expect(device.log.at(-1)).toBe('write holding 0 [525]');
  });

  test.each([
    ['unknown meaning', 'pressure.nowhere', 1, 'has no tag with meaning'],
    ['not writable', 'pressure.outlet', 1, 'is not writable'],
    ['out of range', 'pressure.setpoint', 20, 'outside 0..16 bar'],
    ['wrong type', 'pressure.setpoint', true, 'takes a finite number'],
    ['NaN', 'pressure.setpoint', Number.NaN, 'takes a finite number'],
  ])('refuses %s before touching the device', async (_name, meaning, value, message) => {
    const device = memoryDevice(profile, VALUES);
    await expect(writeTagValue(profile, device.source, meaning, value)).rejects.toThrow(WriteRejectedError);
    await expect(writeTagValue(profile, device.source, meaning, value)).rejects.toThrow(message);
    expect(device.log).toEqual([]);
  });
});

describe('a vendor profile: "not available" codes, constants and derived readings', () => {
  const vendor = parseProfile(
    {
      model: 'vendor-drive',
      nominalVoltage: 400,
      phases: 3,
      pumps: 2,
      addressBase: 1,
      tags: [
        {
          name: 'u',
          area: 'holding',
          address: 1,
          type: 'uint16',
          scale: 0.1,
          unit: 'V',
          meaning: 'supply.voltage_l1',
          range: { min: 0, max: 500 },
        },
        // The drive's output frequency is fixed at 50 Hz on this model: a constant, not a stuck sensor.
        {
          name: 'hz',
          area: 'holding',
          address: 2,
          type: 'uint16',
          scale: 0.01,
          unit: 'Hz',
          meaning: 'supply.frequency',
          range: { min: 45, max: 55 },
          frozenCheck: false,
        },
        {
          name: 'temp',
          area: 'holding',
          address: 3,
          type: 'int16',
          scale: 0.1,
          unit: 'degC',
          meaning: 'ambient.temperature',
          range: { min: -40, max: 80 },
          notAvailable: ['0x7FFF', '0x8000'],
        },
      ],
      pumpBlocks: [
        {
          stride: 10,
          tags: [
            {
              name: 'speed',
              area: 'holding',
              address: 11,
              type: 'uint16',
              unit: 'rpm',
              meaning: 'pump[n].speed',
              notAvailable: ['0xFFFF'],
            },
            {
              name: 'i',
              area: 'holding',
              address: 12,
              type: 'uint16',
              scale: 0.1,
              unit: 'A',
              meaning: 'pump[n].current_l1',
              range: { min: 0, max: 200 },
            },
          ],
        },
      ],
      derived: [
        { kind: 'above', meaning: 'pump[n].running', of: 'pump[n].speed' },
        {
          kind: 'power',
          meaning: 'pump[n].power',
          voltage: 'supply.voltage_l1',
          current: 'pump[n].current_l1',
          powerFactor: 0.85,
        },
      ],
    },
    'vendor-drive.yaml',
  );
  const VENDOR_VALUES = {
    'supply.voltage_l1': 400,
    'supply.frequency': 50,
    'ambient.temperature': 21.5,
    'pump[1].speed': 2900,
    'pump[1].current_l1': 20,
    'pump[2].speed': 0,
    'pump[2].current_l1': 0,
  };
  const start = (device: ReturnType<typeof memoryDevice>) => {
    const clock = { now: 1_800_000_000_000 };
    const p = new StationPoller({
      stationId: 'v1',
      profile: vendor,
      source: device.source,
      settings,
      quality: { staleAfterIntervals: 3, frozenAfter: 3, commsLossCycles: 1 },
      onReadings: () => undefined,
      onEvent: () => undefined,
      now: () => clock.now,
    });
    return { p, clock };
  };

  test('addresses from register 1 are read at PDU addresses from 0', async () => {
    const device = memoryDevice(vendor, VENDOR_VALUES);
    const { p } = start(device);
    const { values } = await p.runCycle(['fast']);
    expect(values['supply.voltage_l1']).toEqual({ v: 400, q: 'good' });
    expect(values['pump[2].current_l1']).toEqual({ v: 0, q: 'good' });
    expect(device.tables.holding.get(0)).toBe(4000);
    expect(device.tables.holding.get(20)).toBe(0);
  });

  test('a "not available" code is a null value of its own quality, for signed and unsigned registers', async () => {
    const device = memoryDevice(vendor, VENDOR_VALUES);
    const { p } = start(device);
    device.tables.holding.set(2, 0x8000); // temp reads -32768: the drive has no sensor fitted
    device.tables.holding.set(10, 0xffff); // pump 1 speed: not available
    const { values } = await p.runCycle(['fast']);
    expect(values['ambient.temperature']).toEqual({ v: null, q: 'not_available' });
    expect(values['pump[1].speed']).toEqual({ v: null, q: 'not_available' });
    // A derived reading from a value that is not there is not there either.
    expect(values['pump[1].running']).toEqual({ v: null, q: 'not_available' });
    device.tables.holding.set(2, 215);
    expect((await p.runCycle(['fast'])).values['ambient.temperature']).toEqual({ v: 21.5, q: 'good' });
  });

  test('a constant with frozenCheck off stays good; a ranged reading that holds still goes frozen', async () => {
    const device = memoryDevice(vendor, VENDOR_VALUES);
    const { p, clock } = start(device);
    let values: StationReadings['values'] = {};
    for (let i = 0; i < 5; i++) {
      clock.now += 1000;
      ({ values } = await p.runCycle(['fast']));
    }
    expect(values['supply.frequency']).toEqual({ v: 50, q: 'good' });
    expect(values['supply.voltage_l1']).toEqual({ v: 400, q: 'frozen' });
  });

  test('running from speed and power from voltage, current and power factor', async () => {
    const { p } = start(memoryDevice(vendor, VENDOR_VALUES));
    const { values } = await p.runCycle(['fast']);
    expect(values['pump[1].running']).toEqual({ v: true, q: 'good' });
    expect(values['pump[2].running']).toEqual({ v: false, q: 'good' });
    // sqrt(3) x 400 V x 20 A x 0.85 / 1000
    expect(values['pump[1].power']?.v).toBeCloseTo(11.778, 3);
    expect(values['pump[2].power']).toEqual({ v: 0, q: 'good' });
  });
});
