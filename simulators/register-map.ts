import { decodeTag, encodeTag, tagWidth } from '../core/modbus/codec.ts';
import { isBitArea, type Profile, type RegisterArea, type Tag } from '../core/profile/schema.ts';
import type { Readings } from './model/readings.ts';
import { unfitReason } from './profile-values.ts';

/** Modbus exception codes the simulator answers with. */
export const EXCEPTION = {
  illegalFunction: 0x01,
  illegalDataAddress: 0x02,
  illegalDataValue: 0x03,
  serverDeviceFailure: 0x04,
  serverDeviceBusy: 0x06,
  gatewayTargetFailed: 0x0b,
} as const;

/** Largest read the protocol allows in one request (Modbus Application Protocol 1.1b, 6.1-6.4). */
export const MAX_READ_BITS = 2000;
export const MAX_READ_REGISTERS = 125;

/** An error the Modbus server turns into an exception reply (modbus-serial reads `modbusErrorCode`). */
export class ModbusException extends Error {
  override name = 'ModbusException';
  constructor(
    readonly modbusErrorCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** The four Modbus tables of one station at one instant; addresses not in a map read as 0. */
export interface RegisterImage {
  coil: Map<number, boolean>;
  discrete: Map<number, boolean>;
  input: Map<number, number>;
  holding: Map<number, number>;
  /** Tags whose value did not fit their register, with why (served as "not available" or 0). */
  unfit: string[];
}

/**
 * Encodes readings into the tables the profile lays out. Meanings without a reading stay 0. A value
 * that does not fit its register is not clamped into another one: the register is left out and the
 * tag is listed in `unfit` (a read of it answers with the tag's "not available" code, or 0).
 */
export function buildRegisterImage(profile: Profile, values: Readings): RegisterImage {
  const image: RegisterImage = {
    coil: new Map(),
    discrete: new Map(),
    input: new Map(),
    holding: new Map(),
    unfit: [],
  };
  for (const tag of profile.tags) {
    const value = values[tag.meaning];
    if (value === undefined) continue;
    if (tag.area === 'coil' || tag.area === 'discrete') {
      image[tag.area].set(tag.address, Boolean(value));
      continue;
    }
    const table = image[tag.area];
    let words: number[];
    try {
      words = encodeTag(tag, value);
    } catch (error) {
      const reason = unfitReason(tag, error);
      if (!reason) throw error;
      image.unfit.push(reason);
      const notAvailable = tag.notAvailableRaw?.[0];
      if (notAvailable === undefined) continue;
      words =
        tagWidth(tag) === 1 ? [notAvailable] : [Math.floor(notAvailable / 0x10000), notAvailable % 0x10000];
      if (tag.wordOrder === 'little') words.reverse();
    }
    words.forEach((word, i) => {
      const address = tag.address + i;
      if (address > 65535) return;
      // Bools on distinct bits of one register share the word.
      table.set(address, tag.bit === undefined ? word : (table.get(address) ?? 0) | word);
    });
  }
  return image;
}

function checkRange(address: number, count: number, max: number): void {
  if (!Number.isInteger(count) || count < 1 || count > max) {
    throw new ModbusException(EXCEPTION.illegalDataValue, `quantity ${count} is outside 1..${max}`);
  }
  if (address < 0 || address + count > 65536) {
    throw new ModbusException(
      EXCEPTION.illegalDataAddress,
      `addresses ${address}..${address + count - 1} pass 65535`,
    );
  }
}

/** Words of a register table (input or holding). */
export function readWords(
  image: RegisterImage,
  area: 'input' | 'holding',
  address: number,
  count: number,
): number[] {
  checkRange(address, count, MAX_READ_REGISTERS);
  const table = image[area];
  return Array.from({ length: count }, (_, i) => table.get(address + i) ?? 0);
}

/** Bits of a bit table (coil or discrete). */
export function readBits(
  image: RegisterImage,
  area: 'coil' | 'discrete',
  address: number,
  count: number,
): boolean[] {
  checkRange(address, count, MAX_READ_BITS);
  const table = image[area];
  return Array.from({ length: count }, (_, i) => table.get(address + i) ?? false);
}

/** A value a client wrote, decoded by the tag it landed on. */
export interface DecodedWrite {
  tag: Tag;
  value: number | boolean;
}

/**
 * Decodes a write of `values` (words for holding, bits for coil) starting at `address`. Every address
 * written must belong to a writable tag; a 32-bit tag written in part keeps its other word from the image.
 */
export function decodeWrite(
  profile: Profile,
  image: RegisterImage,
  area: Extract<RegisterArea, 'coil' | 'holding'>,
  address: number,
  values: ReadonlyArray<number | boolean>,
): DecodedWrite[] {
  const end = address + values.length;
  if (end > 65536) throw new ModbusException(EXCEPTION.illegalDataAddress, `write passes address 65535`);
  const touched = profile.tags.filter(
    (tag) => tag.area === area && tag.address < end && tag.address + tagWidth(tag) > address,
  );
  for (let a = address; a < end; a++) {
    const owner = touched.find((tag) => tag.address <= a && a < tag.address + tagWidth(tag));
    if (!owner?.writable) {
      const what = owner ? `tag ${owner.name} is read-only` : 'no tag there';
      throw new ModbusException(EXCEPTION.illegalDataAddress, `cannot write ${area} ${a}: ${what}`);
    }
  }
  return touched.map((tag) => {
    if (isBitArea(area)) return { tag, value: Boolean(values[tag.address - address]) };
    const words = Array.from({ length: tagWidth(tag) }, (_, i) => {
      const at = tag.address + i;
      return at >= address && at < end ? Number(values[at - address]) : (image.holding.get(at) ?? 0);
    });
    return { tag, value: decodeTag(tag, words, 0) };
  });
}
