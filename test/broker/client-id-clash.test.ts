import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type RunningBroker, startBroker } from '../../broker/index.ts';
import { silentLogger } from '../../core/log.ts';
import { connectClient, endAll, makeUsers, waitFor } from './support.ts';

let broker: RunningBroker;
const clients: MqttClient[] = [];

beforeAll(async () => {
  const users = await makeUsers([
    { username: 'srv-a', password: 'a', role: 'server' },
    { username: 'srv-b', password: 'b', role: 'server' },
  ]);
  broker = await startBroker({ port: 0, users, logger: silentLogger() });
});

afterAll(async () => {
  await endAll(clients);
  await broker?.close();
});

const connect = async (username: string, password: string, clientId: string) => {
  const client = await connectClient(broker.url, { username, password, clientId });
  clients.push(client);
  return client;
};

test('a client id connected by another user is refused, not taken over', async () => {
  const first = await connect('srv-a', 'a', 'aftercare-server-shared');
  await expect(connect('srv-b', 'b', 'aftercare-server-shared')).rejects.toMatchObject({ code: 2 });
  expect(first.connected).toBe(true);
  expect(broker.stats().clientIdRefusals).toBe(1);
});

test('the same user reconnecting takes over its own session, as MQTT requires', async () => {
  const first = await connect('srv-a', 'a', 'aftercare-server-own');
  const closed = new Promise<void>((resolve) => first.once('close', () => resolve()));
  first.options.reconnectPeriod = 0;
  const second = await connect('srv-a', 'a', 'aftercare-server-own');
  await closed;
  await waitFor(() => broker.stats().connectedClients === 2, 5000, 'the old connection gone');
  expect(second.connected).toBe(true);
});

test("a CONNECT with an id that is not the user's own is refused and counted", async () => {
  const before = broker.stats().clientIdRefusals;
  await expect(connect('srv-a', 'a', 'ingest-1')).rejects.toMatchObject({ code: 2 });
  expect(broker.stats().clientIdRefusals).toBe(before + 1);
});
