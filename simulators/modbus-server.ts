import type { Server } from 'node:net';
import { ServerTCP } from 'modbus-serial';
import type { Logger } from '../core/log.ts';
import { freePort } from '../core/net.ts';
import { EXCEPTION, ModbusException } from './register-map.ts';
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

type Done<T> = (err: Error | null, value?: T) => void;

/**
 * The thin shell: modbus-serial's ServerTCP with a vector of callbacks over the stations. Callback forms
 * are used so a silent controller simply never calls back (nothing is kept per unanswered request).
 */
export async function startModbusServer(options: ModbusServerOptions): Promise<RunningModbusServer> {
  let unanswered = 0;
  const only = options.stations.size === 1 ? [...options.stations.values()][0] : undefined;

  function serve<T>(
    unitId: number,
    done: Done<T>,
    onError: T | undefined,
    work: (station: StationRuntime) => T,
  ) {
    const station = only ?? options.stations.get(unitId);
    const fail = (error: ModbusException) => done(error, onError);
    if (!station)
      return fail(new ModbusException(EXCEPTION.gatewayTargetFailed, `no station with unit id ${unitId}`));
    if (station.hasFault('controller_silent')) {
      unanswered++;
      return;
    }
    if (station.hasFault('exception_device_busy'))
      return fail(new ModbusException(EXCEPTION.serverDeviceBusy, 'busy'));
    if (station.hasFault('exception_illegal_address')) {
      return fail(new ModbusException(EXCEPTION.illegalDataAddress, 'illegal data address (injected)'));
    }
    let value: T;
    try {
      value = work(station);
    } catch (error) {
      if (error instanceof ModbusException) return fail(error);
      options.logger.error({ err: error, station: station.id }, 'Modbus request failed');
      return fail(new ModbusException(EXCEPTION.serverDeviceFailure, (error as Error).message));
    }
    done(null, value);
  }

  // modbus-serial tells callback handlers from value handlers by their arity, so each keeps all its parameters.
  const vector = {
    getCoil: (addr: number, unitId: number, done: Done<boolean>) =>
      serve(unitId, done, undefined, (s) => s.readBits('coil', addr, 1)[0]!),
    getDiscreteInput: (addr: number, unitId: number, done: Done<boolean>) =>
      serve(unitId, done, undefined, (s) => s.readBits('discrete', addr, 1)[0]!),
    getInputRegister: (addr: number, unitId: number, done: Done<number>) =>
      serve(unitId, done, undefined, (s) => s.readWords('input', addr, 1)[0]!),
    getHoldingRegister: (addr: number, unitId: number, done: Done<number>) =>
      serve(unitId, done, undefined, (s) => s.readWords('holding', addr, 1)[0]!),
    // On error the handler still indexes the values, so an empty array goes with the exception.
    getMultipleInputRegisters: (addr: number, length: number, unitId: number, done: Done<number[]>) =>
      serve(unitId, done, [], (s) => s.readWords('input', addr, length)),
    getMultipleHoldingRegisters: (addr: number, length: number, unitId: number, done: Done<number[]>) =>
      serve(unitId, done, [], (s) => s.readWords('holding', addr, length)),
    setRegister: (addr: number, value: number, unitId: number, done: Done<void>) =>
      serve(unitId, done, undefined, (s) => s.write('holding', addr, [value])),
    setRegisterArray: (addr: number, values: number[], unitId: number, done: Done<void>) =>
      serve(unitId, done, undefined, (s) => s.write('holding', addr, values)),
    setCoil: (addr: number, value: boolean, unitId: number, done: Done<void>) =>
      serve(unitId, done, undefined, (s) => s.write('coil', addr, [value])),
  };

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
      unanswered: () => unanswered,
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
