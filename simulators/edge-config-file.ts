import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { stringify } from 'yaml';

export interface ServedStation {
  id: string;
  host: string;
  port: number;
  unitId: number;
}

/** Requests the simulator's ports take at once (it answers each chunk's frames together). */
export const SIMULATOR_CONCURRENT_REQUESTS = 8;

/**
 * An edge config (YAML) that polls every station the simulator serves, gateway ports and unit ids
 * included: `aftercare edge --config <file>` runs against the fleet as it is. The stations behind one
 * gateway port share its connection, as an edge polls a real gateway.
 */
export function edgeConfigText(stations: readonly ServedStation[], profile: string): string {
  const perPort = new Map<string, number>();
  for (const s of stations) perPort.set(`${s.host}:${s.port}`, (perPort.get(`${s.host}:${s.port}`) ?? 0) + 1);
  return stringify({
    edgeId: 'fleet-edge',
    site: 'fleet',
    mqtt: { url: 'mqtt://127.0.0.1:1883' },
    stations: stations.map((s) => ({
      id: s.id,
      profile: resolve(profile),
      tcp: {
        host: s.host,
        port: s.port,
        unitId: s.unitId,
        maxConcurrentRequests: SIMULATOR_CONCURRENT_REQUESTS,
        ...(perPort.get(`${s.host}:${s.port}`)! > 1 ? { shareConnection: true } : {}),
      },
    })),
  });
}

export function writeEdgeConfig(file: string, stations: readonly ServedStation[], profile: string): void {
  writeFileSync(file, edgeConfigText(stations, profile));
}
