import { createServer, type Server, Socket } from 'node:net';
import ModbusSerial from 'modbus-serial';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { readRequest, replyBits, replyWords, writeRequest } from '../../edge/modbus-pdu.ts';
import { ModbusConnectionError, ModbusExceptionError, ModbusTimeoutError } from '../../edge/modbus-source.ts';
import { ModbusTcpConnection } from '../../edge/modbus-tcp-connection.ts';
import { createTcpSource } from '../../edge/tcp-source.ts';

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: Error) => e,
  );

/**
 * A raw Modbus TCP peer for what a well-behaved server never does: it records every chunk it gets
 * and answers each request frame through `answer` (undefined: stays silent).
 */
async function rawPeer(answer: (frame: Buffer) => Buffer | Buffer[] | undefined) {
  const chunks: Buffer[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      const out: Buffer[] = [];
      for (let at = 0; at + 7 <= chunk.length; ) {
        const frame = chunk.subarray(at, at + 6 + chunk.readUInt16BE(at + 4));
        at += frame.length;
        const reply = answer(frame);
        if (reply) out.push(...(Array.isArray(reply) ? reply : [reply]));
      }
      if (out.length > 0) socket.write(Buffer.concat(out));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    chunks,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A reply frame to a read-registers request: the request's MBAP header, `words` as the data. */
function wordsReply(request: Buffer, words: number[]): Buffer {
  const reply = Buffer.alloc(9 + words.length * 2);
  request.copy(reply, 0, 0, 4);
  reply.writeUInt16BE(3 + words.length * 2, 4);
  reply[6] = request[6]!;
  reply[7] = request[7]!;
  reply[8] = words.length * 2;
  for (const [i, w] of words.entries()) reply.writeUInt16BE(w, 9 + 2 * i);
  return reply;
}

const open = (port: number, maxConcurrent: number, timeoutMs = 300) =>
  ModbusTcpConnection.open({ host: '127.0.0.1', port, timeoutMs, maxConcurrent });

describe('Modbus TCP connection against modbus-serial ServerTCP (another implementation)', () => {
  const holding = new Map<number, number>();
  const coils = new Map<number, boolean>();
  let server: InstanceType<typeof ModbusSerial.ServerTCP>;
  let port: number;
  beforeAll(async () => {
    const { port: free, close } = await rawPeer(() => undefined);
    await close();
    port = free;
    server = new ModbusSerial.ServerTCP(
      {
        getInputRegister: (address: number) => (address * 7) & 0xffff,
        getHoldingRegister: (address: number) => {
          if (address >= 1000) throw { modbusErrorCode: 2, msg: 'no such register' };
          return holding.get(address) ?? 0;
        },
        getCoil: (address: number) => coils.get(address) ?? false,
        getDiscreteInput: (address: number) => address % 3 === 0,
        setRegister: (address: number, value: number) => void holding.set(address, value),
        setCoil: (address: number, value: boolean) => void coils.set(address, value),
      },
      { host: '127.0.0.1', port, unitID: 1 },
    );
    await new Promise((resolve) => server.on('initialized', resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  test('reads each area and writes registers and coils, several requests on the wire at once', async () => {
    const connection = await open(port, 8);
    try {
      const request = (pdu: Buffer) => connection.request(1, pdu, 'test');
      await Promise.all([
        request(writeRequest('holding', 10, [1234])),
        request(writeRequest('holding', 20, [1, 2, 65535])),
        request(writeRequest('coil', 5, [true])),
        request(writeRequest('coil', 8, [true, false, true, true, false, false, false, false, true])),
      ]);
      const [input, held, bits, discrete] = await Promise.all([
        request(readRequest('input', 3, 4)),
        request(readRequest('holding', 20, 3)),
        request(readRequest('coil', 5, 13)),
        request(readRequest('discrete', 0, 7)),
      ]);
      expect(replyWords(input!, 4)).toEqual([21, 28, 35, 42]);
      expect(replyWords(held!, 3)).toEqual([1, 2, 65535]);
      expect(holding.get(10)).toBe(1234);
      expect(replyBits(bits!, 13)).toEqual([
        ...[true, false, false],
        ...[true, false, true, true, false, false, false, false, true, false],
      ]);
      expect(replyBits(discrete!, 7)).toEqual([true, false, false, true, false, false, true]);
      const refused = await failure(request(readRequest('holding', 1000, 1)));
      expect(refused).toBeInstanceOf(ModbusExceptionError);
      expect((refused as ModbusExceptionError).code).toBe(2);
    } finally {
      connection.close('test over');
    }
  });
});

describe('Modbus TCP connection framing and timing', () => {
  let peer: Awaited<ReturnType<typeof rawPeer>> | undefined;
  afterEach(async () => {
    await peer?.close();
    peer = undefined;
  });

  test("a station's reads of one turn leave in one packet; replies out of order find their requests", async () => {
    const held: Buffer[] = [];
    peer = await rawPeer((frame) => {
      held.push(Buffer.from(frame));
      // Answers once all five are in, last first: only the transaction id can match them.
      if (held.length < 5) return undefined;
      return held.reverse().map((request) => wordsReply(request, [request.readUInt16BE(8)]));
    });
    const connection = await open(peer.port, 8);
    const peerPort = peer.port;
    // Loopback would join separate writes into one chunk anyway: the client's own socket writes count.
    const writes = vi.spyOn(Socket.prototype, 'write');
    const clientWrites = () =>
      writes.mock.contexts.filter((s) => (s as Socket).remotePort === peerPort).length;
    try {
      const replies = await Promise.all(
        [0, 10, 20, 30, 40].map((address) => connection.request(1, readRequest('input', address, 1), 'read')),
      );
      expect(replies.map((pdu) => replyWords(pdu, 1))).toEqual([[0], [10], [20], [30], [40]]);
      expect(clientWrites()).toBe(1);
      expect(peer.chunks).toHaveLength(1);
      expect(peer.chunks[0]!.length).toBe(5 * 12);
      expect(new Set(held.map((f) => f.readUInt16BE(0))).size).toBe(5);
    } finally {
      writes.mockRestore();
      connection.close('test over');
    }
  });

  test('with one request at a time, the next leaves only when the reply is in', async () => {
    let outstanding = 0;
    let most = 0;
    peer = await rawPeer((frame) => {
      outstanding += 1;
      most = Math.max(most, outstanding);
      outstanding -= 1;
      return wordsReply(frame, [frame.readUInt16BE(8)]);
    });
    const connection = await open(peer.port, 1);
    try {
      const replies = await Promise.all(
        [1, 2, 3, 4].map((address) => connection.request(1, readRequest('holding', address, 1), 'read')),
      );
      expect(replies.map((pdu) => replyWords(pdu, 1))).toEqual([[1], [2], [3], [4]]);
      expect(peer.chunks.map((c) => c.length)).toEqual([12, 12, 12, 12]);
      expect(most).toBe(1);
    } finally {
      connection.close('test over');
    }
  });

  test('a silent peer: the request times out; its late reply is ignored and counted, the next one matches', async () => {
    const late: Buffer[] = [];
    peer = await rawPeer((frame) => {
      if (frame.readUInt16BE(8) === 99) {
        late.push(Buffer.from(frame));
        return undefined;
      }
      return [...late.splice(0).map((f) => wordsReply(f, [99])), wordsReply(frame, [frame.readUInt16BE(8)])];
    });
    const connection = await open(peer.port, 4, 150);
    try {
      const started = Date.now();
      const timedOut = await failure(connection.request(1, readRequest('input', 99, 1), 'silent read'));
      expect(timedOut).toBeInstanceOf(ModbusTimeoutError);
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      expect(Date.now() - started).toBeLessThan(1000);
      const next = await connection.request(1, readRequest('input', 7, 1), 'read');
      expect(replyWords(next, 1)).toEqual([7]);
      expect(connection.unmatched).toBe(1);
      expect(connection.pending).toBe(0);
    } finally {
      connection.close('test over');
    }
  });

  test('a reply split across packets, and two replies in one, are framed right', async () => {
    const sockets: Socket[] = [];
    const server = createServer((socket) => {
      sockets.push(socket);
      const frames: Buffer[] = [];
      socket.on('data', (chunk) => {
        for (let at = 0; at < chunk.length; at += 12) frames.push(Buffer.from(chunk.subarray(at, at + 12)));
        if (frames.length < 2) return;
        const both = Buffer.concat(frames.map((f) => wordsReply(f, [f.readUInt16BE(8), 0xbeef])));
        socket.write(both.subarray(0, 5));
        setTimeout(() => socket.write(both.subarray(5, 16)), 20);
        setTimeout(() => socket.write(both.subarray(16)), 40);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const connection = await open((server.address() as { port: number }).port, 4);
    try {
      const replies = await Promise.all(
        [5, 6].map((address) => connection.request(1, readRequest('holding', address, 2), 'read')),
      );
      expect(replies.map((pdu) => replyWords(pdu, 2))).toEqual([
        [5, 0xbeef],
        [6, 0xbeef],
      ]);
    } finally {
      connection.close('test over');
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  test('garbage in place of a reply closes the connection; every pending request fails as no connection', async () => {
    peer = await rawPeer(() => Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n'));
    const closed: string[] = [];
    const connection = await ModbusTcpConnection.open({
      host: '127.0.0.1',
      port: peer.port,
      timeoutMs: 1000,
      maxConcurrent: 4,
      onClose: (why) => closed.push(why),
    });
    const errors = await Promise.all(
      [1, 2, 3].map((a) => failure(connection.request(1, readRequest('input', a, 1), 'r'))),
    );
    expect(errors.every((e) => e instanceof ModbusConnectionError)).toBe(true);
    expect(closed).toHaveLength(1);
    expect(closed[0]).toMatch(/not a Modbus TCP reply/);
    expect(connection.isOpen).toBe(false);
    expect(await failure(connection.request(1, readRequest('input', 1, 1), 'after'))).toBeInstanceOf(
      ModbusConnectionError,
    );
  });

  test('a reply whose byte count does not fit its request fails the read and drops the connection', async () => {
    peer = await rawPeer((frame) => wordsReply(frame, [1, 2, 3]));
    const source = createTcpSource({
      host: '127.0.0.1',
      port: peer.port,
      unitId: 1,
      timeoutMs: 300,
      backoffMs: 50,
      maxBackoffMs: 100,
      maxConcurrentRequests: 4,
    });
    try {
      expect(source.concurrentReads).toBe(true);
      const e = await failure(source.read('input', 0, 2));
      expect(e).toBeInstanceOf(ModbusConnectionError);
      expect((e as Error).message).toMatch(/6 bytes .* for 2 registers/);
      expect(await source.read('input', 0, 3)).toEqual([1, 2, 3]);
      expect(peer.chunks.length).toBe(2);
    } finally {
      await source.close();
    }
  });
});
