import { silentLogger } from '../../core/log.ts';
import { loadProfile } from '../../core/profile/load.ts';
import { DEFAULT_PROFILE } from '../../simulators/config.ts';
import { startSimulator } from '../../simulators/index.ts';
import { serveWorker } from './protocol.ts';

export interface SimulatorWorkerOptions {
  /** Number of stations, named s0..s(n-1). */
  stations: number;
  /** Serve them all on one port by unit id (at most 247) instead of a port each. Default false. */
  sharedPort?: boolean;
}

export interface SimulatorWorkerInfo {
  host: string;
  ports: Record<string, number>;
  unitIds: Record<string, number>;
}

serveWorker(async (options: SimulatorWorkerOptions) => {
  const profile = loadProfile(DEFAULT_PROFILE);
  const stations = Array.from({ length: options.stations }, (_, i) => ({
    id: `s${i}`,
    port: 0,
    ...(options.sharedPort ? { unitId: i + 1 } : {}),
  }));
  const sim = await startSimulator({ profile, stations, controlPort: 0, logger: silentLogger() });
  const info: SimulatorWorkerInfo = { host: sim.host, ports: sim.ports, unitIds: sim.unitIds };
  return { info, stop: () => sim.stop() };
});
