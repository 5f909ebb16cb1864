import { describe, expect, test } from 'vitest';
import { findControlCharacter } from '../../core/text/control-characters.ts';

describe('findControlCharacter', () => {
  test.each([
    ['plain text', 'pump 1 bearing noise', undefined],
    ['Chinese text', '水泵轴承异响', undefined],
    ['tab, line feed and carriage return are text', 'line 1\r\n\tline 2', undefined],
    ['NUL', 'a\u0000b', { path: '', character: 'U+0000' }],
    ['bell', 'x\u0007', { path: '', character: 'U+0007' }],
    ['escape', '\u001b[31m', { path: '', character: 'U+001B' }],
    ['DEL', 'abc\u007f', { path: '', character: 'U+007F' }],
    [
      'nested in an array of objects',
      { contacts: [{ name: 'ok' }, { name: 'Li\u0000' }] },
      { path: 'contacts.1.name', character: 'U+0000' },
    ],
    ['in an object key', { 'no\u0000te': 'x' }, { path: 'no\u0000te', character: 'U+0000' }],
    ['numbers, booleans and null pass', { a: 1, b: true, c: null }, undefined],
  ])('%s', (_name, value, expected) => {
    expect(findControlCharacter(value)).toEqual(expected);
  });

  test('a deeply nested value is not walked past 32 levels (bounded work)', () => {
    let value: unknown = 'a\u0000';
    for (let i = 0; i < 100; i++) value = { inner: value };
    expect(findControlCharacter(value)).toBeUndefined();
    let shallow: unknown = 'a\u0000';
    for (let i = 0; i < 10; i++) shallow = { inner: shallow };
    expect(findControlCharacter(shallow)?.path).toBe(Array(10).fill('inner').join('.'));
  });
});
