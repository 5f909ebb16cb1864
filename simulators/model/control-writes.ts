import { parseMeaning } from '../../core/profile/meanings.ts';
import { resetTrip, runCommand, switchDuty } from './commands.ts';
import { writeSetpoint } from './inject.ts';
import type { StationState } from './station.ts';

/**
 * Hands a client's write to the model when the controller acts on it (set point, trip reset, duty
 * pump, run/stop) and returns true; false for a writable tag the model has no input for (it then
 * reads back as written). Throws FaultError or RangeError when the controller refuses the value.
 */
export function applyControlWrite(state: StationState, meaning: string, value: number | boolean): boolean {
  if (meaning === 'pressure.setpoint') {
    writeSetpoint(state, Number(value));
    return true;
  }
  if (meaning === 'station.duty_pump') {
    switchDuty(state, Number(value));
    return true;
  }
  const parsed = parseMeaning(meaning);
  if (typeof parsed === 'string' || parsed.kind !== 'pump') return false;
  if (parsed.field === 'reset') {
    if (value === true) resetTrip(state, parsed.pump);
    return true;
  }
  if (parsed.field === 'run_command') {
    runCommand(state, parsed.pump, Boolean(value));
    return true;
  }
  return false;
}
