import type { Socket } from 'node:net';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';

/**
 * Connects an mqtt.js client with TCP_NODELAY on every socket it opens (mqtt.js does not set it,
 * and with Nagle's algorithm small QoS 1 packets wait for the peer's delayed ACK: 10-40 ms steps).
 * Without mqtt-packet's number cache: 65,536 two-byte Buffers made on the first packet (6.3 MB of
 * heap, measured in the server's snapshot) to save one small allocation per packet id.
 */
export function connectMqtt(url: string, options: IClientOptions = {}): MqttClient {
  const client = mqtt.connect(url, {
    reconnectPeriod: 1000,
    connectTimeout: 5000,
    writeCache: false,
    ...options,
  });
  const setNoDelay = () => {
    const stream = client.stream as Partial<Socket> | undefined;
    stream?.setNoDelay?.(true);
  };
  // 'packetsend' for CONNECT fires once the stream exists, before the broker answers.
  client.on('packetsend', (packet) => {
    if (packet.cmd === 'connect') setNoDelay();
  });
  client.on('connect', setNoDelay);
  return client;
}
