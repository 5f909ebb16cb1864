import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import { freePort } from '../../core/net.ts';
import { loadProfile } from '../../core/profile/load.ts';
import {
  isNoAnswer,
  ModbusConnectionError,
  ModbusExceptionError,
  type ModbusSource,
  ModbusTimeoutError,
} from '../../edge/modbus-source.ts';
import { createTcpSource } from '../../edge/tcp-source.ts';
import { type RunningSimulator, startSimulator } from '../../simulators/index.ts';

const profile = loadProfile('profiles/booster-3p-380.yaml');
const simulatorOptions = (port: number) => ({
  profile,
  stations: [{ id: 'tcp1', port }],
  controlPort: 0,
  seed: 5,
  logger: silentLogger(),
});
const sourceOptions = (port: number) => ({
  host: '127.0.0.1',
  port,
  unitId: 1,
  timeoutMs: 200,
  backoffMs: 100,
  maxBackoffMs: 400,
});

let port: number;
let sim: RunningSimulator | undefined;
let source: ModbusSource;

beforeAll(async () => {
  port = await freePort();
  sim = await startSimulator(simulatorOptions(port));
  source = createTcpSource(sourceOptions(port));
});

afterAll(async () => {
  await source?.close();
  await sim?.stop();
});

const error = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: Error) => e,
  );

describe('Modbus TCP source against the simulator', () => {
  test('reads bits and registers of each area', async () => {
    const bits = (await source.read('discrete', 0, 9)) as boolean[];
    expect(bits).toHaveLength(9);
    expect(bits.every((b) => typeof b === 'boolean')).toBe(true);
    const words = (await source.read('input', 0, 19)) as number[];
    expect(words).toHaveLength(19);
    expect(words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffff)).toBe(true);
    const outlet = sim!.readings('tcp1')['pressure.outlet'] as number;
    expect(Math.abs((words[10] ?? 0) / 100 - outlet)).toBeLessThan(1);
  });

  test('keeps reading past 256 requests, where the MBAP transaction id wraps', async () => {
    for (let i = 0; i < 300; i++) expect(await source.read('input', 0, 2)).toHaveLength(2);
  });

  test('writes a holding register and reads it back', async () => {
    await source.write('holding', 0, [455]);
    expect(await source.read('holding', 0, 1)).toEqual([455]);
    expect(sim!.readings('tcp1')['pressure.setpoint']).toBeCloseTo(4.55, 5);
  });

  test.each([
    ['exception_illegal_address', 2],
    ['exception_device_busy', 6],
  ])('%s arrives as ModbusExceptionError with code %d', async (fault, code) => {
    sim!.inject('tcp1', fault);
    const e = await error(source.read('input', 0, 4));
    sim!.clear('tcp1', fault);
    expect(e).toBeInstanceOf(ModbusExceptionError);
    expect((e as ModbusExceptionError).code).toBe(code);
    expect(await source.read('input', 0, 4)).toHaveLength(4);
  });

  test('a silent controller gives ModbusTimeoutError after the timeout; the source recovers', async () => {
    sim!.inject('tcp1', 'controller_silent');
    const started = Date.now();
    const e = await error(source.read('input', 0, 4));
    const took = Date.now() - started;
    sim!.clear('tcp1', 'controller_silent');
    expect(e).toBeInstanceOf(ModbusTimeoutError);
    expect(took).toBeGreaterThanOrEqual(190);
    expect(took).toBeLessThan(600);
    expect(await source.read('input', 0, 4)).toHaveLength(4);
  });

  test('a station that goes away fails fast during backoff and is reconnected when it returns', async () => {
    await sim!.stop();
    sim = undefined;
    // A read racing the peer's close may end in the deadline rather than a socket error: both mean no answer.
    expect(isNoAnswer(await error(source.read('input', 0, 1)))).toBe(true);
    const refused = await error(source.read('input', 0, 1));
    expect(refused).toBeInstanceOf(ModbusConnectionError);
    // The refused connect starts a backoff: the next read fails at once without a connect attempt.
    const started = Date.now();
    const again = await error(source.read('input', 0, 1));
    expect(Date.now() - started).toBeLessThan(50);
    expect((again as Error).message).toMatch(/not connected, next attempt in \d+ ms/);
    sim = await startSimulator(simulatorOptions(port));
    const deadline = Date.now() + 3000;
    let words: unknown;
    let attempts = 0;
    while (Date.now() < deadline && words === undefined) {
      attempts += 1;
      words = await source.read('input', 0, 2).catch(() => undefined);
      if (words === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(words).toHaveLength(2);
    expect(attempts).toBeLessThan(60);
  });

  test('nothing listening: refused, counted as a connection error, never a crash', async () => {
    const dead = createTcpSource(sourceOptions(await freePort()));
    const started = Date.now();
    const errors = await Promise.all([1, 2, 3].map(() => error(dead.read('holding', 0, 1))));
    expect(errors.every((e) => e instanceof ModbusConnectionError)).toBe(true);
    expect(Date.now() - started).toBeLessThan(500);
    await dead.close();
    expect(await error(dead.read('holding', 0, 1))).toBeInstanceOf(ModbusConnectionError);
  });
});
