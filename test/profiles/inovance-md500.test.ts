import { describe, expect, test } from 'vitest';
import { codesOf } from '../../core/profile/tag-schema.ts';
import { profileWithNotAvailable, useProfileFlow } from './profile-flow.ts';

// The MD500 profile through the simulator (Modbus TCP), the edge, mosquitto and the server's API.
// 0x7FFF on the motor temperature stands in for a "no value" code (no sensor on AI3): the manual names none.
const profile = profileWithNotAvailable('profiles/inovance-md500.yaml', 'motor_temperature', [0x7fff]);
const running = useProfileFlow(profile);

describe('Inovance MD500 profile, simulator to server', () => {
  test('U0 values arrive in the manual units, the drive state as its code, running derived from frequency', async () => {
    const flow = running();
    const values = await flow.until('drive values and the slow-polled command source', (v) =>
      v['pump[1].frequency']?.q === 'good' && v['station.control_mode'] && v['pump[1].running']
        ? v
        : undefined,
    );
    expect(values['pump[1].frequency']).toMatchObject({ q: 'good', unit: 'Hz' });
    expect(values['pump[1].frequency']?.v).toBeGreaterThan(0);
    expect(values['pump[1].dc_bus_voltage']).toMatchObject({ q: 'good', unit: 'V' });
    // 0.1 V: a 380 V supply (within its tolerance) rectifies to ~1.35 x 380 = 513 V.
    expect(values['pump[1].dc_bus_voltage']?.v).toBeGreaterThan(470);
    expect(values['pump[1].dc_bus_voltage']?.v).toBeLessThan(560);
    expect(values['pump[1].output_voltage']).toMatchObject({ q: 'good', unit: 'V' });
    expect(values['pump[1].current_l1']).toMatchObject({ q: 'good', unit: 'A' });
    expect(values['pump[1].power']).toMatchObject({ q: 'good', unit: 'kW' });
    expect(values['pump[1].power']?.v).toBeGreaterThan(0);
    expect(values['pump[1].winding_temperature']).toMatchObject({ q: 'good', unit: 'degC' });
    // 3000H: 1 = forward running, stored as its code; F0-02 0 = operating panel.
    expect(values['custom.drive_state']).toMatchObject({ v: 1, q: 'good' });
    expect(values['station.control_mode']).toMatchObject({ v: 0, q: 'good' });
    expect(values['pump[1].running']).toMatchObject({ v: true, q: 'good' });
    expect(values['pump[1].alarm_code']).toMatchObject({ v: 0, q: 'good' });
  });

  test('the not-available code arrives as quality not_available with a null value', async () => {
    const flow = running();
    flow.sim.inject(flow.station, 'sensor_stuck', {
      params: { meaning: 'pump[1].winding_temperature', value: 0x7fff },
    });
    const temperature = await flow.until('not_available motor temperature', (v) =>
      v['pump[1].winding_temperature']?.q === 'not_available' ? v['pump[1].winding_temperature'] : undefined,
    );
    expect(temperature.v).toBeNull();
    flow.sim.clear(flow.station, 'sensor_stuck');
    await flow.until('good motor temperature again', (v) =>
      v['pump[1].winding_temperature']?.q === 'good' ? true : undefined,
    );
  });

  test('a pump trip shows the drive fault code from the 8000H table', async () => {
    const flow = running();
    flow.sim.inject(flow.station, 'pump_trip', { pump: 1 });
    const code = await flow.until('a fault code', (v) => {
      const value = v['pump[1].alarm_code']?.v;
      return typeof value === 'number' && value > 0 ? value : undefined;
    });
    expect(code).toBe(2);
    const table = codesOf(profile.tags.find((t) => t.meaning === 'pump[1].alarm_code')?.alarmCodes);
    expect(table.get(code)).toMatchObject({
      en: 'Overcurrent during acceleration (Err02)',
      zh: '加速过电流(Err02)',
    });
    const values = await flow.until('the pump stopped', (v) =>
      v['pump[1].running']?.v === false ? v : undefined,
    );
    expect(values['pump[1].frequency']?.v).toBe(0);
  });
});
