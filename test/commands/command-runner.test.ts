import { describe, expect, test } from 'vitest';
import type { CommandMessage } from '../../core/commands/payloads.ts';
import { silentLogger } from '../../core/log.ts';
import { loadProfile, parseProfile } from '../../core/profile/load.ts';
import type { Profile } from '../../core/profile/schema.ts';
import { runCommand } from '../../edge/command-runner.ts';
import type { ModbusSource } from '../../edge/modbus-source.ts';
import { ModbusExceptionError } from '../../edge/modbus-source.ts';
import { ModbusException } from '../../simulators/register-map.ts';
import { StationRuntime } from '../../simulators/station-runtime.ts';

// The edge's command runner against the simulator's own controller (its model and register map, the
// same calls its Modbus server makes), on a clock the test moves.
const profile = loadProfile('profiles/booster-3p-380.yaml');
const NOW = 1_800_000_000_000;

function controller(p: Profile = profile) {
  const runtime = new StationRuntime({
    id: 'st1',
    profile: p,
    seed: 3,
    startTime: NOW,
    utcOffsetMinutes: 480,
    logger: silentLogger(),
  });
  const asModbus = <T>(call: () => T): Promise<T> => {
    try {
      return Promise.resolve(call());
    } catch (error) {
      if (error instanceof ModbusException)
        return Promise.reject(new ModbusExceptionError(error.modbusErrorCode, error.message));
      return Promise.reject(error);
    }
  };
  const source: ModbusSource = {
    read: (area, address, count) =>
      asModbus(() =>
        area === 'coil' || area === 'discrete'
          ? runtime.readBits(area, address, count)
          : runtime.readWords(area, address, count),
      ),
    write: (area, address, values) => asModbus(() => runtime.write(area, address, values)),
    close: async () => undefined,
  };
  return { runtime, source };
}

const command = (change: Partial<CommandMessage> = {}): CommandMessage => ({
  v: 1,
  id: '3b241101-e2bb-4255-8caf-4136c566a962',
  site: 'demo',
  station: 'st1',
  kind: 'reset_trip',
  pump: 1,
  issuedAt: NOW,
  expiresAt: NOW + 30_000,
  by: 'operator',
  ...change,
});

async function run(
  message: CommandMessage,
  setup: (c: ReturnType<typeof controller>) => void = () => {},
  p?: Profile,
) {
  const c = controller(p);
  setup(c);
  const clock = { now: NOW + 100 };
  const result = await runCommand(message, {
    site: 'demo',
    edgeId: 'edge-1',
    station: (id) => (id === 'st1' ? { profile: p ?? profile, source: c.source } : undefined),
    clock: () => clock.now,
    // Waiting moves the test's clock (and lets the simulated controller run as long).
    sleep: async (ms) => {
      clock.now += ms;
      c.runtime.advance(ms / 1000);
    },
  });
  return { result, runtime: c.runtime, elapsed: clock.now - (NOW + 100) };
}

describe('the edge runs a command on the controller', () => {
  test('a latched trip is reset and read back as cleared', async () => {
    const { result, runtime } = await run(command(), (c) =>
      c.runtime.inject({ fault: 'pump_trip', pump: 1 }),
    );
    expect(result).toMatchObject({ status: 'confirmed', readBack: false, edge: 'edge-1' });
    expect(runtime.readings()['pump[1].fault']).toBe(false);
  });

  test.each<[string, Partial<CommandMessage>, string]>([
    ['expired before it arrived', { expiresAt: NOW + 100 }, 'expired'],
    ['another site', { site: 'north' }, 'unknown_station'],
    ['a station of another edge', { station: 'st7' }, 'unknown_station'],
    ['pump 4 of 3', { pump: 4 }, 'no_pump'],
    [
      'a set point past the register range',
      { kind: 'set_pressure', pump: undefined, value: 17 },
      'bad_value',
    ],
  ])('refused: %s', async (_name, change, code) => {
    const { result } = await run(command(change));
    expect(result).toMatchObject({ status: 'refused', code });
  });

  test('a controller that refuses the write (a tripped pump cannot start) is write_failed', async () => {
    const { result } = await run(command({ kind: 'start_pump', pump: 2 }), (c) =>
      c.runtime.inject({ fault: 'pump_trip', pump: 2 }),
    );
    expect(result).toMatchObject({ status: 'refused', code: 'write_failed' });
    expect(result.detail).toMatch(/tripped/);
  });

  test('a trip whose cause stands is not confirmed, after the read-back window and not longer', async () => {
    const { result, elapsed } = await run(command({ pump: 2 }), (c) =>
      c.runtime.inject({ fault: 'grounding_fault', pump: 2 }),
    );
    expect(result).toMatchObject({ status: 'refused', code: 'not_confirmed', readBack: true });
    expect(elapsed).toBe(5000);
  });

  test('the read-back window never passes the expiry', async () => {
    const { result, elapsed } = await run(command({ pump: 2, expiresAt: NOW + 1100 }), (c) =>
      c.runtime.inject({ fault: 'grounding_fault', pump: 2 }),
    );
    expect(result.code).toBe('not_confirmed');
    expect(elapsed).toBe(1000);
  });

  test('a profile without commands refuses them as unsupported', async () => {
    const plain = parseProfile(
      {
        model: 'plain',
        nominalVoltage: 220,
        phases: 1,
        pumps: 1,
        tags: [{ name: 'run', area: 'discrete', address: 0, type: 'bool', meaning: 'pump[1].running' }],
      },
      'plain.yaml',
    );
    const { result } = await run(command(), () => {}, plain);
    expect(result).toMatchObject({ status: 'refused', code: 'unsupported' });
  });
});
