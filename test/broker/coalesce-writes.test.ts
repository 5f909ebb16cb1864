import { once } from 'node:events';
import { type AddressInfo, connect as connectTcp, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { coalesceWrites } from '../../broker/coalesce-writes.ts';

/** A loopback connection: the server side (coalesced) and the client side reading it. */
async function pair(): Promise<{ server: Server; near: Socket; far: Socket }> {
  const server = createServer({ noDelay: true });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const accepted = once(server, 'connection') as Promise<[Socket]>;
  const far = connectTcp((server.address() as AddressInfo).port, '127.0.0.1');
  const [near] = await accepted;
  coalesceWrites(near);
  return { server, near, far };
}

/** Counts the writes that reach the kernel (one _write or _writev each). */
function countSyscallWrites(socket: Socket): () => number {
  let calls = 0;
  const internals = socket as unknown as {
    _write: (...args: unknown[]) => void;
    _writev: (...args: unknown[]) => void;
  };
  const write = internals._write.bind(socket);
  const writev = internals._writev.bind(socket);
  internals._write = (...args) => {
    calls++;
    write(...args);
  };
  internals._writev = (...args) => {
    calls++;
    writev(...args);
  };
  return () => calls;
}

const immediate = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('coalesceWrites', () => {
  let open: { server: Server; near: Socket; far: Socket } | undefined;
  afterEach(async () => {
    open?.near.destroy();
    open?.far.destroy();
    await new Promise<void>((resolve) => (open ? open.server.close(() => resolve()) : resolve()));
    open = undefined;
  });

  test('writes from separate setImmediates of one turn leave in one system call, in order', async () => {
    open = await pair();
    const { near, far } = open;
    const calls = countSyscallWrites(near);
    const received: Buffer[] = [];
    far.on('data', (chunk: Buffer) => received.push(chunk));
    // As aedes does: one setImmediate per delivered packet.
    for (const text of ['one,', 'two,', 'three']) setImmediate(() => near.write(text));
    await immediate();
    await immediate();
    expect(calls()).toBe(1);
    await new Promise<void>((resolve) => {
      const check = () => (Buffer.concat(received).length >= 13 ? resolve() : setTimeout(check, 5));
      check();
    });
    expect(Buffer.concat(received).toString()).toBe('one,two,three');
  });

  test('the next turn starts a new batch', async () => {
    open = await pair();
    const { near } = open;
    const calls = countSyscallWrites(near);
    near.write('a');
    await immediate();
    near.write('b');
    await immediate();
    expect(calls()).toBe(2);
  });

  test('back-pressure still reaches the writer: false past the high-water mark, then drain', async () => {
    open = await pair();
    const { near } = open;
    const chunk = Buffer.alloc(1024, 'x');
    let answers = 0;
    let refused = false;
    while (!refused && answers < 1000) {
      refused = !near.write(chunk);
      answers++;
    }
    expect(refused).toBe(true);
    expect(answers * chunk.length).toBeLessThanOrEqual(near.writableHighWaterMark + chunk.length);
    await once(near, 'drain');
  });

  test('a socket destroyed while corked does not throw when the batch is released', async () => {
    open = await pair();
    const { near } = open;
    near.on('error', () => {});
    near.write('lost');
    near.destroy();
    await immediate();
    expect(near.destroyed).toBe(true);
  });
});
