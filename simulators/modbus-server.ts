import type { Server } from 'node:net';
import { ServerTCP } from 'modbus-serial';
import type { Logger } from '../core/log.ts';
import { freePort } from '../core/net.ts';
import { createModbusVector } from './modbus-vector.ts';
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
 * The thin shell: modbus-serial's ServerTCP over the stations' vector of callbacks (modbus-vector.ts).
 */
export async function startModbusServer(options: ModbusServerOptions): Promise<RunningModbusServer> {
  const { vector, unanswered } = createModbusVector({
    stations: options.stations,
    unknownUnit: 'exception',
    loneStationAnswersAll: true,
    logger: options.logger,
  });

  // ServerTCP reads port 0 as "use 502", so a free port is picked first (retried if taken meanwhile).
  const attempts = options.port === 0 ? 5 : 1;
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const port = options.port === 0 ? await freePort() : options.port;
    const server = new ServerTCP(vector as never, { host: options.host, port, unitID: 255 });
    try {
      await listening(server);
    } catch (error) {
      lastError = error;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      continue;
    }
    server.on('socketError', (error: Error | null) =>
      options.logger.debug({ err: error?.message }, 'Modbus socket error'),
    );
    server.on('error', (error: Error | null) =>
      options.logger.warn({ err: error?.message }, 'Modbus server error'),
    );
    return {
      port,
      unanswered,
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  }
  throw new Error(
    `cannot listen for Modbus TCP on ${options.host}:${options.port}: ${(lastError as Error)?.message}` +
      ' (is another simulator running? choose another --port)',
  );
}

function listening(server: ServerTCP): Promise<void> {
  return new Promise((resolve, reject) => {
    const internal = (server as unknown as { _server: Server })._server;
    if (internal.listening) return resolve();
    server.once('initialized', () => resolve());
    server.once('serverError', (error: Error | null) => reject(error));
  });
}
