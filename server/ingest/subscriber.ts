import type { MqttClient } from 'mqtt';
import type { Logger } from '../../core/log.ts';
import { connectMqtt } from '../../core/mqtt/connect.ts';
import { topics } from '../../core/telemetry/topics.ts';
import { installOrderedAcks } from './ordered-acks.ts';

export interface MqttSubscriberOptions {
  /** mqtt://, mqtts://, ws:// or wss:// URL of any MQTT 3.1.1 or 5 broker. */
  url: string;
  username?: string;
  password?: string;
  /** PEM CA certificate(s) to trust for mqtts:// (a broker with its own CA). Default: the system's. */
  ca?: string | Buffer;
  /**
   * MQTT client id; it names the persistent session, so it must stay the same across restarts and
   * differ between instances (startServer keeps a random one in the data directory).
   */
  clientId: string;
  /**
   * Keep the session (clean: false): QoS 1 messages published while this server is down are kept by
   * the broker and delivered on reconnect. Default true.
   */
  persistentSession?: boolean;
  /**
   * Shared-subscription group for telemetry and events (`$share/<group>/...`), so several server
   * instances split ingest. Edge status is never shared: every instance needs every edge's state.
   * Default: none (this instance receives everything).
   */
  shareGroup?: string;
  /**
   * Subscribe to telemetry and events. Default true; false when they come another way (the
   * scale-out ingest from JetStream) and this connection carries edge status and commands only.
   */
  ingest?: boolean;
  /**
   * Handles one message. Messages are handled concurrently, but each PUBACK is sent only once its
   * promise resolves (the points are durably stored), in arrival order, so a slow or failing store
   * holds the broker and the edges back instead of losing data. `signal` aborts when the
   * connection that brought the message closes: then nothing is acknowledged and the broker
   * delivers the message again. A rejection on an open connection is logged and acknowledged.
   */
  onMessage: (topic: string, payload: Uint8Array, signal: AbortSignal) => Promise<void> | void;
  onConnectionChange?: (connected: boolean) => void;
  /** Most messages handled at once (their PUBACKs held) before reading pauses. Default 1000. */
  maxInFlight?: number;
  logger: Logger;
}

export interface MqttSubscriber {
  readonly client: MqttClient;
  connected(): boolean;
  /** Messages received and not yet acknowledged. */
  inFlight(): number;
  stop(): Promise<void>;
}

/** Subscribes to telemetry, events and edge status with QoS 1, resubscribing on every reconnect. */
export function startMqttSubscriber(options: MqttSubscriberOptions): MqttSubscriber {
  const { logger } = options;
  const shared = (filter: string) => (options.shareGroup ? `$share/${options.shareGroup}/${filter}` : filter);
  const client = connectMqtt(options.url, {
    clientId: options.clientId,
    username: options.username,
    password: options.password,
    ...(options.ca ? { ca: options.ca } : {}),
    clean: options.persistentSession === false,
  });
  const acks = installOrderedAcks(client, {
    handle: (topic, payload, signal) => options.onMessage(topic, toBytes(payload), signal),
    // The pipeline only rejects on a bug; acknowledging keeps the session from stalling on it.
    onError: (error, topic) => logger.error({ err: error, topic }, 'ingest failed on a message'),
    maxInFlight: options.maxInFlight,
  });
  client.on('connect', () => {
    options.onConnectionChange?.(true);
    logger.info({ url: redactUrl(options.url) }, 'connected to MQTT broker');
    client.subscribe(
      {
        ...(options.ingest === false
          ? {}
          : { [shared(topics.allTelemetry)]: { qos: 1 }, [shared(topics.allEvents)]: { qos: 1 } }),
        [topics.allEdgeStatus]: { qos: 1 },
        // Answers to this server's own commands: never shared, the instance that waits must see them.
        [topics.allCommandResults]: { qos: 1 },
      },
      (error, granted) => {
        if (error) logger.error({ err: error }, 'MQTT subscribe failed');
        const refused = granted?.filter((g) => g.qos === 128) ?? [];
        if (refused.length > 0)
          logger.error({ refused: refused.map((g) => g.topic) }, 'broker refused subscriptions');
      },
    );
  });
  client.on('close', () => {
    options.onConnectionChange?.(false);
  });
  client.on('error', (error) =>
    logger.warn({ err: error, url: redactUrl(options.url) }, 'MQTT connection error'),
  );
  return {
    client,
    connected: () => client.connected,
    inFlight: acks.inFlight,
    stop: () => {
      acks.stop();
      return new Promise<void>((resolve) => {
        // A broker that stops reading (or a socket full of unread messages) must not hold shutdown.
        const force = setTimeout(() => {
          client.stream?.destroy();
          resolve();
        }, 3000);
        client.end(false, {}, () => {
          clearTimeout(force);
          resolve();
        });
      });
    },
  };
}

function toBytes(payload: Buffer | string): Uint8Array {
  return typeof payload === 'string' ? Buffer.from(payload) : payload;
}

/** The URL without credentials, for logs and /api/health. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return '(unparseable URL)';
  }
}
