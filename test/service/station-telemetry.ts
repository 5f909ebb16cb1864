import type { Telemetry, TelemetryValue } from '../../core/telemetry/payloads.ts';

export const good = (v: number | boolean): TelemetryValue => ({ v, q: 'good' });

/**
 * A telemetry message of a healthy station at site `demo` (380 V on every phase, 3.5 bar, pump 1
 * running as duty, pump 2 standing by, no fault bits), with `values` laid over it.
 */
export function stationTelemetry(
  station: string,
  seq: number,
  ts: number,
  values: Record<string, TelemetryValue>,
): Telemetry {
  return {
    v: 1,
    site: 'demo',
    station,
    edge: 'edge-1',
    model: 'booster-3p-380',
    seq,
    ts,
    state: 'ok',
    values: {
      'supply.voltage_l1': good(380),
      'supply.voltage_l2': good(380),
      'supply.voltage_l3': good(380),
      'pressure.outlet': good(3.5),
      'station.failover_count': good(0),
      'pump[1].running': good(true),
      'pump[1].fault': good(false),
      'pump[2].running': good(false),
      'pump[2].fault': good(false),
      ...values,
    },
  };
}
