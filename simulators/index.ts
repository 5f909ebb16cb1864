import { createLogger, type Logger } from '../core/log.ts';
import type { Profile } from '../core/profile/schema.ts';
import { type RunningControlApi, startControlApi } from './control-api.ts';
import { type SerialLineSettings, startModbusRtuServer } from './modbus-rtu-server.ts';
import { startModbusServer } from './modbus-server.ts';
import type { ActiveFault } from './model/faults.ts';
import { deriveSeed } from './model/random.ts';
import type { Readings } from './model/readings.ts';
import type { StationScenario } from './scenario.ts';
import { StationRuntime } from './station-runtime.ts';

export { FAULT_HELP, FAULT_NAMES, type FaultName } from './model/faults.ts';
export { loadScenario, type ScenarioFile, type StationScenario, scenarioFor } from './scenario.ts';

/** One simulated station. */
export interface SimulatorStation {
  /** Station id (letters, digits, _ and -), as the edge and the server name it. */
  id: string;
  /** Modbus TCP port; default basePort + the station's index; 0 picks a free port. */
  port?: number;
  /** Modbus unit id; needed when several stations share a port or a serial line. Default 1 (or index + 1 when shared). */
  unitId?: number;
  /**
   * Gateway number: stations naming the same one share one Modbus TCP port (basePort + gateway unless
   * `port` is given; port 0 picks a free one), told apart by unit id, as behind a Modbus TCP gateway.
   */
  gateway?: number;
  /**
   * Serve this station as a Modbus RTU slave on a serial port instead of over TCP (`port` is then
   * ignored). Stations naming the same path share the line, told apart by unit id; their settings must match.
   */
  rtu?: SerialLineSettings;
  /** Timed faults to replay. */
  scenario?: StationScenario;
}

export interface SimulatorOptions {
  /** Device profile whose register map every station serves. */
  profile: Profile;
  stations: SimulatorStation[];
  /** Address the Modbus servers and the control API listen on. Default '127.0.0.1'. */
  host?: string;
  /** First Modbus port: station i listens on basePort + i unless it names a port. Default 5020. */
  basePort?: number;
  /** Control API port. Default 5019; 0 picks a free one. */
  controlPort?: number;
  /** Seed of all noise; each station derives its own from it and its id. Default 1. */
  seed?: number;
  /** Simulated seconds per real second; 0 freezes the stations. Default 1. */
  speed?: number;
  /** Real milliseconds between model steps; each step is speed * tickMs of simulated time. Default 100. */
  tickMs?: number;
  /** Wall-clock time of simulated second 0 (epoch ms), which sets the time of day. Default now. */
  startTime?: number;
  logger?: Logger;
}

export interface RunningSimulator {
  host: string;
  /** Modbus TCP port of each station (0 for a station on a serial line). */
  ports: Record<string, number>;
  unitIds: Record<string, number>;
  controlUrl: string;
  readings(stationId: string): Readings;
  faults(stationId: string): ActiveFault[];
  inject(
    stationId: string,
    fault: string,
    opts?: { pump?: number; params?: Record<string, number | string> },
  ): ActiveFault;
  clear(stationId: string, fault: string, opts?: { pump?: number }): ActiveFault[];
  setSpeed(speed: number): void;
  /** Steps every station by `seconds` of simulated time at once (for tests and tools; speed 0 keeps it there). */
  advance(seconds: number): void;
  stop(): Promise<void>;
}

const MAX_CADENCE_MS = 100;
const STATION_ID = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

interface Placement {
  station: SimulatorStation;
  runtime: StationRuntime;
  group: string;
  port: number;
  unitId: number;
}

