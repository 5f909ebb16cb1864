import { describe, expect, test } from 'vitest';
import {
  type CodecTag,
  decodeTag,
  encodeTag,
  RegisterRangeError,
  rawFromWords,
  registerContentAt,
  wordsFromRaw,
} from '../../core/modbus/codec.ts';

const reg = (type: CodecTag['type'], extra: Partial<CodecTag> = {}): CodecTag => ({
  area: 'input',
  type,
  wordOrder: 'big',
  scale: 1,
  offset: 0,
  ...extra,
});

describe('rawFromWords', () => {
  test.each([
    ['uint16', [0xffff], 'big', 65535],
    ['int16', [0xffff], 'big', -1],
    ['int16', [0x8000], 'big', -32768],
    ['int16', [0x7fff], 'big', 32767],
    ['uint32', [0x0001, 0x0000], 'big', 65536],
    ['uint32', [0x0000, 0x0001], 'little', 65536],
    ['uint32', [0xffff, 0xffff], 'big', 4294967295],
    ['int32', [0xffff, 0xfffe], 'big', -2],
    ['int32', [0xfffe, 0xffff], 'little', -2],
    ['int32', [0x8000, 0x0000], 'big', -2147483648],
    ['float32', [0x43be, 0x0000], 'big', 380],
    ['float32', [0x0000, 0x43be], 'little', 380],
    ['float32', [0xc2c8, 0x0000], 'big', -100],
  ] as const)('%s %j %s -> %d', (type, words, order, expected) => {
    expect(rawFromWords(type, words, 0, order)).toBe(expected);
  });

  test('reads at an offset inside a block', () => {
    expect(rawFromWords('uint32', [9, 9, 0x0001, 0x0002], 2, 'big')).toBe(0x00010002);
  });

  test('float32 NaN pattern decodes to NaN, not a number', () => {
    expect(rawFromWords('float32', [0x7fc0, 0x0000], 0, 'big')).toBeNaN();
  });
});

describe('decodeTag', () => {
  test.each([
    ['scaled uint16 pressure', reg('uint16', { scale: 0.01 }), [412], 4.12],
    ['scaled negative int16 temperature', reg('int16', { scale: 0.1 }), [0xff9c], -10],
    ['offset applied after scale', reg('int16', { scale: 0.1, offset: -40 }), [500], 10],
    ['uint32 run hours', reg('uint32', { scale: 0.1 }), [0x0001, 0x86a0], 10000],
    ['int32 little word order', reg('int32', { wordOrder: 'little' }), [0xfff6, 0xffff], -10],
    ['bool register nonzero', reg('bool'), [2], true],
    ['bool register zero', reg('bool'), [0], false],
    ['bool bit 3 set', reg('bool', { bit: 3 }), [0b1000], true],
    ['bool bit 3 clear', reg('bool', { bit: 3 }), [0b0111], false],
  ] as const)('%s', (_name, tag, words, expected) => {
    expect(decodeTag(tag, words, 0)).toBe(expected);
  });

  test('float32 keeps full precision', () => {
    const value = decodeTag(reg('float32'), wordsFromRaw('float32', 2.345, 'big'), 0) as number;
    expect(value).toBeCloseTo(2.345, 6);
  });

  test.each([
    [[true, false, true], 2, true],
    [[true, false, true], 1, false],
  ] as const)('bit area %j[%d] -> %s', (bits, index, expected) => {
    expect(
      decodeTag({ area: 'discrete', type: 'bool', wordOrder: 'big', scale: 1, offset: 0 }, bits, index),
    ).toBe(expected);
  });
});

describe('encodeTag round trip', () => {
  test.each([
    [reg('uint16', { scale: 0.01 }), 4.12],
    [reg('int16', { scale: 0.1 }), -12.5],
    [reg('int32', { wordOrder: 'little' }), -123456],
    [reg('uint32', { scale: 0.1 }), 429496729.5],
    [reg('int16', { scale: 0.1, offset: -40 }), 25.3],
  ])('%j <- %d', (tag, value) => {
    expect(decodeTag(tag, encodeTag(tag, value), 0)).toBeCloseTo(value, 6);
  });

  test.each([
    ['int16 too high', reg('int16'), 40000, /40000 does not fit a int16 register \(-32768\.\.32767\)/],
    ['int16 too low', reg('int16'), -40000, /-40000 does not fit a int16 register/],
    ['uint16 negative', reg('uint16'), -5, /-5 does not fit a uint16 register \(0\.\.65535\)/],
    ['NaN for an integer', reg('uint16'), Number.NaN, /NaN does not fit/],
    ['uint16 scaled past its top', reg('uint16', { scale: 0.01 }), 700, /70000 does not fit a uint16/],
  ] as const)('refused, not clamped: %s', (_name, tag, value, message) => {
    expect(() => encodeTag(tag, value)).toThrow(RegisterRangeError);
    expect(() => encodeTag(tag, value)).toThrow(message);
  });

  test.each([
    ['a half step rounds to the nearest', reg('uint16', { scale: 0.01 }), 4.125, 4.13],
    ['a value just under 0 that rounds to 0 fits', reg('uint16', { scale: 0.1 }), -0.04, 0],
  ] as const)('%s', (_name, tag, value, expected) => {
    expect(decodeTag(tag, encodeTag(tag, value), 0)).toBe(expected);
  });

  test('a bool on a register bit encodes that bit only', () => {
    expect(encodeTag(reg('bool', { bit: 4 }), true)).toEqual([16]);
  });
});

describe('registerContentAt: the unsigned words a "not available" value is compared with', () => {
  test.each([
    ['int16 0x8000 (-32768)', reg('int16'), [0x8000], 0x8000],
    ['uint16 0xFFFF', reg('uint16'), [0xffff], 0xffff],
    ['int32 big, 0x7FFFFFFF', reg('int32'), [0x7fff, 0xffff], 0x7fffffff],
    ['uint32 little, 0xFFFFFFFF', reg('uint32', { wordOrder: 'little' }), [0xffff, 0xffff], 0xffffffff],
    ['uint32 little, low word first', reg('uint32', { wordOrder: 'little' }), [0x0001, 0x0002], 0x00020001],
  ] as const)('%s', (_name, tag, words, expected) => {
    expect(registerContentAt(tag, words, 0)).toBe(expected);
  });
});
