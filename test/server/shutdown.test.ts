import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import { freePort } from '../../core/net.ts';
import { startServer } from '../../server/index.ts';
import { type RunningMosquitto, startMosquitto } from '../support/mosquitto.ts';

let broker: RunningMosquitto;
let squatter: Server;
let port: number;

beforeAll(async () => {
  broker = await startMosquitto();
  port = await freePort();
  squatter = createServer();
  await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
}, 60_000);

afterAll(async () => {
  await new Promise<void>((resolve) => squatter.close(() => resolve()));
  await broker?.stop();
});

test('a port already taken fails the start with the address, after shutting down what had started', {
  timeout: 120_000,
}, async () => {
  const started = Date.now();
  await expect(
    startServer({ port, mqtt: { url: broker.url }, dataDir: ':memory:', logger: silentLogger() }),
  ).rejects.toThrow(`server could not listen on 127.0.0.1:${port}: listen EADDRINUSE`);
  // The same shutdown as stop(): a second server starts and stops cleanly beside the first's remains.
  const second = await startServer({
    port: 0,
    mqtt: { url: broker.url },
    dataDir: ':memory:',
    logger: silentLogger(),
  });
  await second.stop();
  await second.stop();
  expect(Date.now() - started).toBeLessThan(100_000);
});
