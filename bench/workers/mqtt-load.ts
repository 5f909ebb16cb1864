import type { MqttClient } from 'mqtt';
import { connectMqtt } from '../../core/mqtt/connect.ts';
import { serveWorker } from './protocol.ts';

export interface MqttLoadOptions {
  url: string;
  role: 'publisher' | 'subscriber';
  /** Publisher: topic to publish on; subscriber: filter to subscribe to. */
  topic: string;
  /** Publisher: QoS of its publishes (changeable with `setQos`); subscriber: of its subscription. */
  qos: 0 | 1;
  /** Publisher: payload size in bytes. Default 300. */
  payloadBytes?: number;
  /** Publisher: messages whose publish callback has not fired yet, at most. Default 200. */
  maxInFlight?: number;
  /** Publisher: start paused (see `setActive`). Default false. */
  paused?: boolean;
}

export interface MqttLoadCount {
  /** Messages sent (publisher, callback fired) or received (subscriber). */
  count: number;
  at: number;
}

/** One MQTT publisher flooding a topic, or one subscriber counting what it receives. */
serveWorker(async (options: MqttLoadOptions) => {
  const client = connectMqtt(options.url, { clientId: `bench-${options.role}-${process.pid}`, clean: true });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no connection to ${options.url}`)), 10_000);
    client.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  let count = 0;
  let stopped = false;
  const state = { qos: options.qos, paused: options.paused ?? false };
  let resume = () => {};
  if (options.role === 'subscriber') {
    client.on('message', () => {
      count++;
    });
    await client.subscribeAsync(options.topic, { qos: options.qos });
  } else {
    const payload = Buffer.alloc(options.payloadBytes ?? 300, 'x');
    resume = floodPublish(client, options, payload, state, {
      stopped: () => stopped || state.paused,
      sent: () => {
        count++;
      },
    });
  }
  return {
    info: {},
    calls: {
      count: (): MqttLoadCount => ({ count, at: Date.now() }),
      setQos: (qos: unknown) => {
        state.qos = qos === 1 ? 1 : 0;
      },
      /** Publisher: pause or resume the flood (a paused publisher stays connected). */
      setActive: (active: unknown) => {
        state.paused = active !== true;
        if (!state.paused) resume();
      },
    },
    stop: async () => {
      stopped = true;
      await client.endAsync(true);
    },
  };
});

function floodPublish(
  client: MqttClient,
  options: MqttLoadOptions,
  payload: Buffer,
  state: { qos: 0 | 1 },
  hooks: { stopped: () => boolean; sent: () => void },
): () => void {
  const maxInFlight = options.maxInFlight ?? 200;
  let inFlight = 0;
  let scheduled = false;
  const schedule = (ms: number) => {
    if (scheduled || hooks.stopped()) return;
    scheduled = true;
    setTimeout(() => {
      scheduled = false;
      pump();
    }, ms);
  };
  const pump = () => {
    // Refill the window; callbacks schedule the next refill once half of it is free.
    while (!hooks.stopped() && inFlight < maxInFlight && client.connected) {
      inFlight++;
      client.publish(options.topic, payload, { qos: state.qos }, () => {
        inFlight--;
        hooks.sent();
        if (inFlight <= maxInFlight / 2) schedule(0);
      });
    }
    if (!client.connected) schedule(50);
  };
  pump();
  return pump;
}
