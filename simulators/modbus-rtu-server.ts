import { ServerSerial } from 'modbus-serial';
import type { Logger } from '../core/log.ts';
import { createModbusVector } from './modbus-vector.ts';
import type { StationRuntime } from './station-runtime.ts';

/** Serial settings of one RTU line, the same fields as the edge's `rtu` config. */
export interface SerialLineSettings {
  /** Serial device, e.g. /dev/ttyUSB0 or one end of a socat pseudo-terminal pair. */
  path: string;
  /** Default 19200. */
  baudRate?: number;
  /** Default even (Modbus over serial line v1.02 §2.5.1: even parity is the default). */
  parity?: 'none' | 'even' | 'odd';
  /** Default 8. */
  dataBits?: 7 | 8;
  /** Default 1. */
  stopBits?: 1 | 2;
  /**
   * Silence that ends a request frame, ms. The standard's 3.5 character times are ~2 ms at 19200
   * baud, but USB adapters and pseudo-terminals deliver bytes in bursts, so a little more is safer.
   * Default 20.
   */
  frameGapMs?: number;
}

export interface ModbusRtuServerOptions extends SerialLineSettings {
  /** Stations on this line by unit id; a request for any other unit id gets no answer, as on RS-485. */
  stations: ReadonlyMap<number, StationRuntime>;
  logger: Logger;
}

export interface RunningModbusRtuServer {
  path: string;
  /** Requests left unanswered because a station was silent. */
  unanswered(): number;
  close(): Promise<void>;
}

/**
 * The RTU shell: modbus-serial's ServerSerial (a slave on a serial port) over the same vector of
 * callbacks as the TCP server. Every station on the line answers only its own unit id.
 */
export async function startModbusRtuServer(options: ModbusRtuServerOptions): Promise<RunningModbusRtuServer> {
  const { vector, unanswered } = createModbusVector({
    stations: options.stations,
    unknownUnit: 'silence',
    logger: options.logger,
  });
  const settings = {
    path: options.path,
    baudRate: options.baudRate ?? 19200,
    parity: options.parity ?? 'even',
    dataBits: options.dataBits ?? 8,
    stopBits: options.stopBits ?? 1,
  };
  let server: ServerSerial | undefined;
  await new Promise<void>((resolve, reject) => {
    // ServerSerial takes path, baud rate and parity from its options but the other serialport
    // settings only from a third argument its type declaration does not show.
    const Server = ServerSerial as unknown as new (
      vector: unknown,
      options: object,
      serialportOptions: object,
    ) => ServerSerial;
    server = new Server(
      vector,
      {
        ...settings,
        unitID: 255,
        interval: options.frameGapMs ?? 20,
        openCallback: (error: Error | null) =>
          error
            ? reject(new Error(`cannot open serial port ${options.path} for Modbus RTU: ${error.message}`))
            : resolve(),
      },
      { dataBits: settings.dataBits, stopBits: settings.stopBits },
    );
  });
  const running = server!;
  running.on('socketError', (error: Error | null) =>
    options.logger.warn({ err: error?.message, path: options.path }, 'Modbus RTU port error'),
  );
  options.logger.info({ ...settings, units: [...options.stations.keys()] }, 'Modbus RTU slave listening');
  return {
    path: options.path,
    unanswered,
    close: () => new Promise<void>((resolve) => running.close(() => resolve())),
  };
}
