import { describe, expect, test } from 'vitest';
import { codesOf } from '../../core/profile/tag-schema.ts';
import { profileWithNotAvailable, useProfileFlow } from './profile-flow.ts';

// The GD20 profile through the simulator (Modbus TCP), the edge, mosquitto and the server's API.
// 0xFFFF on the output current stands in for a "no value" code: the manual names none.
const profile = profileWithNotAvailable('profiles/invt-gd20.yaml', 'output_current', [0xffff]);
const running = useProfileFlow(profile);

describe('INVT Goodrive20 profile, simulator to server', () => {
  test('running values arrive in the manual units, the state word as its code, derived running and kW', async () => {
    const flow = running();
    const values = await flow.until('drive values and the slow-polled command channel', (v) =>
      v['pump[1].frequency']?.q === 'good' && v['station.control_mode'] && v['pump[1].power'] ? v : undefined,
    );
    expect(values['pump[1].frequency']).toMatchObject({ q: 'good', unit: 'Hz' });
    expect(values['pump[1].frequency']?.v).toBeGreaterThan(0);
    expect(values['pump[1].frequency']?.v).toBeLessThanOrEqual(50);
    expect(values['pump[1].dc_bus_voltage']).toMatchObject({ q: 'good', unit: 'V' });
    // 0.1 V: a 380 V supply (within its tolerance) rectifies to ~1.35 x 380 = 513 V.
    expect(values['pump[1].dc_bus_voltage']?.v).toBeGreaterThan(470);
    expect(values['pump[1].dc_bus_voltage']?.v).toBeLessThan(560);
    expect(values['pump[1].output_voltage']).toMatchObject({ q: 'good', unit: 'V' });
    expect(values['pump[1].current_l1']).toMatchObject({ q: 'good', unit: 'A' });
    expect(values['pump[1].speed']).toMatchObject({ q: 'good', unit: 'rpm' });
    expect(values['custom.output_power_percent']).toMatchObject({ q: 'good', unit: '%' });
    // 2100H state word: 1 = forward running, stored as its code; P00.01 0 = keypad.
    expect(values['custom.drive_state']).toMatchObject({ v: 1, q: 'good' });
    expect(values['station.control_mode']).toMatchObject({ v: 0, q: 'good' });
    expect(values['pump[1].running']).toMatchObject({ v: true, q: 'good' });
    const volts = values['pump[1].output_voltage']?.v as number;
    const amps = values['pump[1].current_l1']?.v as number;
    expect(values['pump[1].power']?.v).toBeCloseTo((Math.sqrt(3) * volts * amps * 0.85) / 1000, 2);
    expect(values['pump[1].alarm_code']).toMatchObject({ v: 0, q: 'good' });
  });

  test('the not-available code arrives as quality not_available with a null value', async () => {
    const flow = running();
    flow.sim.inject(flow.station, 'sensor_stuck', {
      params: { meaning: 'pump[1].current_l1', value: 6553.5 },
    });
    const current = await flow.until('not_available output current', (v) =>
      v['pump[1].current_l1']?.q === 'not_available' ? v['pump[1].current_l1'] : undefined,
    );
    expect(current.v).toBeNull();
    flow.sim.clear(flow.station, 'sensor_stuck');
    await flow.until('good output current again', (v) =>
      v['pump[1].current_l1']?.q === 'good' ? true : undefined,
    );
  });

  test('a pump trip shows the drive fault code from the P07.27 table', async () => {
    const flow = running();
    flow.sim.inject(flow.station, 'pump_trip', { pump: 1 });
    const code = await flow.until('a fault code', (v) => {
      const value = v['pump[1].alarm_code']?.v;
      return typeof value === 'number' && value > 0 ? value : undefined;
    });
    expect(code).toBe(1);
    const table = codesOf(profile.tags.find((t) => t.meaning === 'pump[1].alarm_code')?.alarmCodes);
    expect(table.get(code)).toMatchObject({
      en: 'Inverter unit phase U protection (OUt1)',
      severity: 'major',
    });
    const values = await flow.until('the pump stopped', (v) =>
      v['pump[1].running']?.v === false ? v : undefined,
    );
    expect(values['pump[1].speed']?.v).toBe(0);
  });
});
