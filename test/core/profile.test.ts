import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { tagWidth } from '../../core/modbus/codec.ts';
import { lowerBoundReads, planReads } from '../../core/modbus/request-planner.ts';
import { loadProfile, ProfileError, parseProfile } from '../../core/profile/load.ts';
import { parseMeaning } from '../../core/profile/meanings.ts';

const base = {
  model: 'test',
  nominalVoltage: 380,
  phases: 3,
  pumps: 2,
  tags: [{ name: 'p1_running', area: 'discrete', address: 0, type: 'bool', meaning: 'pump[1].running' }],
};
const withTag = (tag: Record<string, unknown>) => ({ ...base, tags: [...base.tags, tag] });
const problemsOf = (data: unknown): string => {
  try {
    parseProfile(data, 'broken.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ProfileError);
    return (error as Error).message;
  }
  throw new Error('expected the profile to be refused');
};

describe('the reference profile', () => {
  const profile = loadProfile('profiles/booster-3p-380.yaml');

  test('loads and covers what the station model needs', () => {
    const meanings = profile.tags.map((t) => t.meaning);
    for (const pump of [1, 2, 3]) {
      for (const field of [
        'running',
        'fault',
        'standby',
        'run_hours',
        'start_count',
        'frequency',
        'current_l1',
      ]) {
        expect(meanings).toContain(`pump[${pump}].${field}`);
      }
    }
    expect(meanings).toContain('grounding.fault');
    expect(new Set(profile.tags.map((t) => t.type))).toEqual(
      new Set(['bool', 'int16', 'uint16', 'int32', 'uint32', 'float32']),
    );
    expect(profile.tags.find((t) => t.meaning === 'pressure.setpoint')).toMatchObject({
      area: 'holding',
      writable: true,
    });
  });

  test.each(['fast', 'slow'] as const)('plans %s tags in the lower bound of reads', (poll) => {
    const tags = profile.tags.filter((t) => t.poll === poll).map((t) => ({ ...t, width: tagWidth(t) }));
    expect(planReads(tags).length).toBe(lowerBoundReads(tags));
  });
});

describe('profile validation names the file, the tag and the field', () => {
  test.each([
    [
      'unknown area',
      withTag({ name: 'x', area: 'eeprom', address: 1, type: 'uint16', meaning: 'flow.rate' }),
      /tag "x".*field "area"/,
    ],
    [
      'negative address',
      withTag({ name: 'x', area: 'input', address: -1, type: 'uint16', meaning: 'flow.rate' }),
      /tag "x".*field "address"/,
    ],
    [
      'bad type',
      withTag({ name: 'x', area: 'input', address: 1, type: 'int64', meaning: 'flow.rate' }),
      /tag "x".*field "type"/,
    ],
    [
      'word order typo',
      withTag({
        name: 'x',
        area: 'input',
        address: 1,
        type: 'int32',
        wordOrder: 'middle',
        meaning: 'flow.rate',
      }),
      /field "wordOrder"/,
    ],
    [
      'non-bool in a bit area',
      withTag({ name: 'x', area: 'coil', address: 1, type: 'uint16', meaning: 'flow.rate' }),
      /field "type".*one bit/,
    ],
    [
      'unknown meaning',
      withTag({ name: 'x', area: 'input', address: 1, type: 'uint16', meaning: 'pressure.sideways' }),
      /field "meaning".*unknown meaning/,
    ],
    [
      'unknown pump field',
      withTag({ name: 'x', area: 'input', address: 1, type: 'uint16', meaning: 'pump[1].colour' }),
      /unknown pump field "colour"/,
    ],
    [
      'pump beyond the count',
      withTag({ name: 'x', area: 'input', address: 1, type: 'uint16', meaning: 'pump[3].frequency' }),
      /pump 3 but the profile has 2 pumps/,
    ],
    [
      'duplicate name',
      withTag({ name: 'p1_running', area: 'input', address: 1, type: 'uint16', meaning: 'flow.rate' }),
      /field "name": duplicate/,
    ],
    [
      'duplicate meaning',
      withTag({ name: 'x', area: 'discrete', address: 5, type: 'bool', meaning: 'pump[1].running' }),
      /already the meaning/,
    ],
    [
      'overlapping 32-bit registers',
      {
        ...base,
        tags: [
          { name: 'a', area: 'input', address: 0, type: 'float32', meaning: 'flow.rate' },
          { name: 'b', area: 'input', address: 1, type: 'uint16', meaning: 'tank.level' },
        ],
      },
      /tag "b".*field "address": overlaps tags\[0\]/,
    ],
    [
      'writable input register',
      withTag({ name: 'x', area: 'input', address: 1, type: 'uint16', meaning: 'flow.rate', writable: true }),
      /field "writable"/,
    ],
    [
      'zero scale',
      withTag({ name: 'x', area: 'input', address: 1, type: 'uint16', meaning: 'flow.rate', scale: 0 }),
      /field "scale"/,
    ],
    [
      'unknown field',
      withTag({ name: 'x', area: 'input', address: 1, type: 'uint16', meaning: 'flow.rate', sclae: 2 }),
      /tag "x"/,
    ],
    ['missing model', { ...base, model: undefined }, /field "model"/],
    ['a nominal voltage no supply has', { ...base, nominalVoltage: 5000 }, /field "nominalVoltage"/],
  ])('%s', (_name, data, pattern) => {
    const message = problemsOf(data);
    expect(message).toMatch(/^broken\.yaml: invalid device profile/);
    expect(message).toMatch(pattern);
  });

  test('bools on distinct bits of one register do not overlap', () => {
    const profile = parseProfile(
      {
        ...base,
        tags: [
          { name: 'a', area: 'input', address: 0, type: 'bool', bit: 0, meaning: 'grounding.fault' },
          { name: 'b', area: 'input', address: 0, type: 'bool', bit: 1, meaning: 'pump[1].fault' },
        ],
      },
      'bits.yaml',
    );
    expect(profile.tags).toHaveLength(2);
  });

  test('a file that is not YAML is refused with its name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'profile-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'model: [unclosed\n');
    expect(() => loadProfile(file)).toThrow(new RegExp(`${file}: invalid device profile\\n  not valid YAML`));
  });

  test('a missing file is refused with its name', () => {
    expect(() => loadProfile('/nonexistent/profile.yaml')).toThrow(
      /\/nonexistent\/profile.yaml.*cannot read/s,
    );
  });
});

describe('parseMeaning', () => {
  test.each([
    ['pump[2].bearing_vibration', { kind: 'pump', pump: 2, field: 'bearing_vibration' }],
    ['supply.voltage_l2', { kind: 'station', meaning: 'supply.voltage_l2' }],
    ['custom.valve_position', { kind: 'custom', meaning: 'custom.valve_position' }],
  ])('%s', (meaning, expected) => {
    expect(parseMeaning(meaning)).toEqual(expected);
  });

  test.each(['pump[0].running', 'pump[1]', 'Pressure.outlet', ''])('refuses %j', (meaning) => {
    expect(typeof parseMeaning(meaning)).toBe('string');
  });
});
