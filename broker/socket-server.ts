import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';

export interface MqttSocketServer {
  server: Server;
  /** Stops accepting, destroys every socket still open (including ones that never sent CONNECT). */
  close(): Promise<void>;
}

/**
 * A TCP server for MQTT with TCP_NODELAY on every accepted socket. Without it, Nagle's algorithm
 * holds small packets (PUBACK, QoS 1 telemetry) until the peer's delayed ACK: 10-40 ms steps per
 * round trip. The clients set it on their side (core/mqtt/connect.ts).
 */
export function createMqttSocketServer(
  onSocket: (socket: Socket | TLSSocket) => void,
  tls?: { cert: string | Buffer; key: string | Buffer },
): MqttSocketServer {
  const sockets = new Set<Socket>();
  const accept = (socket: Socket | TLSSocket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    onSocket(socket);
  };
  // With TLS, MQTT starts once the handshake is done; a failed handshake never reaches aedes.
  const server = tls
    ? createTlsServer({ cert: tls.cert, key: tls.key, noDelay: true, handshakeTimeout: 10_000 }, accept)
    : createServer({ noDelay: true }, accept);
  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

export async function listen(
  server: Server,
  port: number,
  host: string,
): Promise<{ host: string; port: number }> {
  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the MQTT listener has no TCP address');
  return { host, port: address.port };
}
