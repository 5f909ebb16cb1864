import { type DataType, isBitArea, type Tag, wordsOf } from '../profile/schema.ts';

/** The fields of a tag that decoding needs. */
export type CodecTag = Pick<Tag, 'area' | 'type' | 'wordOrder' | 'scale' | 'offset'> & {
  bit?: number | undefined;
};

const scratch = new DataView(new ArrayBuffer(4));

/** Raw integer/float from 16-bit words (each 0..65535), before scale and offset. */
export function rawFromWords(
  type: DataType,
  words: ArrayLike<number>,
  index: number,
  wordOrder: 'big' | 'little',
): number {
  const first = words[index] ?? 0;
  switch (type) {
    case 'bool':
    case 'uint16':
      return first & 0xffff;
    case 'int16':
      return (first << 16) >> 16;
    default: {
      const second = words[index + 1] ?? 0;
      const [hi, lo] = wordOrder === 'big' ? [first, second] : [second, first];
      scratch.setUint16(0, hi & 0xffff);
      scratch.setUint16(2, lo & 0xffff);
      if (type === 'int32') return scratch.getInt32(0);
      if (type === 'uint32') return scratch.getUint32(0);
      return scratch.getFloat32(0);
    }
  }
}

/** A value that does not fit its register: refused rather than clamped into a different value. */
export class RegisterRangeError extends RangeError {
  override name = 'RegisterRangeError';
}

const INTEGER_LIMITS: Partial<Record<DataType, [number, number]>> = {
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
};

/**
 * 16-bit words that hold a raw value of a type (the inverse of rawFromWords). Integers are rounded
 * to the nearest step; one outside the type's range, or not a number, is a RegisterRangeError.
 */
export function wordsFromRaw(type: DataType, raw: number, wordOrder: 'big' | 'little'): number[] {
  if (type === 'bool') return [raw ? 1 : 0];
  if (type === 'float32') {
    scratch.setFloat32(0, raw);
  } else {
    const [min, max] = INTEGER_LIMITS[type] ?? [0, 0];
    const rounded = Math.round(raw) + 0;
    if (!Number.isFinite(raw) || rounded < min || rounded > max) {
      throw new RegisterRangeError(
        `raw value ${Number(raw.toPrecision(12))} does not fit a ${type} register (${min}..${max})`,
      );
    }
    if (type === 'int16' || type === 'uint16') return [rounded & 0xffff];
    if (type === 'int32') scratch.setInt32(0, rounded);
    else scratch.setUint32(0, rounded);
  }
  const hi = scratch.getUint16(0);
  const lo = scratch.getUint16(2);
  return wordOrder === 'big' ? [hi, lo] : [lo, hi];
}

/** The unsigned content of the register(s) a tag reads: to compare with its "not available" values. */
export function registerContentAt(tag: CodecTag, words: ArrayLike<number>, index: number): number {
  const first = (words[index] ?? 0) & 0xffff;
  if (wordsOf(tag.type) === 1) return first;
  const second = (words[index + 1] ?? 0) & 0xffff;
  const [hi, lo] = tag.wordOrder === 'big' ? [first, second] : [second, first];
  return hi * 0x10000 + lo;
}

/**
 * Engineering value of a tag from the words (register areas) or bits (bit areas) of a read block.
 * `index` is the tag's position within the block.
 */
export function decodeTag(
  tag: CodecTag,
  block: ArrayLike<number> | ArrayLike<boolean>,
  index: number,
): number | boolean {
  if (isBitArea(tag.area)) return Boolean(block[index]);
  const words = block as ArrayLike<number>;
  if (tag.type === 'bool') {
    const word = (words[index] ?? 0) & 0xffff;
    return tag.bit === undefined ? word !== 0 : ((word >> tag.bit) & 1) === 1;
  }
  const raw = rawFromWords(tag.type, words, index, tag.wordOrder);
  const value = raw * tag.scale + tag.offset;
  // Scaling an integer by 0.1 gives 23.400000000000002, and a float32 widened to a double prints
  // as 380.64520263671875: keep only the digits the register carries (float32: 7 significant).
  return Number(value.toPrecision(tag.type === 'float32' ? 7 : 12));
}

/**
 * Raw words for an engineering value (simulators serve these; edges write set points with them).
 * A value that does not fit the register is a RegisterRangeError naming the value, not clamped.
 */
export function encodeTag(tag: CodecTag, value: number | boolean): number[] {
  if (typeof value === 'boolean' || tag.type === 'bool') {
    const on = Boolean(value);
    if (tag.bit !== undefined) return [on ? 1 << tag.bit : 0];
    return [on ? 1 : 0];
  }
  const raw = (value - tag.offset) / tag.scale;
  return wordsFromRaw(tag.type, raw, tag.wordOrder);
}

export function tagWidth(tag: CodecTag): number {
  return isBitArea(tag.area) ? 1 : wordsOf(tag.type);
}
