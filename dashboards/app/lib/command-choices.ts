import type { CommandKind, CommandView } from '../../../core/commands/payloads.ts';
import type { StationView } from './types.ts';

/** A command the operator picked, before it is confirmed. */
export interface CommandChoice {
  kind: CommandKind;
  pump?: number;
  value?: number;
}

export interface PumpState {
  pump: number;
  running: boolean;
  tripped: boolean;
  duty: boolean;
}

/** Each pump's state as the station's latest values say. Pure. */
export function pumpStates(view: StationView, pumps: readonly number[]): PumpState[] {
  const on = (meaning: string) => view.values[meaning]?.v === true;
  return pumps.map((pump) => ({
    pump,
    running: on(`pump[${pump}].running`),
    tripped: on(`pump[${pump}].fault`),
    duty: on(`pump[${pump}].duty`),
  }));
}

/** The pump commands that make sense for a pump now (the server and the edge check again). */
export function pumpCommands(state: PumpState): CommandKind[] {
  const kinds: CommandKind[] = [];
  if (state.tripped) kinds.push('reset_trip');
  if (!state.duty && !state.tripped) kinds.push('switch_duty');
  if (!state.running && !state.tripped) kinds.push('start_pump');
  if (state.running) kinds.push('stop_pump');
  return kinds;
}

/** Whether a choice stops the only pump running: the page asks a second time. */
export function stopsLastPump(choice: CommandChoice, states: readonly PumpState[]): boolean {
  if (choice.kind !== 'stop_pump') return false;
  const running = states.filter((s) => s.running).map((s) => s.pump);
  return running.length <= 1 && (running.length === 0 || running[0] === choice.pump);
}

/** Merges a command into a newest-first list (a live update replaces the older copy). */
export function withCommand(list: readonly CommandView[], command: CommandView, limit = 10): CommandView[] {
  return [command, ...list.filter((c) => c.id !== command.id)]
    .sort((a, b) => b.issuedAt - a.issuedAt)
    .slice(0, limit);
}
