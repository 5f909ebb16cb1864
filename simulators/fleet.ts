import type { SimulatorStation } from './index.ts';

/** Most stations one gateway port serves: Modbus unit ids 1..247. */
export const MAX_UNITS_PER_PORT = 247;

export interface FleetLayout {
  /** Stations per port, each with its own unit id 1..n; 1 gives each station a port of its own. */
  unitsPerPort: number;
  /** Port of the first gateway (0: free ports, for tests and benches). Default: the simulator's basePort. */
  port?: number;
}

/** Station ids `${prefix}1..${prefix}${count}`. */
export function fleetIds(count: number, prefix = 'st'): string[] {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be 1 or more, got ${count}`);
  return Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`);
}

/**
 * Lays stations out behind gateway ports as real Modbus TCP gateways serve them: unit ids 1..n on
 * the first port, then the next port, and so on (port + gateway number, or free ports with port 0).
 */
export function fleetStations(ids: readonly string[], layout: FleetLayout): SimulatorStation[] {
  const units = layout.unitsPerPort;
  if (!Number.isInteger(units) || units < 1 || units > MAX_UNITS_PER_PORT) {
    throw new RangeError(`units per port must be 1..${MAX_UNITS_PER_PORT}, got ${units}`);
  }
  return ids.map((id, i) => {
    const gateway = Math.floor(i / units);
    return {
      id,
      gateway,
      unitId: units === 1 ? 1 : (i % units) + 1,
      ...(layout.port === undefined ? {} : { port: layout.port === 0 ? 0 : layout.port + gateway }),
    };
  });
}
