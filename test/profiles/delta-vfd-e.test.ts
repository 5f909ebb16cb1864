import { describe, expect, test } from 'vitest';
import { codesOf } from '../../core/profile/tag-schema.ts';
import { profileWithNotAvailable, useProfileFlow } from './profile-flow.ts';

// The VFD-E profile through the simulator (Modbus TCP), the edge, mosquitto and the server's API.
// 0xFFFF on the output current stands in for a "no value" code: the manual names none.
const profile = profileWithNotAvailable('profiles/delta-vfd-e.yaml', 'output_current', [0xffff]);
const running = useProfileFlow(profile);

describe('Delta VFD-E profile, simulator to server', () => {
  test('status monitor values arrive in the manual units, the command source as its code, derived running and kW', async () => {
    const flow = running();
    const values = await flow.until('drive values and the slow-polled command source', (v) =>
      v['pump[1].frequency']?.q === 'good' && v['station.control_mode'] && v['pump[1].power'] ? v : undefined,
    );
    expect(values['pump[1].frequency']).toMatchObject({ q: 'good', unit: 'Hz' });
    expect(values['pump[1].frequency']?.v).toBeGreaterThan(0);
    expect(values['pump[1].current_l1']).toMatchObject({ q: 'good', unit: 'A' });
    // UXXX.X: 0.1 V; a 380 V supply (within its tolerance) rectifies to ~513 V.
    expect(values['pump[1].dc_bus_voltage']).toMatchObject({ q: 'good', unit: 'V' });
    expect(values['pump[1].dc_bus_voltage']?.v).toBeGreaterThan(470);
    expect(values['pump[1].dc_bus_voltage']?.v).toBeLessThan(560);
    expect(values['pump[1].output_voltage']).toMatchObject({ q: 'good', unit: 'V' });
    expect(values['pump[1].drive_temperature']).toMatchObject({ q: 'good', unit: 'degC' });
    // Pr.02.01 0 = digital keypad, stored as its code.
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
    const values = await flow.until('not_available output current', (v) =>
      v['pump[1].current_l1']?.q === 'not_available' ? v : undefined,
    );
    expect(values['pump[1].current_l1']?.v).toBeNull();
    // Power needs the current: it has no value either, and says why.
    await flow.until('power without a value', (v) =>
      v['pump[1].power']?.v === null && v['pump[1].power']?.q === 'not_available' ? true : undefined,
    );
    flow.sim.clear(flow.station, 'sensor_stuck');
    await flow.until('good output current again', (v) =>
      v['pump[1].current_l1']?.q === 'good' ? true : undefined,
    );
  });

  test('a pump trip shows the drive error code from the 2100H table', async () => {
    const flow = running();
    flow.sim.inject(flow.station, 'pump_trip', { pump: 1 });
    const code = await flow.until('an error code', (v) => {
      const value = v['pump[1].alarm_code']?.v;
      return typeof value === 'number' && value > 0 ? value : undefined;
    });
    expect(code).toBe(1);
    const table = codesOf(profile.tags.find((t) => t.meaning === 'pump[1].alarm_code')?.alarmCodes);
    expect(table.get(code)).toMatchObject({ en: 'Over-current (oc)', zh: '过电流(oc)', severity: 'major' });
    const values = await flow.until('the pump stopped', (v) =>
      v['pump[1].running']?.v === false ? v : undefined,
    );
    expect(values['pump[1].frequency']?.v).toBe(0);
  });
});
