import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { silentLogger } from '../../core/log.ts';
import { decodeTag } from '../../core/modbus/codec.ts';
import { loadProfile } from '../../core/profile/load.ts';
import { parseEdgeConfig } from '../../edge/index.ts';
import { edgeConfigText } from '../../simulators/edge-config-file.ts';
import { fleetIds, fleetStations } from '../../simulators/fleet.ts';
import { type RunningSimulator, startSimulator } from '../../simulators/index.ts';

const profile = loadProfile('profiles/booster-3p-380.yaml');
const outlet = profile.tags.find((t) => t.meaning === 'pressure.outlet')!;
let sim: RunningSimulator;
const sockets: Socket[] = [];

/** A raw Modbus TCP connection: requests written as bytes, whole replies collected in order. */
async function raw(port: number) {
  const socket = connect({ host: '127.0.0.1', port });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let buffered = Buffer.alloc(0);
  const replies: Buffer[] = [];
  socket.on('data', (chunk) => {
    buffered = Buffer.concat([buffered, chunk]);
    while (buffered.length >= 6 && buffered.length >= 6 + buffered.readUInt16BE(4)) {
      const length = 6 + buffered.readUInt16BE(4);
      replies.push(buffered.subarray(0, length));
      buffered = buffered.subarray(length);
    }
  });
  return {
    write: (bytes: Buffer) => socket.write(bytes),
    async replies(n: number): Promise<Buffer[]> {
      for (let i = 0; i < 100 && replies.length < n; i++) await new Promise((r) => setTimeout(r, 20));
      return replies.splice(0, n);
    },
  };
}

function readRequest(tid: number, unit: number, fc: number, address: number, count: number): Buffer {
  const frame = Buffer.alloc(12);
  frame.writeUInt16BE(tid, 0);
  frame.writeUInt16BE(6, 4);
  frame[6] = unit;
  frame[7] = fc;
  frame.writeUInt16BE(address, 8);
  frame.writeUInt16BE(count, 10);
  return frame;
}

beforeAll(async () => {
  sim = await startSimulator({
    profile,
    stations: fleetStations(fleetIds(260), { unitsPerPort: 247, port: 0 }),
    controlPort: 0,
    speed: 0,
    logger: silentLogger(),
  });
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await sim?.stop();
});

describe('a fleet behind gateway ports', () => {
  test('247 unit ids on the first port, the rest on the next', () => {
    expect(sim.ports.st1).toBe(sim.ports.st247);
    expect(sim.ports.st248).not.toBe(sim.ports.st1);
    expect(sim.ports.st260).toBe(sim.ports.st248);
    expect([sim.unitIds.st1, sim.unitIds.st247, sim.unitIds.st248, sim.unitIds.st260]).toEqual([
      1, 247, 1, 13,
    ]);
    expect(() => fleetStations(['a'], { unitsPerPort: 248 })).toThrow(/1..247/);
  });

  test('each unit id answers with its own station; an unknown one gets 0x0B', async () => {
    const client = await raw(sim.ports.st248!);
    client.write(readRequest(1, 13, 4, outlet.address, 2));
    client.write(readRequest(2, 14, 4, outlet.address, 2));
    const [own, unknown] = await client.replies(2);
    expect(own!.readUInt16BE(0)).toBe(1);
    const words = [own!.readUInt16BE(9), own!.readUInt16BE(11)];
    expect(decodeTag(outlet, words, 0)).toBeCloseTo(sim.readings('st260')['pressure.outlet'] as number, 2);
    expect([unknown!.readUInt16BE(0), unknown![7], unknown![8]]).toEqual([2, 0x84, 0x0b]);
  });

  test('requests split across packets or sent back to back are all answered, in order', async () => {
    const client = await raw(sim.ports.st1!);
    const two = Buffer.concat([readRequest(7, 5, 2, 0, 9), readRequest(8, 6, 3, 0, 1)]);
    client.write(two.subarray(0, 5));
    await new Promise((r) => setTimeout(r, 30));
    client.write(two.subarray(5));
    const replies = await client.replies(2);
    expect(replies.map((r) => [r.readUInt16BE(0), r[6], r[7]])).toEqual([
      [7, 5, 2],
      [8, 6, 3],
    ]);
    expect(replies[0]![8]).toBe(2);
    expect(replies[1]!.readUInt16BE(9)).toBe(400);
  });

  test('an unknown function gets 0x01; a frame of bad length closes the connection', async () => {
    const client = await raw(sim.ports.st1!);
    client.write(readRequest(9, 1, 0x2b, 0, 1));
    const [reply] = await client.replies(1);
    expect([reply![7], reply![8]]).toEqual([0xab, 0x01]);
    const socket = sockets.at(-1)!;
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const bad = readRequest(10, 1, 3, 0, 1);
    bad.writeUInt16BE(4000, 4);
    client.write(bad);
    await closed;
  });

  test('the edge config it writes names each station by port and unit id', () => {
    const text = edgeConfigText([{ id: 'st260', host: '127.0.0.1', port: 5021, unitId: 13 }], 'p.yaml');
    expect(text).toMatch(/id: st260[\s\S]*port: 5021[\s\S]*unitId: 13/);
    expect(text).not.toContain('shareConnection');
    // Stations behind one gateway port share its connection; the edge's own schema takes the file.
    const gateway = [12, 13].map((unitId) => ({ id: `st${unitId}`, host: '127.0.0.1', port: 5021, unitId }));
    const shared = parseYaml(edgeConfigText(gateway, 'profiles/booster-3p-380.yaml'));
    expect(shared.stations.map((s: { tcp: { shareConnection?: boolean } }) => s.tcp.shareConnection)).toEqual(
      [true, true],
    );
    expect(parseEdgeConfig(shared).stations).toHaveLength(2);
  });
});
