import type { MqttClient } from 'mqtt';

interface AckPacket {
  cmd: string;
  messageId?: number;
}

/** mqtt.js's packet writer: private, but the one path every PUBACK takes (pinned mqtt 5.x). */
interface PacketWriter {
  _sendPacket(packet: AckPacket, callback?: (error?: Error) => void, ...rest: unknown[]): void;
}

export interface OrderedAcksOptions {
  /** Handles one message; its PUBACK goes out once this resolves (or rejects: see onError). */
  handle: (topic: string, payload: Buffer | string, signal: AbortSignal) => Promise<void> | void;
  /** A handler that rejected while its connection was still open: logged, then acknowledged. */
  onError: (error: unknown, topic: string) => void;
  /** Most QoS 1 messages handled at once before the client stops reading the socket. Default 1000. */
  maxInFlight?: number;
}

export interface OrderedAcks {
  /** Messages being handled, not yet acknowledged. */
  inFlight(): number;
  /**
   * Handles nothing more and drops every held acknowledgement (the broker redelivers those messages
   * to the next session); reading resumes so the connection can close.
   */
  stop(): void;
}

/**
 * Lets QoS 1 messages be handled concurrently while each PUBACK still waits for its message.
 *
 * mqtt.js parses the next packet only after handleMessage's callback, and that callback sends the
 * PUBACK. Acknowledging after the durable write would then allow one message per write round trip.
 * Here the callback is called at once, so parsing goes on, and the PUBACK it sends is held back;
 * the real PUBACKs go out in arrival order (MQTT 3.1.1 section 4.6) as the handlers resolve, and
 * only on the connection that brought the message: after a reconnect the broker may have given the
 * same packet id to another message. TCP back-pressure applies once maxInFlight are held.
 */
export function installOrderedAcks(client: MqttClient, options: OrderedAcksOptions): OrderedAcks {
  const maxInFlight = options.maxInFlight ?? 1000;
  const writer = client as unknown as PacketWriter;
  const send = writer._sendPacket.bind(client);
  /** Ids whose PUBACK from mqtt.js's own callback is swallowed (we send it later). */
  const swallow = new Set<number>();
  let pending: Array<{ id: number; ready: boolean }> = [];
  let resumeParsing: (() => void) | undefined;
  let connection = new AbortController();
  let stopped = false;

  writer._sendPacket = (packet, callback, ...rest) => {
    if (packet.cmd === 'puback' && packet.messageId !== undefined && swallow.delete(packet.messageId)) {
      callback?.();
      return;
    }
    send(packet, callback, ...rest);
  };

  /** Lets mqtt.js parse on if it waits for room (the PUBACK its callback sends is swallowed). */
  const resumeNow = () => {
    const resume = resumeParsing;
    resumeParsing = undefined;
    resume?.();
  };

  const releaseReady = () => {
    let released = 0;
    while (released < pending.length && pending[released]!.ready) {
      send({ cmd: 'puback', messageId: pending[released]!.id });
      released++;
    }
    if (released > 0) pending = pending.slice(released);
    if (pending.length < maxInFlight) resumeNow();
  };

  client.handleMessage = (packet, callback) => {
    const signal = connection.signal;
    const id = packet.messageId;
    if (stopped) {
      // Shutting down: neither handled nor acknowledged; the broker delivers it to the next session.
      if (id !== undefined) swallow.add(id);
      callback();
      return;
    }
    let handled: Promise<void>;
    try {
      handled = Promise.resolve(options.handle(packet.topic, packet.payload, signal));
    } catch (error) {
      handled = Promise.reject(error);
    }
    if (packet.qos !== 1 || id === undefined) {
      handled.catch((error: unknown) => options.onError(error, packet.topic));
      callback();
      return;
    }
    const entry = { id, ready: false };
    pending.push(entry);
    const settle = () => {
      if (signal.aborted || stopped) return;
      entry.ready = true;
      releaseReady();
    };
    handled.then(settle, (error: unknown) => {
      if (signal.aborted || stopped) return;
      options.onError(error, packet.topic);
      settle();
    });
    const resume = () => {
      swallow.add(id);
      callback();
    };
    if (pending.length < maxInFlight) resume();
    else resumeParsing = resume;
  };

  client.on('close', () => {
    connection.abort();
    connection = new AbortController();
    pending = [];
    resumeNow();
    swallow.clear();
  });

  return {
    inFlight: () => pending.length,
    stop: () => {
      stopped = true;
      connection.abort();
      resumeNow();
    },
  };
}
