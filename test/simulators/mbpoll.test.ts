import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import { loadProfile } from '../../core/profile/load.ts';
import type { Tag } from '../../core/profile/schema.ts';
import { type RunningSimulator, startSimulator } from '../../simulators/index.ts';

/** Debian's mbpoll: an independent Modbus client, so the register layout is checked by someone else's decoder. */
const MBPOLL = '/usr/bin/mbpoll';
const run = promisify(execFile);
const profile = loadProfile('profiles/booster-3p-380.yaml');
let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({
    profile,
    stations: [{ id: 'st1', port: 0 }],
    controlPort: 0,
    speed: 0, // frozen, so mbpoll and the snapshot see the same instant
    seed: 11,
    startTime: Date.UTC(2024, 0, 1, 7, 30),
    logger: silentLogger(),
  });
  sim.advance(900); // the morning peak: assist pump running, values away from zero
});
afterAll(async () => {
  await sim?.stop();
});

/** mbpoll's data type flag for a tag, and whether it needs -B (high word first). */
function mbpollType(tag: Tag): string[] {
  const table = tag.area === 'coil' ? '0' : tag.area === 'discrete' ? '1' : tag.area === 'input' ? '3' : '4';
  if (tag.type === 'float32') return ['-t', `${table}:float`, ...(tag.wordOrder === 'big' ? ['-B'] : [])];
  if (tag.type === 'int32' || tag.type === 'uint32')
    return ['-t', `${table}:int`, ...(tag.wordOrder === 'big' ? ['-B'] : [])];
  return ['-t', table];
}

async function mbpoll(tag: Tag): Promise<number> {
  const args = [
    '-m',
    'tcp',
    '-0',
    '-1',
    '-o',
    '2',
    '-p',
    String(sim.ports.st1),
    '-a',
    '1',
    ...mbpollType(tag),
  ];
  const { stdout } = await run(MBPOLL, [...args, '-r', String(tag.address), '-c', '1', '127.0.0.1'], {
    timeout: 10_000,
  });
  const line = new RegExp(`^\\[${tag.address}\\]:\\s+(-?[0-9.eE+-]+)`, 'm').exec(stdout);
  if (!line) throw new Error(`no value for ${tag.name} in mbpoll output:\n${stdout}`);
  return Number(line[1]);
}

/** Engineering value from what mbpoll printed (it prints raw registers; scale and sign are the profile's). */
function engineering(tag: Tag, printed: number): number | boolean {
  if (tag.type === 'bool') return printed !== 0;
  let raw = printed;
  if (tag.type === 'int16') raw = (raw << 16) >> 16;
  if (tag.type === 'uint16') raw &= 0xffff;
  if (tag.type === 'uint32') raw >>>= 0;
  return raw * tag.scale + tag.offset;
}

describe('mbpoll reads what the model holds', () => {
  test.each(profile.tags.map((tag) => [tag.name, tag] as const))('%s', async (_name, tag) => {
    const expected = sim.readings('st1')[tag.meaning];
    const value = engineering(tag, await mbpoll(tag));
    if (typeof expected === 'boolean') {
      expect(value).toBe(expected);
      return;
    }
    // Integers carry the tag's scale as resolution; mbpoll prints floats to 6 significant digits.
    const tolerance = tag.type === 'float32' ? Math.abs(expected!) * 1e-5 + 1e-6 : tag.scale / 2 + 1e-9;
    expect(Math.abs((value as number) - expected!)).toBeLessThanOrEqual(tolerance);
  });

  test('a fault shows through mbpoll too', async () => {
    sim.inject('st1', 'pump_trip', { pump: 1 });
    const fault = await mbpoll(profile.tags.find((t) => t.name === 'p1_fault')!);
    const failovers = await mbpoll(profile.tags.find((t) => t.name === 'failover_count')!);
    const alarms = await mbpoll(profile.tags.find((t) => t.name === 'alarm_word')!);
    expect(fault).toBe(1);
    expect(failovers).toBe(1);
    expect(alarms & 1).toBe(1);
  });
});
