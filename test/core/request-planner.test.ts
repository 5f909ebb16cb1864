import { describe, expect, test } from 'vitest';
import {
  lowerBoundReads,
  MAX_BITS_PER_READ,
  MAX_REGISTERS_PER_READ,
  type PlannableTag,
  planReads,
} from '../../core/modbus/request-planner.ts';

const ir = (address: number, width = 1): PlannableTag => ({ area: 'input', address, width });
const shape = (tags: PlannableTag[], options = {}) =>
  planReads(tags, options).map((read) => `${read.area}@${read.address}+${read.count}`);

describe('planReads', () => {
  test.each([
    ['adjacent words merge', [ir(0), ir(1), ir(2)], ['input@0+3']],
    ['32-bit tags count two words', [ir(0, 2), ir(2, 2)], ['input@0+4']],
    ['a small gap is spanned', [ir(0), ir(10)], ['input@0+11']],
    ['a gap of exactly the tolerance is spanned', [ir(0), ir(33)], ['input@0+34']],
    ['a gap past the tolerance splits', [ir(0), ir(34)], ['input@0+1', 'input@34+1']],
    ['unsorted input is sorted', [ir(5), ir(0)], ['input@0+6']],
    [
      'areas never mix',
      [ir(0), { area: 'holding', address: 0, width: 1 }, { area: 'coil', address: 0, width: 1 }],
      ['input@0+1', 'holding@0+1', 'coil@0+1'],
    ],
  ] as const)('%s', (_name, tags, expected) => {
    expect(shape([...tags])).toEqual(expected);
  });

  test.each([
    ['a 32-bit tag ending on the limit fits', [ir(0), ir(123, 2)], ['input@0+125']],
    ['the 125-register limit holds exactly', [ir(0), ir(124)], ['input@0+125']],
    ['one past the limit splits', [ir(0), ir(125)], ['input@0+1', 'input@125+1']],
    [
      'a 32-bit tag straddling the limit goes to the next read',
      [ir(0), ir(124, 2)],
      ['input@0+1', 'input@124+2'],
    ],
  ] as const)('with any gap tolerated, %s', (_name, tags, expected) => {
    expect(shape([...tags], { maxRegisterGap: 1000 })).toEqual(expected);
  });

  test('bits obey the 2000-bit limit', () => {
    const bits: PlannableTag[] = [
      { area: 'discrete', address: 0, width: 1 },
      { area: 'discrete', address: 1999, width: 1 },
      { area: 'discrete', address: 2000, width: 1 },
    ];
    expect(shape(bits, { maxBitGap: 5000 })).toEqual(['discrete@0+2000', 'discrete@2000+1']);
    expect(MAX_BITS_PER_READ).toBe(2000);
  });

  test('every tag is served once with its offset into the block', () => {
    const tags = [ir(100, 2), ir(103), ir(110)];
    const [read] = planReads(tags);
    expect(read?.tags.map((t) => [t.tag.address, t.index])).toEqual([
      [100, 0],
      [103, 3],
      [110, 10],
    ]);
  });

  test('no read exceeds the protocol limit on a long dense map', () => {
    const tags = Array.from({ length: 600 }, (_, i) => ir(i * 2, 2));
    const reads = planReads(tags);
    expect(reads.every((r) => r.count <= MAX_REGISTERS_PER_READ)).toBe(true);
    expect(reads.reduce((n, r) => n + r.tags.length, 0)).toBe(600);
    expect(reads.length).toBe(lowerBoundReads(tags));
  });

  test('a tag wider than a read is refused', () => {
    expect(() => planReads([ir(0, 126)])).toThrow(/width 126/);
  });
});

describe('lowerBoundReads', () => {
  test.each([
    ['far apart registers still fit one read', [ir(0), ir(120)], 1],
    ['beyond one read', [ir(0), ir(200)], 2],
    ['three windows', [ir(0), ir(125), ir(250)], 3],
  ] as const)('%s', (_name, tags, expected) => {
    expect(lowerBoundReads([...tags])).toBe(expected);
  });
});
