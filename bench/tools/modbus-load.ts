import { connect, type Socket } from 'node:net';
import { tagWidth } from '../../core/modbus/codec.ts';
import { planReads } from '../../core/modbus/request-planner.ts';
import type { Profile } from '../../core/profile/schema.ts';

const FUNCTION: Record<string, number> = { coil: 1, discrete: 2, holding: 3, input: 4 };

export interface LoadTarget {
  port: number;
  unitId: number;
}

/**
 * A lean Modbus TCP poller for benches and profiles: one socket per port, every target's planned
 * reads once per interval (spread across it), frames written by hand and answers only counted. It
 * loads a simulator the way an edge does while costing far less than one.
 */
export async function startModbusLoad(
  host: string,
  targets: readonly LoadTarget[],
  profile: Profile,
  intervalMs = 1000,
) {
  const reads = planReads(profile.tags.map((t) => ({ ...t, width: tagWidth(t) })));
  const sockets = new Map<number, Socket>();
  for (const port of new Set(targets.map((t) => t.port))) {
    const socket = connect({ host, port });
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    socket.setNoDelay(true);
    socket.on('data', (chunk) => {
      // Frames are counted by their function byte: an exception reply sets its high bit.
      let at = 0;
      while (at + 9 <= chunk.length) {
        const length = chunk.readUInt16BE(at + 4);
        if (chunk[at + 7]! & 0x80) counts.exceptions++;
        else counts.answered++;
        at += 6 + length;
      }
    });
    sockets.set(port, socket);
  }
  const counts = { sent: 0, answered: 0, exceptions: 0 };
  let tid = 0;
  const poll = (target: LoadTarget) => {
    const socket = sockets.get(target.port)!;
    for (const read of reads) {
      const frame = Buffer.allocUnsafe(12);
      tid = (tid + 1) & 0xffff;
      frame.writeUInt16BE(tid, 0);
      frame.writeUInt16BE(0, 2);
      frame.writeUInt16BE(6, 4);
      frame[6] = target.unitId;
      frame[7] = FUNCTION[read.area]!;
      frame.writeUInt16BE(read.address, 8);
      frame.writeUInt16BE(read.count, 10);
      socket.write(frame);
      counts.sent++;
    }
  };
  const timers = targets.map((target, i) =>
    setTimeout(
      () => {
        poll(target);
        timers[i] = setInterval(() => poll(target), intervalMs);
      },
      Math.floor((intervalMs * i) / targets.length),
    ),
  );
  return {
    readsPerPoll: reads.length,
    counts: () => ({ ...counts }),
    stop() {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets.values()) socket.destroy();
    },
  };
}
