import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import { type RunningServer, startServer } from '../../server/index.ts';
import { makeTestCertificates, type TestCertificates } from '../support/certificates.ts';
import { type RunningMosquitto, startMosquitto } from '../support/mosquitto.ts';

let dir: string;
let certificates: TestCertificates;
let broker: RunningMosquitto;
let server: RunningServer;
let socket: Socket | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aftercare-https-'));
  certificates = await makeTestCertificates(dir);
  broker = await startMosquitto();
  server = await startServer({
    port: 0,
    mqtt: { url: broker.url },
    dataDir: ':memory:',
    service: false,
    logger: silentLogger(),
    https: { cert: certificates.cert, key: certificates.key },
  });
}, 60_000);

afterAll(async () => {
  socket?.close();
  await server?.stop();
  await broker?.stop();
  await rm(dir, { recursive: true, force: true });
});

function get(
  path: string,
  ca?: Buffer,
  headers: Record<string, string> = {},
): Promise<IncomingMessage & { body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { ca, headers, timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on('end', () => resolve(Object.assign(res, { body })));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the server over its own HTTPS', () => {
  test('a client trusting the CA gets the API, with HSTS', async () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const health = await get('/api/health', certificates.ca);
    expect(health.statusCode).toBe(200);
    expect(JSON.parse(health.body)).toHaveProperty('broker');
    expect(health.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    const token = (await server.tokens.issue({ username: 'op', role: 'operator' })).token;
    const stations = await get('/api/stations', certificates.ca, { authorization: `Bearer ${token}` });
    expect(stations.statusCode).toBe(200);
  });

  test('a client that does not trust the certificate is refused', async () => {
    await expect(get('/api/health')).rejects.toThrow(/self[- ]signed|unable to (get|verify)/i);
  });

  test('plain HTTP to the HTTPS port gets no API answer', async () => {
    const answer = await fetch(`${server.url.replace('https://', 'http://')}/api/health`).then(
      (response) => response.status,
      (error: Error) => error.message,
    );
    expect(answer).not.toBe(200);
  });

  test('socket.io runs over the same TLS port with a token', async () => {
    const token = (await server.tokens.issue({ username: 'op', role: 'operator' })).token;
    socket = connectSocket(server.url, {
      transports: ['websocket'],
      reconnection: false,
      auth: { token },
      ca: certificates.ca.toString(),
    });
    await new Promise<void>((resolve, reject) => {
      socket!.once('connect', resolve);
      socket!.once('connect_error', reject);
    });
    expect(await socket.timeout(3000).emitWithAck('subscribe', { station: 'st1' })).toEqual({
      ok: true,
      rooms: ['station:*/st1'],
    });
  });
});
