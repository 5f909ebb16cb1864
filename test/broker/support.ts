import type { IClientOptions, MqttClient } from 'mqtt';
import type { BrokerUser } from '../../broker/index.ts';
import { connectMqtt } from '../../core/mqtt/connect.ts';
import { hashSecret } from '../../core/secrets.ts';

/** Cheap scrypt cost for test fixtures (the default costs ~50 ms per hash). */
export const TEST_COST = { N: 1024, r: 8, p: 1 } as const;

export interface UserSpec {
  username: string;
  password: string;
  role: BrokerUser['role'];
  site?: string;
}

export async function makeUsers(specs: UserSpec[]): Promise<BrokerUser[]> {
  return await Promise.all(
    specs.map(async ({ password, ...user }) => ({
      ...user,
      passwordHash: await hashSecret(password, TEST_COST),
    })),
  );
}

/** Connects (TCP_NODELAY client side via core/mqtt/connect.ts) and waits for CONNACK; rejects on refusal. */
export async function connectClient(url: string, options: IClientOptions = {}): Promise<MqttClient> {
  // The broker binds client ids to users: a user's own form, `<username>-…`, unless one is given.
  const clientId =
    options.clientId ??
    (options.username ? `${options.username}-${Math.random().toString(16).slice(2)}` : undefined);
  const client = connectMqtt(url, {
    reconnectPeriod: 0,
    connectTimeout: 5000,
    ...options,
    ...(clientId ? { clientId } : {}),
  });
  return await new Promise((resolve, reject) => {
    client.once('connect', () => resolve(client));
    client.once('error', (error) => {
      client.end(true);
      reject(error);
    });
    client.once('close', () => reject(new Error('connection closed before CONNACK')));
  });
}

/** Polls until the check holds; bounded in time. */
export async function waitFor(check: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function endAll(clients: Array<MqttClient | undefined>): Promise<void> {
  await Promise.all(clients.map((client) => client?.endAsync(true)));
}
