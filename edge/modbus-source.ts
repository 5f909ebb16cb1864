import type { RegisterArea } from '../core/profile/schema.ts';

export type WritableArea = 'holding' | 'coil';

/**
 * One Modbus device as the poller sees it, whatever the transport (TCP, RTU behind a line arbiter).
 * Calls may be issued concurrently; a source serialises them itself.
 */
export interface ModbusSource {
  /** The source keeps several requests on the wire: a cycle's reads are best issued together. */
  readonly concurrentReads?: boolean;
  /** Words (register areas) or bits (bit areas), `count` long. */
  read(area: RegisterArea, address: number, count: number): Promise<number[] | boolean[]>;
  /** Writes words to holding registers or bits to coils. */
  write(area: WritableArea, address: number, values: number[] | boolean[]): Promise<void>;
  close(): Promise<void>;
}

/** The device answered with a Modbus exception (it is alive; this request was refused). Retrying rarely helps. */
export class ModbusExceptionError extends Error {
  override name = 'ModbusExceptionError';
  constructor(
    readonly code: number,
    detail: string,
  ) {
    super(`Modbus exception ${code} (${EXCEPTION_NAMES[code] ?? 'unknown'}): ${detail}`);
  }
}

/** No reply within the timeout. Retrying may help. */
export class ModbusTimeoutError extends Error {
  override name = 'ModbusTimeoutError';
}

/** No connection to the device (refused, closed, or waiting out a reconnect backoff). Retrying later helps. */
export class ModbusConnectionError extends Error {
  override name = 'ModbusConnectionError';
}

/** Modbus application protocol v1.1b3 §7. */
export const EXCEPTION_NAMES: Record<number, string> = {
  1: 'illegal function',
  2: 'illegal data address',
  3: 'illegal data value',
  4: 'server device failure',
  5: 'acknowledge',
  6: 'server device busy',
  8: 'memory parity error',
  10: 'gateway path unavailable',
  11: 'gateway target failed to respond',
};

/** Whether an error means the device did not answer at all (as opposed to refusing one request). */
export function isNoAnswer(error: unknown): boolean {
  return error instanceof ModbusTimeoutError || error instanceof ModbusConnectionError;
}

/** Maps modbus-serial's error objects onto the three classes above. */
export function classifyModbusError(error: unknown, what: string): Error {
  if (
    error instanceof ModbusExceptionError ||
    error instanceof ModbusTimeoutError ||
    error instanceof ModbusConnectionError
  ) {
    return error;
  }
  const e = (error ?? {}) as { modbusCode?: unknown; errno?: unknown; message?: unknown };
  if (typeof e.modbusCode === 'number') return new ModbusExceptionError(e.modbusCode, what);
  const message = typeof e.message === 'string' ? e.message : String(error);
  if (e.errno === 'ETIMEDOUT') return new ModbusTimeoutError(`${what}: no reply (${message})`);
  return new ModbusConnectionError(`${what}: ${message}`);
}

/** Runs async jobs one at a time in submission order (one station's reads and writes). */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(job: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(job, job);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}
