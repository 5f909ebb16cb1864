import { io, type Socket } from 'socket.io-client';
import { serveWorker } from './protocol.ts';

export interface LiveClientsOptions {
  url: string;
  token: string;
  /** socket.io clients to open, each subscribed to `site`. */
  clients: number;
  site: string;
}

/**
 * Many dashboard clients in one process: each opens its own socket.io connection (websocket),
 * subscribes to a site and records, per station:update, how long after the reading's source
 * timestamp it arrived.
 */
serveWorker(async (options: LiveClientsOptions) => {
  const sockets: Socket[] = [];
  let latencies: number[] = [];
  let recording = false;
  for (let i = 0; i < options.clients; i++) {
    const socket = io(options.url, {
      transports: ['websocket'],
      reconnection: false,
      auth: { token: options.token },
      forceNew: true,
    });
    sockets.push(socket);
    socket.on('station:update', (update: { ts: number }) => {
      if (recording) latencies.push(Date.now() - update.ts);
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    const answer = (await socket.timeout(10_000).emitWithAck('subscribe', { site: options.site })) as {
      ok: boolean;
    };
    if (!answer.ok) throw new Error(`client ${i} could not subscribe`);
  }
  return {
    info: { connected: sockets.filter((s) => s.connected).length },
    calls: {
      record: () => {
        latencies = [];
        recording = true;
      },
      /** Stops recording and hands back what was recorded. */
      take: () => {
        recording = false;
        const taken = latencies;
        latencies = [];
        return { latencies: taken, connected: sockets.filter((s) => s.connected).length };
      },
    },
    stop: async () => {
      for (const socket of sockets) socket.close();
    },
  };
});
