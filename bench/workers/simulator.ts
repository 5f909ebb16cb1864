import { silentLogger } from '../../core/log.ts';
import { loadProfile } from '../../core/profile/load.ts';
import { DEFAULT_PROFILE } from '../../simulators/config.ts';
import { fleetStations } from '../../simulators/fleet.ts';
import { startSimulator } from '../../simulators/index.ts';
import { epochMs, serveWorker } from './protocol.ts';

export interface SimulatorWorkerOptions {
  /** Number of stations, named s0..s(n-1). */
  stations: number;
  /** Serve them all on one port by unit id (at most 247) instead of a port each. Default false. */
  sharedPort?: boolean;
  /** Serve them behind gateway ports, this many unit ids per port (the fleet simulator's layout). */
  unitsPerPort?: number;
  /** Real ms between model steps. Default 100. */
  tickMs?: number;
}

/** A fault to inject into (or clear from) some stations, e.g. `pump_trip` on pump 1. */
export interface SimulatorFaultCall {
  stations: string[];
  fault: string;
  pump?: number;
}

export interface SimulatorWorkerInfo {
  host: string;
  ports: Record<string, number>;
  unitIds: Record<string, number>;
}

serveWorker(async (options: SimulatorWorkerOptions) => {
  const profile = loadProfile(DEFAULT_PROFILE);
  const ids = Array.from({ length: options.stations }, (_, i) => `s${i}`);
  const stations = options.unitsPerPort
    ? fleetStations(ids, { unitsPerPort: options.unitsPerPort, port: 0 })
    : ids.map((id, i) => ({ id, port: 0, ...(options.sharedPort ? { unitId: i + 1 } : {}) }));
  const sim = await startSimulator({
    profile,
    stations,
    controlPort: 0,
    ...(options.tickMs ? { tickMs: options.tickMs } : {}),
    logger: silentLogger(),
  });
  const info: SimulatorWorkerInfo = { host: sim.host, ports: sim.ports, unitIds: sim.unitIds };
  return {
    info,
    calls: {
      /** Injects the fault into each station; returns when each was injected (epochMs). */
      inject: (args) => {
        const { stations: ids, fault, pump } = args as SimulatorFaultCall;
        const at: Record<string, number> = {};
        for (const id of ids) {
          sim.inject(id, fault, pump === undefined ? {} : { pump });
          at[id] = epochMs();
        }
        return at;
      },
      clear: (args) => {
        const { stations: ids, fault, pump } = args as SimulatorFaultCall;
        for (const id of ids) sim.clear(id, fault, pump === undefined ? {} : { pump });
      },
      epochMs,
    },
    stop: () => sim.stop(),
  };
});
