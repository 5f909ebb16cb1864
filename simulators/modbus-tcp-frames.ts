import type { Logger } from '../core/log.ts';
import { injectedRefusal } from './modbus-vector.ts';
import { EXCEPTION, MAX_READ_BITS, MAX_READ_REGISTERS, ModbusException } from './register-map.ts';
import type { StationRuntime } from './station-runtime.ts';

/** Longest MBAP length field a valid request carries (unit id + a 253-byte PDU). */
export const MAX_MBAP_LENGTH = 254;

export interface FrameContext {
  /** Stations by unit id. */
  stations: ReadonlyMap<number, StationRuntime>;
  /** A port with one station answers any unit id, as most TCP devices do. */
  lone: StationRuntime | undefined;
  logger: Logger;
  /** Counts a request a silent station leaves unanswered. */
  onSilent(): void;
}

/**
 * Answers one Modbus TCP request frame (MBAP header included): a reply frame, or undefined when the
 * station stays silent. Reads are served from the station's flat image (flat-image.ts) straight into
 * the reply buffer; writes go through the station's own decoding.
 */
export function answerFrame(frame: Buffer, context: FrameContext): Buffer | undefined {
  const unitId = frame[6]!;
  const fc = frame[7]!;
  const station = context.lone ?? context.stations.get(unitId);
  try {
    if (!station)
      throw new ModbusException(EXCEPTION.gatewayTargetFailed, `no station with unit id ${unitId}`);
    const refusal = injectedRefusal(station);
    if (refusal === 'silent') {
      context.onSilent();
      return undefined;
    }
    if (refusal) throw refusal;
    if (frame.length < 12) throw new ModbusException(EXCEPTION.illegalDataValue, 'request too short');
    const address = frame.readUInt16BE(8);
    const count = frame.readUInt16BE(10);
    switch (fc) {
      case 1:
      case 2:
        return readBitsReply(frame, station.flat()[fc === 1 ? 'coil' : 'discrete'], address, count);
      case 3:
      case 4:
        return readWordsReply(frame, station.flat()[fc === 3 ? 'holding' : 'input'], address, count);
      case 5:
        if (count !== 0xff00 && count !== 0)
          throw new ModbusException(EXCEPTION.illegalDataValue, 'coil value');
        station.write('coil', address, [count === 0xff00]);
        return Buffer.from(frame.subarray(0, 12));
      case 6:
        station.write('holding', address, [count]);
        return Buffer.from(frame.subarray(0, 12));
      case 15:
      case 16:
        station.write(fc === 15 ? 'coil' : 'holding', address, writtenValues(frame, fc, count));
        return echoHead(frame);
      default:
        throw new ModbusException(EXCEPTION.illegalFunction, `function ${fc} is not served`);
    }
  } catch (error) {
    if (error instanceof ModbusException) return exceptionReply(frame, error.modbusErrorCode);
    context.logger.error({ err: error, station: station?.id }, 'Modbus request failed');
    return exceptionReply(frame, EXCEPTION.serverDeviceFailure);
  }
}

/** A reply frame of `pduBytes` after the unit id, its MBAP header copied from the request. */
function header(request: Buffer, pduBytes: number): Buffer {
  const reply = Buffer.allocUnsafe(7 + pduBytes);
  request.copy(reply, 0, 0, 4);
  reply.writeUInt16BE(pduBytes + 1, 4);
  reply[6] = request[6]!;
  reply[7] = request[7]!;
  return reply;
}

/** A multiple write's reply: function, address and quantity of the request. */
function echoHead(request: Buffer): Buffer {
  const reply = header(request, 5);
  request.copy(reply, 8, 8, 12);
  return reply;
}

function exceptionReply(request: Buffer, code: number): Buffer {
  const reply = header(request, 2);
  reply[7] = (request[7]! | 0x80) & 0xff;
  reply[8] = code;
  return reply;
}

function checkRange(address: number, count: number, max: number): void {
  if (count < 1 || count > max) {
    throw new ModbusException(EXCEPTION.illegalDataValue, `quantity ${count} is outside 1..${max}`);
  }
  if (address + count > 65536) {
    throw new ModbusException(
      EXCEPTION.illegalDataAddress,
      `addresses ${address}..${address + count - 1} pass 65535`,
    );
  }
}

function readWordsReply(request: Buffer, table: Uint16Array, address: number, count: number): Buffer {
  checkRange(address, count, MAX_READ_REGISTERS);
  const reply = header(request, 2 + 2 * count);
  reply[8] = 2 * count;
  for (let i = 0; i < count; i++) {
    const at = address + i;
    reply.writeUInt16BE(at < table.length ? table[at]! : 0, 9 + 2 * i);
  }
  return reply;
}

function readBitsReply(request: Buffer, table: Uint8Array, address: number, count: number): Buffer {
  checkRange(address, count, MAX_READ_BITS);
  const bytes = Math.ceil(count / 8);
  const reply = header(request, 2 + bytes);
  reply[8] = bytes;
  reply.fill(0, 9);
  for (let i = 0; i < count; i++) {
    const at = address + i;
    if (at < table.length && table[at]) reply[9 + (i >> 3)]! |= 1 << (i & 7);
  }
  return reply;
}

/** The values of a multiple write (FC15 bits, FC16 words), checked against the byte count. */
function writtenValues(frame: Buffer, fc: number, count: number): Array<number | boolean> {
  const max = fc === 15 ? 1968 : 123;
  const bytes = frame[12];
  const expected = fc === 15 ? Math.ceil(count / 8) : 2 * count;
  if (count < 1 || count > max || bytes !== expected || frame.length < 13 + expected) {
    throw new ModbusException(EXCEPTION.illegalDataValue, `write of ${count} with ${bytes} bytes`);
  }
  return Array.from({ length: count }, (_, i) =>
    fc === 15 ? ((frame[13 + (i >> 3)]! >> (i & 7)) & 1) === 1 : frame.readUInt16BE(13 + 2 * i),
  );
}
