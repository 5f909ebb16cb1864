import { describe, expect, test } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import { decodeTag, tagWidth } from '../../core/modbus/codec.ts';
import { parseProfile } from '../../core/profile/load.ts';
import { isBitArea } from '../../core/profile/schema.ts';
import { FaultError } from '../../simulators/model/faults.ts';
import { buildRegisterImage, readBits, readWords } from '../../simulators/register-map.ts';
import { StationRuntime } from '../../simulators/station-runtime.ts';

/** A drive-style map: per-pump blocks from register 1, a mode enumeration, codes, a custom reading. */
const vendor = parseProfile(
  {
    model: 'vendor-booster',
    nominalVoltage: 400,
    phases: 3,
    pumps: 2,
    addressBase: 1,
    tags: [
      {
        name: 'outlet',
        area: 'holding',
        address: 1,
        type: 'uint16',
        scale: 0.001,
        unit: 'MPa',
        meaning: 'pressure.outlet',
        range: { min: 0, max: 1.6 },
      },
      {
        name: 'mode',
        area: 'holding',
        address: 2,
        type: 'uint16',
        meaning: 'station.control_mode',
        enum: { 1: { en: 'Auto', zh: '自动' }, 2: { en: 'Manual', zh: '手动' } },
      },
      {
        name: 'code',
        area: 'holding',
        address: 3,
        type: 'uint16',
        meaning: 'station.alarm_code',
        alarmCodes: { 7: { en: 'Overcurrent', severity: 'major' } },
      },
      {
        name: 'cabinet_humidity',
        area: 'holding',
        address: 4,
        type: 'uint16',
        scale: 0.1,
        unit: '%',
        meaning: 'custom.cabinet_humidity',
        range: { min: 0, max: 100 },
      },
      {
        name: 'cabinet_door',
        area: 'discrete',
        address: 1,
        type: 'bool',
        meaning: 'custom.cabinet_door_open',
      },
    ],
    pumpBlocks: [
      {
        stride: 16,
        tags: [
          {
            name: 'hz',
            area: 'holding',
            address: 101,
            type: 'uint16',
            scale: 0.01,
            unit: 'Hz',
            meaning: 'pump[n].frequency',
            range: { min: 0, max: 50 },
          },
          {
            name: 'rpm',
            area: 'holding',
            address: 102,
            type: 'uint16',
            unit: 'rpm',
            meaning: 'pump[n].speed',
          },
          {
            name: 'amps',
            area: 'holding',
            address: 103,
            type: 'uint16',
            scale: 0.1,
            unit: 'A',
            meaning: 'pump[n].current_l1',
            range: { min: 0, max: 100 },
          },
          {
            name: 'kw',
            area: 'holding',
            address: 104,
            type: 'uint16',
            scale: 0.1,
            unit: 'kW',
            meaning: 'pump[n].power',
          },
          {
            name: 'bus',
            area: 'holding',
            address: 105,
            type: 'uint16',
            unit: 'V',
            meaning: 'pump[n].dc_bus_voltage',
          },
          {
            name: 'drive_temp',
            area: 'holding',
            address: 106,
            type: 'int16',
            unit: 'degC',
            meaning: 'pump[n].drive_temperature',
            notAvailable: ['0x7FFF'],
          },
        ],
      },
    ],
  },
  'vendor-booster.yaml',
);

const runtime = () =>
  new StationRuntime({
    id: 'v1',
    profile: vendor,
    seed: 3,
    startTime: Date.UTC(2024, 0, 1, 9),
    utcOffsetMinutes: 0,
    logger: silentLogger(),
  });

function read(station: StationRuntime, meaning: string): number | boolean {
  const tag = vendor.tags.find((t) => t.meaning === meaning);
  if (!tag) throw new Error(`no tag ${meaning}`);
  const block = isBitArea(tag.area)
    ? station.readBits(tag.area as 'coil' | 'discrete', tag.address, 1)
    : station.readWords(tag.area as 'input' | 'holding', tag.address, tagWidth(tag));
  return decodeTag(tag, block, 0);
}

describe('the simulator serves any profile', () => {
  test('every analog tag of a vendor map reads a plausible value, not 0', () => {
    const station = runtime();
    station.advance(300);
    const running = [1, 2].find((pump) => Number(read(station, `pump[${pump}].frequency`)) > 0);
    expect(running).toBeDefined();
    const p = running ?? 1;
    expect(read(station, 'pressure.outlet')).toBeGreaterThan(0.1);
    expect(read(station, `pump[${p}].speed`)).toBeGreaterThan(1000);
    expect(read(station, `pump[${p}].current_l1`)).toBeGreaterThan(1);
    expect(read(station, `pump[${p}].power`)).toBeGreaterThan(0.5);
    expect(read(station, `pump[${p}].dc_bus_voltage`)).toBeGreaterThan(500);
    expect(read(station, `pump[${p}].drive_temperature`)).toBeGreaterThan(15);
    // A reading the model knows nothing of: the middle of its range; an enumeration: a listed code.
    expect(read(station, 'custom.cabinet_humidity')).toBe(50);
    expect(read(station, 'station.control_mode')).toBe(1);
    expect(read(station, 'station.alarm_code')).toBe(0);
  });

  test("a tripped pump shows the vendor's major alarm code", () => {
    const station = runtime();
    station.advance(120);
    station.inject({ fault: 'pump_trip', pump: 1 });
    expect(read(station, 'station.alarm_code')).toBe(7);
  });

  test('a stuck sensor value that does not fit its register is refused, not clamped', () => {
    const station = runtime();
    expect(() =>
      station.inject({ fault: 'sensor_stuck', params: { meaning: 'pressure.outlet', value: 70 } }),
    ).toThrow(FaultError);
    expect(() =>
      station.inject({ fault: 'sensor_stuck', params: { meaning: 'pressure.outlet', value: 70 } }),
    ).toThrow(
      /value 70 refused: tag outlet \(pressure.outlet\): raw value 70000 does not fit a uint16 register/,
    );
    expect(station.faults()).toEqual([]);
  });

  test('a model value that does not fit is served as the tag\'s "not available" code and listed', () => {
    const image = buildRegisterImage(vendor, { 'pump[1].drive_temperature': 40_000, 'pump[1].speed': -5 });
    const temp = vendor.tags.find((t) => t.meaning === 'pump[1].drive_temperature');
    expect(readWords(image, 'holding', temp?.address ?? -1, 1)).toEqual([0x7fff]);
    expect(image.unfit).toEqual([
      'tag p1_rpm (pump[1].speed): raw value -5 does not fit a uint16 register (0..65535)',
      'tag p1_drive_temp (pump[1].drive_temperature): raw value 40000 does not fit a int16 register (-32768..32767)',
    ]);
    expect(readBits(image, 'discrete', 0, 1)).toEqual([false]);
  });
});
