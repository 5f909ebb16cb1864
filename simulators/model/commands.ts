import { FaultError } from './faults.ts';
import { clearFault } from './inject.ts';
import { isTripped, type StationState } from './station.ts';
import { stepStation } from './step.ts';

/**
 * What the controller does with a remote command written to its registers (pure over the state, as
 * the rest of the model). Each throws a FaultError('invalid') when the controller would refuse the
 * write; the register map answers it with an illegal-data-value exception.
 */

function pumpOf(state: StationState, pump: number) {
  const found = state.pumps[pump - 1];
  if (!Number.isInteger(pump) || !found)
    throw new FaultError(
      `pump ${pump} does not exist: the station has pumps 1..${state.pumps.length}`,
      'invalid',
    );
  return found;
}

/**
 * Resets a pump's latched motor-protection trip (the `pump_trip` fault). A trip whose cause stands
 * (a grounding fault on the pump, a phase loss) stays: the pump still reads tripped, so the edge's
 * read-back does not confirm the reset.
 */
export function resetTrip(state: StationState, pump: number): void {
  pumpOf(state, pump);
  if (state.faults.some((f) => f.fault === 'pump_trip' && f.pump === pump))
    clearFault(state, 'pump_trip', pump);
}

/** Makes `pump` the duty pump; the former duty pump takes its role. A tripped pump cannot be duty. */
export function switchDuty(state: StationState, pump: number): void {
  const target = pumpOf(state, pump);
  if (isTripped(target)) throw new FaultError(`pump ${pump} is tripped: it cannot be duty`, 'invalid');
  const duty = state.pumps.find((p) => p.role === 'duty');
  if (duty && duty !== target) {
    duty.role = target.role;
    target.role = 'duty';
  } else target.role = 'duty';
  stepStation(state, 0);
}

/** Runs (true) or stops (false) a pump by hand; the automatic staging leaves a pump held so alone. */
export function runCommand(state: StationState, pump: number, run: boolean): void {
  const target = pumpOf(state, pump);
  if (run && isTripped(target)) throw new FaultError(`pump ${pump} is tripped: reset it first`, 'invalid');
  target.manual = run ? 'on' : 'off';
  stepStation(state, 0);
}
