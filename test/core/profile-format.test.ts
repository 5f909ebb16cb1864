import { describe, expect, test } from 'vitest';
import { computeDerived } from '../../core/profile/derived.ts';
import { ProfileError, parseProfile } from '../../core/profile/load.ts';

const base = {
  model: 'vendor-x',
  nominalVoltage: 400,
  phases: 3,
  pumps: 3,
};

const problemsOf = (data: unknown): string => {
  try {
    parseProfile(data, 'vendor.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ProfileError);
    return (error as Error).message;
  }
  throw new Error('expected the profile to be refused');
};

describe('what real register maps need', () => {
  test('a pump block repeats per pump with its stride; addressBase 1 counts from register 1', () => {
    const profile = parseProfile(
      {
        ...base,
        addressBase: 1,
        tags: [
          {
            name: 'outlet',
            area: 'holding',
            address: 1,
            type: 'uint16',
            scale: 0.01,
            meaning: 'pressure.outlet',
          },
        ],
        pumpBlocks: [
          {
            stride: 20,
            tags: [
              {
                name: 'speed',
                area: 'holding',
                address: 101,
                type: 'uint16',
                meaning: 'pump[n].speed',
                unit: 'rpm',
              },
              {
                name: 'current',
                area: 'holding',
                address: 102,
                type: 'uint16',
                scale: 0.1,
                meaning: 'pump[n].current_l1',
              },
            ],
          },
        ],
      },
      'vendor.yaml',
    );
    expect(profile.nominalVoltage).toBe(400);
    expect(profile.tags.map((t) => [t.name, t.meaning, t.address])).toEqual([
      ['outlet', 'pressure.outlet', 0],
      ['p1_speed', 'pump[1].speed', 100],
      ['p1_current', 'pump[1].current_l1', 101],
      ['p2_speed', 'pump[2].speed', 120],
      ['p2_current', 'pump[2].current_l1', 121],
      ['p3_speed', 'pump[3].speed', 140],
      ['p3_current', 'pump[3].current_l1', 141],
    ]);
  });

  test('a block can name its pumps; overlapping blocks are refused with the pump that clashes', () => {
    const message = problemsOf({
      ...base,
      pumpBlocks: [
        {
          stride: 1,
          pumps: [1, 2],
          tags: [
            { name: 'a', area: 'input', address: 10, type: 'uint16', meaning: 'pump[n].speed' },
            { name: 'b', area: 'input', address: 11, type: 'uint16', meaning: 'pump[n].frequency' },
          ],
        },
      ],
    });
    expect(message).toContain(
      'pump block tag "a" (pumpBlocks[0].tags[0]) field "address": pump 2 (p2_a): overlaps pumpBlocks[0].tags[1] (pump 1) (p1_b) in the input area',
    );
  });

  test('enumerations, "not available" values and vendor alarm codes are kept with the tag', () => {
    const profile = parseProfile(
      {
        ...base,
        tags: [
          {
            name: 'mode',
            area: 'holding',
            address: 0,
            type: 'uint16',
            meaning: 'station.control_mode',
            enum: { 0: { en: 'Auto', zh: '自动' }, 4: { en: 'Manual', zh: '手动' } },
          },
          {
            name: 'temp',
            area: 'input',
            address: 0,
            type: 'int16',
            scale: 0.1,
            meaning: 'ambient.temperature',
            notAvailable: ['0x7FFF', -32768],
          },
          {
            name: 'vib',
            area: 'input',
            address: 1,
            type: 'float32',
            meaning: 'custom.vibration',
            notAvailable: ['nan'],
          },
          {
            name: 'fault_code',
            area: 'input',
            address: 3,
            type: 'uint16',
            meaning: 'station.alarm_code',
            alarmCodes: { '0x10': { en: 'Overcurrent', zh: '过电流', severity: 'major' }, 21: 'Dry running' },
          },
        ],
      },
      'vendor.yaml',
    );
    const [mode, temp, vib, code] = profile.tags;
    expect(mode?.enum).toEqual({ 0: { en: 'Auto', zh: '自动' }, 4: { en: 'Manual', zh: '手动' } });
    // -32768 and 0x8000 are the same int16 word: kept as the register's unsigned content.
    expect(temp?.notAvailableRaw).toEqual([0x7fff, 0x8000]);
    expect(vib?.notAvailableNaN).toBe(true);
    expect(code?.alarmCodes).toEqual({
      '0x10': { en: 'Overcurrent', zh: '过电流', severity: 'major', kind: 'alarm' },
      21: { en: 'Dry running', severity: 'general', kind: 'alarm' },
    });
    expect(temp?.frozenCheck).toBe(true);
  });

  test.each([
    [
      'a block tag without pump[n]',
      {
        pumpBlocks: [
          {
            stride: 10,
            tags: [{ name: 's', area: 'input', address: 0, type: 'uint16', meaning: 'pump[1].speed' }],
          },
        ],
      },
      /pump block tag "s" \(pumpBlocks\[0\]\.tags\[0\]\) field "meaning": a pump block tag names its pump as pump\[n\]/,
    ],
    [
      'an enum on a float',
      {
        tags: [
          {
            name: 'm',
            area: 'input',
            address: 0,
            type: 'float32',
            meaning: 'station.control_mode',
            enum: { 1: 'On' },
          },
        ],
      },
      /tag "m".*field "type": enum needs an integer type/,
    ],
    [
      'a "not available" value that does not fit the register',
      {
        tags: [
          {
            name: 't',
            area: 'input',
            address: 0,
            type: 'uint16',
            meaning: 'ambient.temperature',
            notAvailable: [70000],
          },
        ],
      },
      /field "notAvailable.0": 70000 does not fit a uint16 register/,
    ],
    [
      'an alarm code table on a scaled tag',
      {
        tags: [
          {
            name: 'c',
            area: 'input',
            address: 0,
            type: 'uint16',
            scale: 0.1,
            meaning: 'station.alarm_code',
            alarmCodes: { 1: 'x' },
          },
        ],
      },
      /field "alarmCodes": alarmCodes codes are raw values/,
    ],
    [
      'a code that is not a number',
      {
        tags: [
          {
            name: 'c',
            area: 'input',
            address: 0,
            type: 'uint16',
            meaning: 'station.alarm_code',
            alarmCodes: { E1: 'x' },
          },
        ],
      },
      /"E1": a code is a decimal or 0x hex integer/,
    ],
    [
      'address 0 with addressBase 1',
      {
        addressBase: 1,
        tags: [{ name: 'c', area: 'input', address: 0, type: 'uint16', meaning: 'flow.rate' }],
      },
      /field "address": address 0 is outside 1\.\.65536/,
    ],
    [
      'a derived reading whose input nobody reads',
      {
        tags: [{ name: 'c', area: 'input', address: 0, type: 'uint16', meaning: 'flow.rate' }],
        derived: [{ kind: 'above', meaning: 'pump[n].running', of: 'pump[n].speed' }],
      },
      /"pump\[1\]\.running" needs "pump\[1\]\.speed"/,
    ],
  ])('refused: %s', (_name, extra, pattern) => {
    const message = problemsOf({ ...base, tags: [], ...extra });
    expect(message).toMatch(pattern);
  });

  test('derived readings: running from speed, power from voltage, current and power factor', () => {
    const profile = parseProfile(
      {
        ...base,
        pumps: 2,
        tags: [{ name: 'u', area: 'input', address: 0, type: 'uint16', meaning: 'supply.voltage_l1' }],
        pumpBlocks: [
          {
            stride: 10,
            tags: [
              { name: 'speed', area: 'input', address: 10, type: 'uint16', meaning: 'pump[n].speed' },
              {
                name: 'i',
                area: 'input',
                address: 11,
                type: 'uint16',
                scale: 0.1,
                meaning: 'pump[n].current_l1',
              },
              {
                name: 'pf',
                area: 'input',
                address: 12,
                type: 'uint16',
                scale: 0.01,
                meaning: 'pump[n].power_factor',
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
            powerFactor: 'pump[n].power_factor',
          },
        ],
      },
      'vendor.yaml',
    );
    expect(profile.derived.map((d) => d.meaning)).toEqual([
      'pump[1].running',
      'pump[2].running',
      'pump[1].power',
      'pump[2].power',
    ]);
    const values: Record<string, number> = {
      'supply.voltage_l1': 400,
      'pump[1].speed': 1450,
      'pump[2].speed': 0,
      'pump[1].current_l1': 20,
      'pump[1].power_factor': 0.85,
    };
    const [run1, run2, power1, power2] = profile.derived;
    const value = (meaning: string) => values[meaning];
    expect(computeDerived(run1!, value)).toBe(true);
    expect(computeDerived(run2!, value)).toBe(false);
    // sqrt(3) x 400 V x 20 A x 0.85 = 11.778 kW
    expect(computeDerived(power1!, value)).toBeCloseTo(11.778, 3);
    // pump 2 has no current reading: no power rather than a made-up one
    expect(computeDerived(power2!, value)).toBeUndefined();
  });
});
