import { describe, expect, test } from 'vitest';
import { escapeNonAscii } from '../../bin/bundle.js';

/**
 * The bundles' sources are escaped to ASCII so V8 holds them one byte a character (bin/bundle.js).
 * The escaped code must mean the same: regular expressions with Chinese, a micro sign and an astral
 * character, with and without the u flag, in and out of a character class, and strings.
 */
describe('escaping a bundle to ASCII', () => {
  const source = `
    const flow = /flow|流量/i;
    const unit = /(\\d+)(ns|µs|ms)/;
    const astral = /a😀b/u;
    const astralClass = /^[😀x]$/u;
    const classic = /^😀$/;
    const text = '压力 µ 😀';
    return [
      flow.test('总流量'), flow.test('flow'), flow.test('压力'),
      unit.exec('12µs')?.[2], astral.test('a😀b'), astralClass.test('😀'), astralClass.test('x'),
      classic.test('😀'), text, text.length,
    ];`;

  test('leaves nothing but ASCII', () => {
    expect(/[\u0080-\uffff]/.test(escapeNonAscii(source))).toBe(false);
  });

  test('the escaped code computes what the original computes', () => {
    const original = new Function(source)();
    expect(original).toEqual([true, true, false, 'µs', true, true, true, true, '压力 µ 😀', 7]);
    expect(new Function(escapeNonAscii(source))()).toEqual(original);
  });
});
