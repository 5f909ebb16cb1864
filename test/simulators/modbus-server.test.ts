import ModbusSerial from 'modbus-serial';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import { decodeTag } from '../../core/modbus/codec.ts';
import { freePort } from '../../core/net.ts';
import { loadProfile } from '../../core/profile/load.ts';
import { type RunningSimulator, startSimulator } from '../../simulators/index.ts';

// modbus-serial is CommonJS: its module object is the client class and carries itself as `default`.
const ModbusRTU = ModbusSerial.default;
type Client = InstanceType<typeof ModbusRTU>;

const profile = loadProfile('profiles/booster-3p-380.yaml');
const tag = (name: string) => profile.tags.find((t) => t.name === name)!;

let sim: RunningSimulator;
const clients: Client[] = [];

async function connect(port: number, unitId = 1, timeoutMs = 1000): Promise<Client> {
  const client = new ModbusRTU();
  await client.connectTCP('127.0.0.1', { port });
  client.setID(unitId);
  client.setTimeout(timeoutMs);
  clients.push(client);
  return client;
}

async function modbusError(
  promise: Promise<unknown>,
): Promise<{ modbusCode?: number; errno?: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { modbusCode?: number; errno?: string; message: string };
  }
  throw new Error('expected the request to fail');
}

beforeAll(async () => {
  const shared = await freePort();
  sim = await startSimulator({
    profile,
    stations: [
      { id: 'st1', port: 0 },
      { id: 'st2', port: 0 },
      { id: 'u1', port: shared, unitId: 1 },
      { id: 'u2', port: shared, unitId: 2 },
    ],
    controlPort: 0,
    speed: 0,
    startTime: Date.UTC(2024, 0, 1, 12),
    logger: silentLogger(),
  });
});

afterAll(async () => {
  for (const client of clients) await new Promise<void>((resolve) => client.close(() => resolve()));
  await sim?.stop();
});

describe('Modbus TCP server', () => {
  test('each station on its own free port', () => {
    expect(sim.ports.st1).not.toBe(sim.ports.st2);
    expect(sim.ports.u1).toBe(sim.ports.u2);
  });

  test('input registers, discrete inputs and holding registers decode to the model readings', async () => {
    const client = await connect(sim.ports.st1!);
    const expected = sim.readings('st1');
    const supply = await client.readInputRegisters(0, 6);
    expect(decodeTag(tag('supply_voltage_l2'), supply.data, 2)).toBeCloseTo(
      expected['supply.voltage_l2'] as number,
      3,
    );
    const analogs = await client.readInputRegisters(10, 9);
    expect(decodeTag(tag('outlet_pressure'), analogs.data, 0)).toBeCloseTo(
      expected['pressure.outlet'] as number,
      2,
    );
    expect(decodeTag(tag('failover_count'), analogs.data, 7)).toBe(0);
    const pump1 = await client.readInputRegisters(100, 12);
    expect(decodeTag(tag('p1_bearing_vibration'), pump1.data, 5)).toBeCloseTo(
      expected['pump[1].bearing_vibration'] as number,
      4,
    );
    expect(decodeTag(tag('p1_start_count'), pump1.data, 10)).toBe(expected['pump[1].start_count']);
    const bits = await client.readDiscreteInputs(0, 17);
    expect(bits.data.slice(0, 9)).toEqual([true, false, false, false, false, false, false, false, true]);
    expect(bits.data[16]).toBe(false);
    const holding = await client.readHoldingRegisters(0, 1);
    expect(holding.data).toEqual([400]);
    const single = await client.readInputRegisters(17, 1);
    expect(single.data).toEqual([0]);
  });

  test('a set point written to the holding register reaches the model', async () => {
    const client = await connect(sim.ports.st2!);
    await client.writeRegister(0, 425);
    expect(sim.readings('st2')['pressure.setpoint']).toBe(4.25);
    expect((await client.readHoldingRegisters(0, 1)).data).toEqual([425]);
    const refused = await modbusError(client.writeRegister(5, 1));
    expect(refused.modbusCode).toBe(2);
    const outOfRange = await modbusError(client.writeRegister(0, 2000));
    expect(outOfRange.modbusCode).toBe(3);
    expect(sim.readings('st2')['pressure.setpoint']).toBe(4.25);
  });

  test('reads past 65535 or over 125 registers are refused', async () => {
    const client = await connect(sim.ports.st1!);
    expect((await modbusError(client.readInputRegisters(65530, 10))).modbusCode).toBe(2);
    expect((await modbusError(client.readHoldingRegisters(0, 126))).modbusCode).toBe(3);
  });

  test('several stations on one port answer by unit id; an unknown unit gets 0x0B', async () => {
    sim.inject('u2', 'pump_trip', { pump: 1 });
    const one = await connect(sim.ports.u1!, 1);
    const two = await connect(sim.ports.u2!, 2);
    expect((await one.readDiscreteInputs(0, 2)).data.slice(0, 2)).toEqual([true, false]);
    expect((await two.readDiscreteInputs(0, 2)).data.slice(0, 2)).toEqual([false, true]);
    const stranger = await connect(sim.ports.u1!, 7);
    expect((await modbusError(stranger.readInputRegisters(0, 2))).modbusCode).toBe(0x0b);
  });

  test.each([
    ['exception_illegal_address', 2],
    ['exception_device_busy', 6],
  ])('%s answers exception %d until cleared', async (fault, code) => {
    const client = await connect(sim.ports.st1!);
    sim.inject('st1', fault);
    expect((await modbusError(client.readInputRegisters(0, 6))).modbusCode).toBe(code);
    expect((await modbusError(client.readInputRegisters(10, 1))).modbusCode).toBe(code);
    expect((await modbusError(client.readDiscreteInputs(0, 9))).modbusCode).toBe(code);
    sim.clear('st1', fault);
    expect((await client.readInputRegisters(0, 6)).data).toHaveLength(6);
  });

  test('a silent controller lets the client time out, then answers again when cleared', async () => {
    const client = await connect(sim.ports.st1!, 1, 300);
    sim.inject('st1', 'controller_silent');
    const timedOut = await modbusError(client.readInputRegisters(0, 6));
    expect(timedOut.errno ?? timedOut.message).toMatch(/ETIMEDOUT|Timed out/);
    const bitsTimedOut = await modbusError(client.readDiscreteInputs(0, 9));
    expect(bitsTimedOut.message).toMatch(/Timed out/);
    sim.clear('st1', 'controller_silent');
    const fresh = await connect(sim.ports.st1!);
    expect((await fresh.readInputRegisters(0, 6)).data).toHaveLength(6);
  });
});
