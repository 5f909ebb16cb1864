import type { RegisterArea } from '../core/profile/schema.ts';
import type { WritableArea } from './modbus-source.ts';

/** Modbus application protocol v1.1b3 §6: the read function of each area. */
export const READ_FUNCTION: Record<RegisterArea, number> = { coil: 1, discrete: 2, holding: 3, input: 4 };

/** A read request PDU: function, start address, quantity. */
export function readRequest(area: RegisterArea, address: number, count: number): Buffer {
  const pdu = Buffer.allocUnsafe(5);
  pdu[0] = READ_FUNCTION[area];
  pdu.writeUInt16BE(address, 1);
  pdu.writeUInt16BE(count, 3);
  return pdu;
}

/** A write request PDU: single (5, 6) for one value, multiple (15, 16) for more. */
export function writeRequest(
  area: WritableArea,
  address: number,
  values: readonly (number | boolean)[],
): Buffer {
  if (values.length === 0) throw new RangeError('nothing to write');
  if (values.length === 1) {
    const pdu = Buffer.allocUnsafe(5);
    pdu[0] = area === 'coil' ? 5 : 6;
    pdu.writeUInt16BE(address, 1);
    pdu.writeUInt16BE(area === 'coil' ? (values[0] ? 0xff00 : 0) : Number(values[0]) & 0xffff, 3);
    return pdu;
  }
  const bytes = area === 'coil' ? Math.ceil(values.length / 8) : values.length * 2;
  const pdu = Buffer.alloc(6 + bytes);
  pdu[0] = area === 'coil' ? 15 : 16;
  pdu.writeUInt16BE(address, 1);
  pdu.writeUInt16BE(values.length, 3);
  pdu[5] = bytes;
  values.forEach((value, i) => {
    if (area === 'coil') {
      if (value) pdu[6 + (i >> 3)]! |= 1 << (i & 7);
    } else {
      pdu.writeUInt16BE(Number(value) & 0xffff, 6 + 2 * i);
    }
  });
  return pdu;
}

/** The words of a read registers reply (function 3 or 4), or why the reply does not fit the request. */
export function replyWords(pdu: Buffer, count: number): number[] | string {
  const bytes = pdu[1];
  if (bytes !== count * 2 || pdu.length !== 2 + bytes) {
    return `reply holds ${pdu.length - 2} bytes (byte count ${bytes}) for ${count} registers`;
  }
  const words = new Array<number>(count);
  for (let i = 0; i < count; i++) words[i] = (pdu[2 + 2 * i]! << 8) | pdu[3 + 2 * i]!;
  return words;
}

/** The bits of a read bits reply (function 1 or 2), or why the reply does not fit the request. */
export function replyBits(pdu: Buffer, count: number): boolean[] | string {
  const bytes = pdu[1];
  if (bytes !== Math.ceil(count / 8) || pdu.length !== 2 + bytes) {
    return `reply holds ${pdu.length - 2} bytes (byte count ${bytes}) for ${count} bits`;
  }
  const bits = new Array<boolean>(count);
  for (let i = 0; i < count; i++) bits[i] = ((pdu[2 + (i >> 3)]! >> (i & 7)) & 1) === 1;
  return bits;
}
