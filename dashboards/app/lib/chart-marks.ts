import type { SiteThresholds } from '../../../core/alarms/thresholds.ts';
import { DEFAULT_MACHINE_CLASS, ISO_10816_3_CLASSES } from '../../../core/standards/iso-10816-3.ts';
import type { Alarm, Severity } from './types.ts';

/** The station page's charts, each named for what it plots. */
export type ChartKind = 'pressure' | 'flow' | 'voltage' | 'current' | 'temperature' | 'vibration';

/** A horizontal line where an alarm rule fires, in the chart's unit. */
export interface ThresholdLine {
  /** Which rule: a fault class of server/alarms/catalogue.ts. */
  faultClass: string;
  value: number;
}

/**
 * The site's alarm thresholds that a chart's readings are judged against (server/alarms/conditions.ts
 * reads the same fields), in the chart's unit. Pure.
 */
export function thresholdLines(kind: ChartKind, t: SiteThresholds | undefined): ThresholdLine[] {
  if (!t) return [];
  switch (kind) {
    case 'pressure':
      return [{ faultClass: 'outlet_pressure_low', value: t.outletPressureLowBar }];
    case 'voltage':
      return [
        { faultClass: 'under_voltage', value: t.nominalVoltage * (1 - t.underVoltagePct / 100) },
        { faultClass: 'over_voltage', value: t.nominalVoltage * (1 + t.overVoltagePct / 100) },
      ];
    case 'current':
      return [{ faultClass: 'overcurrent', value: t.overcurrentA }];
    case 'temperature':
      return [{ faultClass: 'motor_overtemperature', value: t.windingTemperatureC }];
    case 'vibration': {
      const zones = ISO_10816_3_CLASSES[t.machineClass ?? DEFAULT_MACHINE_CLASS];
      return [
        { faultClass: 'vibration_zone_c', value: t.vibrationZoneCmmS ?? zones.bc },
        { faultClass: 'vibration_zone_d', value: t.vibrationZoneDmmS ?? zones.cd },
      ];
    }
    case 'flow':
      return [];
  }
}

/** A moment an alarm was raised or cleared, drawn as a vertical line on every chart of its station. */
export interface AlarmMarker {
  at: number;
  change: 'raised' | 'cleared';
  severity: Severity;
  alarm: Alarm;
}

/** The raisings and clearings of `alarms` that fall in `from..to`, in time order. Pure. */
export function alarmMarkers(alarms: readonly Alarm[], from: number, to: number): AlarmMarker[] {
  const marks: AlarmMarker[] = [];
  for (const alarm of alarms) {
    if (alarm.raisedAt >= from && alarm.raisedAt <= to)
      marks.push({ at: alarm.raisedAt, change: 'raised', severity: alarm.severity, alarm });
    if (alarm.clearedAt !== null && alarm.clearedAt >= from && alarm.clearedAt <= to)
      marks.push({ at: alarm.clearedAt, change: 'cleared', severity: alarm.severity, alarm });
  }
  return marks.sort((a, b) => a.at - b.at);
}

/** A y range that holds both the data's and the threshold lines, so a line is never off the chart. Pure. */
export function rangeWithLines(
  min: number | null,
  max: number | null,
  lines: readonly number[],
): [number, number] | null {
  const values = [...(min === null ? [] : [min]), ...(max === null ? [] : [max]), ...lines].filter(
    Number.isFinite,
  );
  if (values.length === 0) return null;
  const low = Math.min(...values);
  const high = Math.max(...values);
  const pad = (high - low) * 0.08 || Math.abs(high) * 0.1 || 1;
  return [low - pad, high + pad];
}
