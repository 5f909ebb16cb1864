import { createServer, type Server, type Socket } from 'node:net';

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
export function createMqttSocketServer(onSocket: (socket: Socket) => void): MqttSocketServer {
  const sockets = new Set<Socket>();
  const server = createServer({ noDelay: true }, (socket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    onSocket(socket);
  });
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
