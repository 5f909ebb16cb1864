import type { MqttClient } from 'mqtt';
import type { Logger } from '../../core/log.ts';
import { connectMqtt } from '../../core/mqtt/connect.ts';
import { topics } from '../../core/telemetry/topics.ts';

export interface MqttSubscriberOptions {
  /** mqtt://, mqtts://, ws:// or wss:// URL of any MQTT 3.1.1 or 5 broker. */
  url: string;
  username?: string;
  password?: string;
  /** MQTT client id. Default `aftercare-server-<random>`. */
  clientId?: string;
  /**
   * Shared-subscription group for telemetry and events (`$share/<group>/...`), so several server
   * instances split ingest. Edge status is never shared: every instance needs every edge's state.
   * Default: none (this instance receives everything).
   */
  shareGroup?: string;
  onMessage: (topic: string, payload: Uint8Array) => void;
  onConnectionChange?: (connected: boolean) => void;
  logger: Logger;
}

export interface MqttSubscriber {
  readonly client: MqttClient;
  connected(): boolean;
  stop(): Promise<void>;
}

/** Subscribes to telemetry, events and edge status with QoS 1, resubscribing on every reconnect. */
export function startMqttSubscriber(options: MqttSubscriberOptions): MqttSubscriber {
  const { logger } = options;
  const shared = (filter: string) => (options.shareGroup ? `$share/${options.shareGroup}/${filter}` : filter);
  const client = connectMqtt(options.url, {
    clientId: options.clientId ?? `aftercare-server-${Math.random().toString(16).slice(2, 10)}`,
    username: options.username,
    password: options.password,
    // A fresh session per connect: the retained status topics give the current edge states, and
    // telemetry older than a reconnect is the edge's to replay from its store-and-forward buffer.
    clean: true,
  });
  client.on('connect', () => {
    options.onConnectionChange?.(true);
    logger.info({ url: redactUrl(options.url) }, 'connected to MQTT broker');
    client.subscribe(
      {
        [shared(topics.allTelemetry)]: { qos: 1 },
        [shared(topics.allEvents)]: { qos: 1 },
        [topics.allEdgeStatus]: { qos: 1 },
      },
      (error, granted) => {
        if (error) logger.error({ err: error }, 'MQTT subscribe failed');
        const refused = granted?.filter((g) => g.qos === 128) ?? [];
        if (refused.length > 0)
          logger.error({ refused: refused.map((g) => g.topic) }, 'broker refused subscriptions');
      },
    );
  });
  client.on('close', () => options.onConnectionChange?.(false));
  client.on('error', (error) =>
    logger.warn({ err: error, url: redactUrl(options.url) }, 'MQTT connection error'),
  );
  client.on('message', (topic, payload) => {
    try {
      options.onMessage(topic, payload);
    } catch (error) {
      // The pipeline does not throw; this guards the connection against a bug in it.
      logger.error({ err: error, topic }, 'ingest failed on a message');
    }
  });
  return {
    client,
    connected: () => client.connected,
    stop: () => new Promise<void>((resolve) => client.end(false, {}, () => resolve())),
  };
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
