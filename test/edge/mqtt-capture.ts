import mqtt, { type MqttClient } from 'mqtt';

export interface Captured {
  topic: string;
  payload: Record<string, unknown>;
  retain: boolean;
  /** Arrival time at the subscriber (ms since the epoch). */
  at: number;
}

/** A real MQTT subscriber that records every message under a filter, for assertions on what was published. */
export async function captureMqtt(url: string, filter: string) {
  const client: MqttClient = await mqtt.connectAsync(url, {
    clientId: `capture-${process.pid}-${Math.random()}`,
  });
  const messages: Captured[] = [];
  client.on('message', (topic, payload, packet) => {
    messages.push({ topic, payload: JSON.parse(payload.toString()), retain: packet.retain, at: Date.now() });
  });
  await client.subscribeAsync(filter, { qos: 1 });
  return {
    messages,
    on: (topic: string) => messages.filter((m) => m.topic === topic),
    stop: () => client.endAsync(true),
  };
}

/** Polls `find` every 20 ms until it returns something, or fails after `timeoutMs` saying what it waited for. */
export async function waitFor<T>(what: string, find: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = find();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
