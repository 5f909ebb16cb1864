import type { Socket } from 'node:net';

/**
 * MQTT framing scan (MQTT 3.1.1 §2.2, 5.0 §2.1): each packet is one type byte, a "remaining
 * length" varint of 1-4 bytes, then that many bytes. aedes has no packet size limit and its parser
 * buffers a whole packet (up to 256 MiB) before looking at it, so the guard reads the announced
 * length as it streams by and drops the connection before the body arrives.
 */
export interface FrameScanState {
  phase: 'type' | 'length' | 'body';
  /** Remaining length read so far (phase 'length'). */
  length: number;
  lengthBytes: number;
  /** Body bytes still to skip (phase 'body'). */
  bodyLeft: number;
}

export type FrameScanResult =
  | { ok: true; state: FrameScanState }
  | { ok: false; reason: 'oversized'; size: number }
  | { ok: false; reason: 'malformed' };

export const INITIAL_FRAME_STATE: FrameScanState = { phase: 'type', length: 0, lengthBytes: 0, bodyLeft: 0 };

/** Scans one chunk of an MQTT byte stream; pure: returns the state to scan the next chunk with. */
export function scanFrames(start: FrameScanState, chunk: Uint8Array, maxPacketSize: number): FrameScanResult {
  let { phase, length, lengthBytes, bodyLeft } = start;
  let i = 0;
  while (i < chunk.length) {
    if (phase === 'type') {
      i++;
      phase = 'length';
      length = 0;
      lengthBytes = 0;
    } else if (phase === 'length') {
      const byte = chunk[i++]!;
      length += (byte & 0x7f) * 128 ** lengthBytes;
      lengthBytes++;
      if (byte & 0x80) {
        if (lengthBytes === 4) return { ok: false, reason: 'malformed' };
        continue;
      }
      const size = 1 + lengthBytes + length;
      if (size > maxPacketSize) return { ok: false, reason: 'oversized', size };
      bodyLeft = length;
      phase = bodyLeft > 0 ? 'body' : 'type';
    } else {
      const skip = Math.min(bodyLeft, chunk.length - i);
      i += skip;
      bodyLeft -= skip;
      if (bodyLeft === 0) phase = 'type';
    }
  }
  return { ok: true, state: { phase, length, lengthBytes, bodyLeft } };
}

export interface PacketSizeViolation {
  reason: 'oversized' | 'malformed';
  /** Announced packet size in bytes (oversized only). */
  size?: number;
}

/**
 * Puts the scan in front of the socket's reads. aedes pulls bytes with `conn.read()` on
 * 'readable' (lib/client.js nextBatch), so wrapping `read` sees every byte before the parser
 * does, without switching the socket to flowing mode. On a violation the socket is destroyed and
 * the read returns nothing.
 */
export function guardPacketSize(
  socket: Socket,
  maxPacketSize: number,
  onViolation: (violation: PacketSizeViolation) => void,
): void {
  let state = INITIAL_FRAME_STATE;
  const read = socket.read.bind(socket);
  socket.read = (size?: number) => {
    if (socket.destroyed) return null;
    const chunk: unknown = read(size);
    if (!(chunk instanceof Uint8Array)) return chunk;
    const result = scanFrames(state, chunk, maxPacketSize);
    if (result.ok) {
      state = result.state;
      return chunk;
    }
    const violation: PacketSizeViolation =
      result.reason === 'oversized' ? { reason: 'oversized', size: result.size } : { reason: 'malformed' };
    onViolation(violation);
    socket.destroy(
      new Error(
        result.reason === 'oversized'
          ? `MQTT packet of ${result.size} bytes exceeds the broker's limit of ${maxPacketSize} bytes`
          : 'malformed MQTT remaining length (more than 4 bytes)',
      ),
    );
    return null;
  };
}
