import { describe, expect, test } from 'vitest';
import { decodeTag, tagWidth } from '../../core/modbus/codec.ts';
import { loadProfile, parseProfile } from '../../core/profile/load.ts';
import { isBitArea } from '../../core/profile/schema.ts';
import { readings } from '../../simulators/model/readings.ts';
import { createStationState, stepStation } from '../../simulators/model/step.ts';
import {
  buildRegisterImage,
  decodeWrite,
  EXCEPTION,
  ModbusException,
  readBits,
  readWords,
} from '../../simulators/register-map.ts';

const profile = loadProfile('profiles/booster-3p-380.yaml');
const state = createStationState({
  seed: 5,
  pumps: 3,
  nominalVoltage: 380,
  phases: 3,
  startTime: Date.UTC(2024, 0, 1, 8),
});
stepStation(state, 600);
const values = readings(state);
const image = buildRegisterImage(profile, values);

/** What one register step of a tag is worth in engineering units (the encoding's resolution). */
function resolution(tag: (typeof profile.tags)[number], value: number): number {
  if (tag.type === 'float32') return Math.abs(value) * 1e-6 + 1e-6;
  return Math.abs(tag.scale) / 2 + 1e-9;
}

describe('register image of the reference profile', () => {
  test.each(profile.tags.map((tag) => [tag.name, tag] as const))(
    '%s decodes to the reading',
    (_name, tag) => {
      const block = isBitArea(tag.area)
        ? readBits(image, tag.area as 'coil' | 'discrete', tag.address, 1)
        : readWords(image, tag.area as 'input' | 'holding', tag.address, tagWidth(tag));
      const decoded = decodeTag(tag, block, 0);
      const expected = values[tag.meaning];
      expect(expected).toBeDefined();
      if (typeof expected === 'boolean') expect(decoded).toBe(expected);
      else expect(Math.abs((decoded as number) - expected!)).toBeLessThanOrEqual(resolution(tag, expected!));
    },
  );

  test('unmapped addresses inside a span read as 0', () => {
    expect(readWords(image, 'input', 19, 81)).toEqual(new Array(81).fill(0));
    expect(readBits(image, 'discrete', 12, 4)).toEqual(new Array(4).fill(false));
  });

  test.each([
    ['input', 0, 126, EXCEPTION.illegalDataValue],
    ['input', 65530, 7, EXCEPTION.illegalDataAddress],
    ['holding', 65535, 2, EXCEPTION.illegalDataAddress],
    ['input', 0, 0, EXCEPTION.illegalDataValue],
  ] as const)('%s %d x%d -> exception %d', (area, address, count, code) => {
    expect(() => readWords(image, area, address, count)).toThrow(ModbusException);
    try {
      readWords(image, area, address, count);
    } catch (error) {
      expect((error as ModbusException).modbusErrorCode).toBe(code);
    }
  });

  test('125 registers up to 65535 is the largest legal read', () => {
    expect(readWords(image, 'input', 65411, 125)).toHaveLength(125);
    expect(() => readBits(image, 'coil', 0, 2001)).toThrow(/outside 1..2000/);
  });
});

describe('writes', () => {
  test.each([4.25, 3, 0])('set point %d bar round-trips through its holding register', (bar) => {
    const setpoint = profile.tags.find((t) => t.meaning === 'pressure.setpoint')!;
    const words = buildRegisterImage(profile, { 'pressure.setpoint': bar }).holding.get(setpoint.address)!;
    const [write] = decodeWrite(profile, image, 'holding', setpoint.address, [words]);
    expect(write?.tag.name).toBe('pressure_setpoint');
    expect(write?.value).toBeCloseTo(bar, 5);
  });

  test.each([
    ['holding', 2, 'no tag there'],
    ['coil', 3, 'no tag there'],
  ] as const)('writing %s %d is an illegal address (%s)', (area, address, why) => {
    expect(() => decodeWrite(profile, image, area, address, [1])).toThrow(why);
  });

  const custom = parseProfile(
    {
      model: 'test',
      nominalVoltage: 220,
      phases: 1,
      pumps: 1,
      tags: [
        {
          name: 'sp',
          area: 'holding',
          address: 10,
          type: 'float32',
          wordOrder: 'little',
          meaning: 'custom.sp',
          writable: true,
        },
        { name: 'ro', area: 'holding', address: 12, type: 'uint16', meaning: 'custom.ro' },
        { name: 'b0', area: 'holding', address: 20, type: 'bool', bit: 0, meaning: 'pump[1].running' },
        { name: 'b3', area: 'holding', address: 20, type: 'bool', bit: 3, meaning: 'pump[1].fault' },
      ],
    },
    'inline',
  );

  test('a 32-bit tag written one word at a time keeps the other word from the image', () => {
    const img = buildRegisterImage(custom, { 'custom.sp': 1.5 });
    const words = [img.holding.get(10)!, img.holding.get(11)!];
    const target = buildRegisterImage(custom, { 'custom.sp': 2.75 });
    // Little word order: address 11 holds the high word, which is where 1.5 and 2.75 differ.
    const [write] = decodeWrite(custom, img, 'holding', 11, [target.holding.get(11)!]);
    expect(write?.value).toBe(2.75);
    expect(words).toHaveLength(2);
  });

  test('read-only tags refuse writes, bools on bits of one register share it', () => {
    const img = buildRegisterImage(custom, { 'pump[1].running': true, 'pump[1].fault': true });
    expect(img.holding.get(20)).toBe(0b1001);
    expect(() => decodeWrite(custom, img, 'holding', 12, [1])).toThrow('tag ro is read-only');
  });
});