export async function startSimulator(options: SimulatorOptions): Promise<RunningSimulator> {
  const host = options.host ?? '127.0.0.1';
  const basePort = options.basePort ?? 5020;
  const tickMs = options.tickMs ?? 100;
  const seed = options.seed ?? 1;
  const startTime = options.startTime ?? Date.now();
  const logger = options.logger ?? createLogger('simulator');
  let speed = checkSpeed(options.speed ?? 1);
  if (!(tickMs > 0)) throw new RangeError(`tickMs must be > 0, got ${tickMs}`);
  if (options.stations.length === 0) throw new Error('no stations to simulate: give at least one station id');

  const placements = place(options, basePort).map((p) => ({
    ...p,
    runtime: new StationRuntime({
      id: p.station.id,
      profile: options.profile,
      seed: deriveSeed(seed, p.station.id),
      startTime,
      utcOffsetMinutes: -new Date(startTime).getTimezoneOffset(),
      scenario: p.station.scenario,
      logger,
    }),
  }));
  const byId = new Map(placements.map((p) => [p.station.id, p]));

  const servers: Array<{ close(): Promise<void> }> = [];
  let control: RunningControlApi | undefined;
  try {
    const groups = new Map<string, Placement[]>();
    for (const p of placements) groups.set(p.group, [...(groups.get(p.group) ?? []), p]);
    for (const members of groups.values()) {
      const rtu = members[0]!.station.rtu;
      if (rtu) {
        servers.push(
          await startModbusRtuServer({
            ...rtu,
            stations: new Map(members.map((m) => [m.unitId, m.runtime])),
            logger,
          }),
        );
        continue;
      }
      const server = await startModbusServer({
        host,
        port: members[0]!.port,
        stations: new Map(members.map((m) => [m.unitId, m.runtime])),
        logger,
      });
      servers.push(server);
      for (const m of members) m.port = server.port;
    }
    control = await startControlApi({
      host,
      port: options.controlPort ?? 5019,
      logger,
      target: {
        stations: () =>
          placements.map((p) => ({
            id: p.station.id,
            host,
            port: p.port,
            unitId: p.unitId,
            runtime: p.runtime,
          })),
        speed: () => speed,
        setSpeed: (n) => {
          speed = checkSpeed(n);
        },
      },
    });
  } catch (error) {
    await Promise.all(servers.map((s) => s.close()));
    throw error;
  }

  // Stations are stepped in slices every 100 ms at most (each once per tickMs), so a fleet's steps
  // spread over the tick instead of holding up every reply at once.
  const cadenceMs = Math.min(tickMs, MAX_CADENCE_MS);
  const slices = Math.max(1, Math.round(tickMs / cadenceMs));
  let slice = 0;
  const timer = setInterval(() => {
    // A fixed step per tick (not the measured real time) keeps a seeded run reproducible.
    const dt = (speed * tickMs) / 1000;
    if (dt > 0) for (let i = slice; i < placements.length; i += slices) placements[i]!.runtime.advance(dt);
    slice = (slice + 1) % slices;
  }, cadenceMs);

  const runtime = (id: string) => {
    const p = byId.get(id);
    if (!p) throw new Error(`unknown station "${id}" (known: ${[...byId.keys()].join(', ')})`);
    return p.runtime;
  };
  const controlApi = control;
  logger.info(
    {
      stations: placements.map((p) => ({ id: p.station.id, port: p.port, unitId: p.unitId })),
      control: controlApi.url,
    },
    'simulator listening',
  );
  return {
    host,
    ports: Object.fromEntries(placements.map((p) => [p.station.id, p.port])),
    unitIds: Object.fromEntries(placements.map((p) => [p.station.id, p.unitId])),
    controlUrl: controlApi.url,
    readings: (id) => runtime(id).readings(),
    faults: (id) => runtime(id).faults(),
    inject: (id, fault, opts) => runtime(id).inject({ fault, pump: opts?.pump, params: opts?.params }),
    clear: (id, fault, opts) => runtime(id).clear(fault, opts?.pump),
    setSpeed: (n) => {
      speed = checkSpeed(n);
    },
    advance: (seconds) => {
      for (const p of placements) p.runtime.advance(seconds);
    },
    stop: async () => {
      clearInterval(timer);
      await Promise.all([...servers.map((s) => s.close()), controlApi.close()]);
    },
  };
}

function checkSpeed(speed: number): number {
  if (!Number.isFinite(speed) || speed < 0 || speed > 1_000_000) {
    throw new RangeError(`speed must be between 0 and 1000000 simulated seconds per second, got ${speed}`);
  }
  return speed;
}

/** Ports and unit ids: stations sharing a port are told apart by unit id. */
function place(options: SimulatorOptions, basePort: number): Array<Omit<Placement, 'runtime'>> {
  const seen = new Set<string>();
  const placed = options.stations.map((station, index) => {
    if (!STATION_ID.test(station.id)) {
      throw new Error(
        `station id "${station.id}" must be letters, digits, _ or - (starting with a letter or digit)`,
      );
    }
    if (seen.has(station.id)) throw new Error(`station id "${station.id}" is given twice`);
    seen.add(station.id);
    if (station.rtu) return { station, group: `rtu:${station.rtu.path}`, port: 0, unitId: 0, index };
    const gateway = station.gateway;
    if (gateway !== undefined && (!Number.isInteger(gateway) || gateway < 0))
      throw new Error(`station ${station.id}: bad gateway ${gateway}`);
    const port = station.port ?? basePort + (gateway ?? index);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new Error(`station ${station.id}: bad port ${port}`);
    // Port 0 means "any free port": stations with a unit id share one, the others get one each.
    const group =
      gateway !== undefined && port === 0
        ? `gateway:${gateway}`
        : port !== 0
          ? `port:${port}`
          : station.unitId !== undefined
            ? 'free:shared'
            : `free:${station.id}`;
    return { station, group, port, unitId: station.unitId ?? 0, index };
  });
  checkSharedLines(placed.map((p) => p.station));
  const sizes = new Map<string, number>();
  for (const p of placed) sizes.set(p.group, (sizes.get(p.group) ?? 0) + 1);
  const used = new Map<string, Set<number>>();
  return placed.map((p) => {
    const shared = (sizes.get(p.group) ?? 1) > 1;
    const unitId = p.station.unitId ?? (shared ? p.index + 1 : 1);
    if (!Number.isInteger(unitId) || unitId < 1 || unitId > 247) {
      throw new Error(`station ${p.station.id}: unit id ${unitId} is outside 1..247`);
    }
    const ids = used.get(p.group) ?? new Set<number>();
    if (ids.has(unitId))
      throw new Error(`station ${p.station.id}: unit id ${unitId} is already used on its port`);
    ids.add(unitId);
    used.set(p.group, ids);
    return { station: p.station, group: p.group, port: p.port, unitId };
  });
}

/** Stations on one serial path share its settings, as the devices on one RS-485 line must. */
function checkSharedLines(stations: readonly SimulatorStation[]): void {
  const lines = new Map<string, { id: string; settings: string }>();
  for (const station of stations) {
    if (!station.rtu) continue;
    const { path, ...rest } = station.rtu;
    const settings = JSON.stringify(rest, Object.keys(rest).sort());
    const first = lines.get(path);
    if (first && first.settings !== settings) {
      throw new Error(
        `station ${station.id}: serial settings ${settings} differ from station ${first.id}'s ${first.settings} on ${path}`,
      );
    }
    if (!first) lines.set(path, { id: station.id, settings });
  }
}
