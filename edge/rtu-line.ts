import ModbusSerial from 'modbus-serial';
import type { Logger } from '../core/log.ts';
import { classifyModbusError, ModbusConnectionError } from './modbus-source.ts';
import { type LineRequest, type LineTransport, SerialLineArbiter } from './serial-line-arbiter.ts';

export interface RtuLineOptions {
  /** Serial device, e.g. /dev/ttyUSB0. */
  path: string;
  baudRate: number;
  parity: 'none' | 'even' | 'odd';
  dataBits: 7 | 8;
  stopBits: 1 | 2;
  /** Reply timeout per request. */
  timeoutMs: number;
  /** First wait before reopening the port or retrying a silent unit; doubles up to maxBackoffMs. */
  backoffMs: number;
  maxBackoffMs: number;
  logger?: Logger;
}

export interface RtuLine {
  arbiter: SerialLineArbiter;
  close(): Promise<void>;
}

// modbus-serial is CommonJS: its module object is the client class and carries itself as `default`.
const ModbusRTU = ModbusSerial.default;
type Client = InstanceType<typeof ModbusRTU>;

/**
 * One serial port shared by every unit on it: a modbus-serial RTU client behind a SerialLineArbiter,
 * which serialises every read and write on the line. The port is (re)opened lazily with backoff.
 */
export function createRtuLine(options: RtuLineOptions): RtuLine {
  let client: Client | undefined;
  let nextOpenAt = 0;
  let backoff = options.backoffMs;

  const open = async (): Promise<Client> => {
    if (client?.isOpen) return client;
    if (Date.now() < nextOpenAt)
      throw new ModbusConnectionError(`${options.path}: port closed, reopening later`);
    const next = new ModbusRTU();
    next.on('error', (error: unknown) =>
      options.logger?.warn({ path: options.path, err: String(error) }, 'rtu error'),
    );
    next.on('close', () => {
      if (client === next) client = undefined;
    });
    next.setTimeout(options.timeoutMs);
    try {
      await next.connectRTUBuffered(options.path, {
        baudRate: options.baudRate,
        parity: options.parity,
        dataBits: options.dataBits,
        stopBits: options.stopBits,
      });
    } catch (error) {
      nextOpenAt = Date.now() + backoff;
      backoff = Math.min(backoff * 2, options.maxBackoffMs);
      throw new ModbusConnectionError(`cannot open ${options.path}: ${(error as Error)?.message ?? error}`);
    }
    backoff = options.backoffMs;
    client = next;
    return next;
  };

  // The arbiter guarantees one request at a time, so setting the unit id before each is safe.
  const transport: LineTransport = async (unitId: number, request: LineRequest) => {
    const c = await open();
    c.setID(unitId);
    const what = `${request.kind} ${request.area} ${request.address} unit ${unitId} on ${options.path}`;
    try {
      if (request.kind === 'read') {
        const { area, address, count } = request;
        if (area === 'coil') return (await c.readCoils(address, count)).data.slice(0, count);
        if (area === 'discrete') return (await c.readDiscreteInputs(address, count)).data.slice(0, count);
        if (area === 'input') return (await c.readInputRegisters(address, count)).data;
        return (await c.readHoldingRegisters(address, count)).data;
      }
      const { area, address, values } = request;
      if (area === 'coil') await c.writeCoils(address, values.map(Boolean));
      else await c.writeRegisters(address, values.map(Number));
      return undefined;
    } catch (error) {
      throw classifyModbusError(error, what);
    }
  };

  // The arbiter's own deadline is a little longer than the client's, so the client times out first
  // and its late reply cannot be taken for the next unit's.
  const arbiter = new SerialLineArbiter({
    transport,
    timeoutMs: options.timeoutMs + 100,
    backoffMs: options.backoffMs,
    maxBackoffMs: options.maxBackoffMs,
  });

  return {
    arbiter,
    async close() {
      await arbiter.close();
      const c = client;
      client = undefined;
      if (c?.isOpen) await new Promise<void>((resolve) => c.close(() => resolve()));
    },
  };
}
