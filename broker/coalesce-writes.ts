import type { Socket } from 'node:net';

/**
 * Sends what the broker writes to one client during one turn of the event loop in one system
 * call, instead of one per MQTT packet.
 *
 * aedes delivers every message to every subscriber in a setImmediate of its own, and mqtt-packet
 * corks the socket only until the next tick, so each PUBLISH (and each PUBACK) became a writev of
 * a few hundred bytes: a third of the broker's CPU under a QoS 0 flood went to those syscalls,
 * and each subscriber woke up once per message. Here the first write of a turn corks the socket
 * and a setImmediate uncorks it, so everything queued for that client in the same turn leaves
 * together. TCP_NODELAY stays on: nothing waits for an ACK, the batch goes out one loop turn later.
 *
 * Back-pressure is unchanged: corked bytes count towards the socket's buffer, so write() still
 * answers false past the high-water mark and aedes waits for 'drain' as before.
 */
export function coalesceWrites(socket: Socket): void {
  let corked = false;
  const release = () => {
    corked = false;
    if (!socket.destroyed) socket.uncork();
  };
  const write = socket.write;
  socket.write = function (this: Socket, ...args: Parameters<Socket['write']>) {
    if (!corked && !socket.destroyed) {
      corked = true;
      socket.cork();
      setImmediate(release);
    }
    return write.apply(this, args);
  } as Socket['write'];
}
