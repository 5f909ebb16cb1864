import type { Logger } from '../core/log.ts';
import { EXCEPTION, ModbusException } from './register-map.ts';
import type { StationRuntime } from './station-runtime.ts';

type Done<T> = (err: Error | null, value?: T) => void;

export interface ModbusVectorOptions {
  /** Stations by unit id. */
  stations: ReadonlyMap<number, StationRuntime>;
  /**
   * What a request for a unit id with no station gets. `exception`: "gateway target failed" (0x0B), as
   * a TCP gateway answers; `silence`: nothing, as on a serial line, where only the addressed slave talks.
   */
  unknownUnit: 'exception' | 'silence';
  /** A lone station answers any unit id (most TCP devices do). Default false. */
  loneStationAnswersAll?: boolean;
  logger: Logger;
}

export interface ModbusVector {
  /** modbus-serial's server vector (ServerTCP and ServerSerial take the same). */
  vector: Record<string, (...args: never[]) => void>;
  /** Requests left unanswered because a station was silent (counted so the drop is visible). */
  unanswered(): number;
}

/** How an injected fault makes a station answer every request: not at all, or with an exception. */
export function injectedRefusal(station: StationRuntime): 'silent' | ModbusException | undefined {
  if (station.state.faults.length === 0) return undefined;
  if (station.hasFault('controller_silent')) return 'silent';
  if (station.hasFault('exception_device_busy'))
    return new ModbusException(EXCEPTION.serverDeviceBusy, 'busy');
  if (station.hasFault('exception_illegal_address')) {
    return new ModbusException(EXCEPTION.illegalDataAddress, 'illegal data address (injected)');
  }
  return undefined;
}

/**
 * The vector of callbacks the Modbus servers (TCP and RTU) are thin shells over. Callback forms are
 * used so a silent controller simply never calls back (nothing is kept per unanswered request).
 */
export function createModbusVector(options: ModbusVectorOptions): ModbusVector {
  let unanswered = 0;
  const only =
    options.loneStationAnswersAll && options.stations.size === 1
      ? [...options.stations.values()][0]
      : undefined;

  function serve<T>(
    unitId: number,
    done: Done<T>,
    onError: T | undefined,
    work: (station: StationRuntime) => T,
  ) {
    const station = only ?? options.stations.get(unitId);
    const fail = (error: ModbusException) => done(error, onError);
    if (!station) {
      if (options.unknownUnit === 'silence') return;
      return fail(new ModbusException(EXCEPTION.gatewayTargetFailed, `no station with unit id ${unitId}`));
    }
    const refusal = injectedRefusal(station);
    if (refusal === 'silent') {
      unanswered++;
      return;
    }
    if (refusal) return fail(refusal);
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
  return { vector: vector as unknown as ModbusVector['vector'], unanswered: () => unanswered };
}
