import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from '../core/log.ts';
import { answerFrame, type FrameContext, MAX_MBAP_LENGTH } from './modbus-tcp-frames.ts';
import type { StationRuntime } from './station-runtime.ts';

/** Options of one Modbus TCP listener. */
export interface ModbusServerOptions {
  /** Address to listen on. */
  host: string;
  /** TCP port; 0 picks a free one. */
  port: number;
  /**
   * Stations behind this port. A port with one station answers any unit id, as most TCP devices do; a
   * port with several answers each one's unit id and replies "gateway target failed" (0x0B) to others.
   */
  stations: ReadonlyMap<number, StationRuntime>;
  logger: Logger;
}

export interface RunningModbusServer {
  port: number;
  /** Requests left unanswered because a station was silent (counted so the drop is visible). */
  unanswered(): number;
  close(): Promise<void>;
}

/**
 * A Modbus TCP server (or gateway, with several stations by unit id) that frames requests itself and
 * answers reads from each station's flat image (modbus-tcp-frames.ts): one process serves a fleet.
 * modbus-serial's ServerTCP, used before, called a callback per register and per bit with a closure
 * each; the replies of one chunk of requests now go out in one write.
 */
export async function startModbusServer(options: ModbusServerOptions): Promise<RunningModbusServer> {
  let unanswered = 0;
  const context: FrameContext = {
    stations: options.stations,
    lone: options.stations.size === 1 ? [...options.stations.values()][0] : undefined,
    logger: options.logger,
    onSilent: () => {
      unanswered++;
    },
  };
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', (error) => options.logger.debug({ err: error.message }, 'Modbus socket error'));
    serveSocket(socket, context, options.logger);
  });
  server.on('error', (error) => options.logger.warn({ err: error.message }, 'Modbus server error'));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    throw new Error(
      `cannot listen for Modbus TCP on ${options.host}:${options.port}: ${(error as Error).message}` +
        ' (is another simulator running? choose another --port)',
    );
  }
  return {
    port: (server.address() as { port: number }).port,
    unanswered: () => unanswered,
    close: () => closeServer(server, sockets),
  };
}

/** Splits the byte stream into MBAP frames (any fragmentation) and writes each chunk's replies at once. */
function serveSocket(socket: Socket, context: FrameContext, logger: Logger): void {
  let held: Buffer | undefined;
  socket.on('data', (chunk: Buffer) => {
    const data = held ? Buffer.concat([held, chunk]) : chunk;
    held = undefined;
    const replies: Buffer[] = [];
    let at = 0;
    while (data.length - at >= 7) {
      const length = data.readUInt16BE(at + 4);
      if (length < 2 || length > MAX_MBAP_LENGTH) {
        // Not Modbus TCP: nothing after it can be framed either.
        logger.debug({ length }, 'Modbus TCP frame with a bad length; connection closed');
        socket.destroy();
        return;
      }
      if (data.length - at < 6 + length) break;
      const frame = data.subarray(at, at + 6 + length);
      at += 6 + length;
      // A protocol id other than 0 is not Modbus: dropped, as the specification says.
      if (frame.readUInt16BE(2) !== 0) continue;
      const reply = answerFrame(frame, context);
      if (reply) replies.push(reply);
    }
    if (at < data.length) held = Buffer.from(data.subarray(at));
    if (replies.length === 0 || socket.destroyed) return;
    socket.write(replies.length === 1 ? replies[0]! : Buffer.concat(replies));
  });
}

function closeServer(server: Server, sockets: Set<Socket>): Promise<void> {
  for (const socket of sockets) socket.destroy();
  return new Promise<void>((resolve) => server.close(() => resolve()));
}
