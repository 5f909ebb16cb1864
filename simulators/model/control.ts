import { frequencyFor, NOMINAL_HZ } from './hydraulics.ts';
import {
  inletFromLevel,
  isTripped,
  maxRunning,
  type PumpRole,
  type PumpState,
  type StationState,
} from './station.ts';

/** Seconds the set must fail to hold pressure before the assist pump starts. */
const STAGE_UP_SECONDS = 20;
/** Seconds one pump fewer would do before an assist pump stops (hysteresis against hunting). */
const STAGE_DOWN_SECONDS = 60;
/** One pump fewer must manage below this frequency to stage down. */
const STAGE_DOWN_HZ = 46;

const ROLE_RANK: Record<PumpRole, number> = { duty: 0, assist: 1, standby: 2 };

function phaseLossActive(state: StationState): boolean {
  return state.faults.some((f) => f.fault === 'phase_loss');
}

/**
 * The controller's duty/assist/standby logic for one step: stops tripped pumps, hands a tripped pump's
 * role to an available standby, stages assist pumps by demand, and starts or stops pumps to match.
 * A running pump lost to a trip and replaced by another counts one failover. Without `demand` (a fault
 * just injected or cleared) the staging timers are left alone.
 */
export function controlPumps(state: StationState, dt: number, demand?: number): void {
  let lost = 0;
  for (const pump of state.pumps) {
    if (pump.running && isTripped(pump)) {
      stop(pump);
      if (pump.trips.some((cause) => cause !== 'phase_loss')) lost++;
    }
  }
  handOverRoles(state);
  if (demand !== undefined) updateStage(state, dt, demand);

  const wanted = phaseLossActive(state) ? [] : runSet(state);
  let started = 0;
  for (const pump of state.pumps) {
    const want = wanted.includes(pump);
    if (want && !pump.running) {
      pump.running = true;
      pump.frequency = 0;
      pump.starts++;
      started++;
    } else if (!want && pump.running) {
      stop(pump);
    }
  }
  state.failoverCount += Math.min(lost, started);
}

function stop(pump: PumpState): void {
  pump.running = false;
  pump.frequency = 0;
}

/**
 * A tripped duty or assist pump swaps roles with the first available standby. A phase loss hands nothing
 * over: every pump is without supply, and the duty pump restarts when the supply returns.
 */
function handOverRoles(state: StationState): void {
  for (const pump of state.pumps) {
    if (pump.role === 'standby' || !pump.trips.some((cause) => cause !== 'phase_loss')) continue;
    const standby = state.pumps.find((p) => p.role === 'standby' && !isTripped(p));
    if (!standby) continue;
    standby.role = pump.role;
    pump.role = 'standby';
  }
}

/**
 * Pumps that should run: the first `stage` available duty and assist pumps, plus any held on by hand;
 * a pump held off by hand never runs (the next one in line takes its place).
 */
function runSet(state: StationState): PumpState[] {
  const available = state.pumps.filter((p) => !isTripped(p) && p.manual !== 'off');
  const staged = available
    .filter((p) => p.role !== 'standby')
    .sort((a, b) => ROLE_RANK[a.role] - ROLE_RANK[b.role] || a.pump - b.pump)
    .slice(0, state.stage);
  return [...staged, ...available.filter((p) => p.manual === 'on' && !staged.includes(p))];
}

function updateStage(state: StationState, dt: number, demand: number): void {
  const head = Math.max(0, state.setpoint - inletFromLevel(state.tankLevelTrue));
  const curve = state.config.curve;
  const needHere = frequencyFor(curve, head, demand, state.stage);
  const needWithOneLess =
    state.stage > 1 ? frequencyFor(curve, head, demand, state.stage - 1) : Number.POSITIVE_INFINITY;
  state.stageUpSeconds =
    needHere > NOMINAL_HZ && state.stage < maxRunning(state) ? state.stageUpSeconds + dt : 0;
  state.stageDownSeconds = needWithOneLess < STAGE_DOWN_HZ ? state.stageDownSeconds + dt : 0;
  if (state.stageUpSeconds >= STAGE_UP_SECONDS) {
    state.stage++;
    state.stageUpSeconds = 0;
  } else if (state.stageDownSeconds >= STAGE_DOWN_SECONDS) {
    state.stage--;
    state.stageDownSeconds = 0;
  }
}
