import {
  type ActiveFault,
  FAULT_NAMES,
  FaultError,
  isFaultName,
  OPTIONAL_PUMP_FAULTS,
  PUMP_FAULTS,
  parseFaultParams,
  sameFault,
} from './faults.ts';
import { readings } from './readings.ts';
import type { StationState, TripCause } from './station.ts';
import { stepStation } from './step.ts';

/** A request to start a fault. */
export interface FaultRequest {
  fault: string;
  pump?: number | undefined;
  params?: Record<string, unknown> | undefined;
}

/** Starts a fault (replacing the same fault on the same pump) and lets the controller react at once. */
export function injectFault(state: StationState, request: FaultRequest): ActiveFault {
  const fault = request.fault;
  if (!isFaultName(fault)) {
    throw new FaultError(`unknown fault "${fault}" (known: ${FAULT_NAMES.join(', ')})`, 'invalid');
  }
  const params = parseFaultParams(fault, request.params);
  const pump = resolvePump(state, fault, request.pump);
  if (fault === 'sensor_stuck' || fault === 'sensor_spike') {
    const meaning = String(params.meaning);
    const now = readings(state);
    if (!(meaning in now)) {
      throw new FaultError(
        `${fault}: no reading "${meaning}" (known: ${Object.keys(now).join(', ')})`,
        'invalid',
      );
    }
    if (fault === 'sensor_stuck' && params.value === undefined) params.value = Number(now[meaning]);
  }
  if (fault === 'phase_loss') params.phase = Math.min(Number(params.phase), state.config.phases);

  const active: ActiveFault = { fault, params, since: state.time, ...(pump === undefined ? {} : { pump }) };
  removeFaults(state, active);
  state.faults.push(active);
  if (fault === 'pump_trip') addTrip(state, pump!, 'pump_trip');
  if (fault === 'grounding_fault' && pump !== undefined) addTrip(state, pump, 'grounding_fault');
  if (fault === 'phase_loss') {
    for (const p of state.pumps) if (p.running) p.trips.push('phase_loss');
  }
  stepStation(state, 0); // the controller reacts and the sensors read at once
  return active;
}

/**
 * Clears a fault (on one pump, or on every pump when `pump` is not given) and returns what was cleared.
 * Throws a `not_found` FaultError when no such fault is active.
 */
export function clearFault(state: StationState, fault: string, pump?: number): ActiveFault[] {
  if (!isFaultName(fault)) {
    throw new FaultError(`unknown fault "${fault}" (known: ${FAULT_NAMES.join(', ')})`, 'not_found');
  }
  const cleared = state.faults.filter((f) => f.fault === fault && (pump === undefined || f.pump === pump));
  if (cleared.length === 0) {
    const where = pump === undefined ? '' : ` on pump ${pump}`;
    throw new FaultError(`no active ${fault}${where}`, 'not_found');
  }
  state.faults = state.faults.filter((f) => !cleared.includes(f));
  for (const f of cleared) undoTrips(state, f);
  stepStation(state, 0);
  return cleared;
}

/** Changes the pressure set point (bar), as an operator's write to the holding register does. */
export function writeSetpoint(state: StationState, bar: number): void {
  if (!Number.isFinite(bar) || bar < 0 || bar > 16)
    throw new RangeError(`set point ${bar} bar is outside 0..16`);
  state.setpoint = bar;
}

function resolvePump(state: StationState, fault: string, pump: number | undefined): number | undefined {
  const takesPump = PUMP_FAULTS.has(fault as never) || OPTIONAL_PUMP_FAULTS.has(fault as never);
  if (pump === undefined) {
    if (fault === 'pump_trip') return (state.pumps.find((p) => p.role === 'duty') ?? state.pumps[0])!.pump;
    if (PUMP_FAULTS.has(fault as never)) return 1;
    return undefined;
  }
  if (!takesPump) throw new FaultError(`fault ${fault} concerns the whole station: give no pump`, 'invalid');
  if (!Number.isInteger(pump) || pump < 1 || pump > state.pumps.length) {
    throw new FaultError(
      `pump ${pump} does not exist: the station has pumps 1..${state.pumps.length}`,
      'invalid',
    );
  }
  return pump;
}

function addTrip(state: StationState, pump: number, cause: TripCause): void {
  const target = state.pumps[pump - 1]!;
  if (!target.trips.includes(cause)) target.trips.push(cause);
}

function removeFaults(state: StationState, like: ActiveFault): void {
  const replaced = state.faults.filter((f) => sameFault(f, like));
  state.faults = state.faults.filter((f) => !replaced.includes(f));
  for (const f of replaced) undoTrips(state, f);
}

function undoTrips(state: StationState, fault: ActiveFault): void {
  const cause: TripCause | undefined =
    fault.fault === 'pump_trip' || fault.fault === 'phase_loss' || fault.fault === 'grounding_fault'
      ? fault.fault
      : undefined;
  if (!cause || (cause !== 'phase_loss' && fault.pump === undefined)) return;
  for (const pump of state.pumps) {
    if (fault.pump !== undefined && pump.pump !== fault.pump) continue;
    pump.trips = pump.trips.filter((c) => c !== cause);
  }
}
