import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { z } from 'zod';
import { idSchema } from '../../core/ids.ts';
import type { Logger } from '../../core/log.ts';
import type { StationEvent } from '../../core/telemetry/payloads.ts';
import type { LatestValues, StationLatest } from '../ingest/latest-values.ts';

/** socket.io middleware: call next() to admit, next(new Error(reason)) to refuse. */
export type LiveAuthorize = (socket: Socket, next: (error?: Error) => void) => void;

export interface LiveOptions {
  latest: LatestValues;
  logger: Logger;
  /** Admission hook for every socket (authentication comes in a later issue). Default: admit all. */
  authorize?: LiveAuthorize;
  onClientCount?: (count: number) => void;
  clock?: () => number;
}

const id = idSchema;
/** `subscribe` / `unsubscribe` payload: one station or a whole site. */
export const roomRequestSchema = z.union([
  z.object({ station: id, site: id.optional() }).strict(),
  z.object({ site: id }).strict(),
]);

export const stationRoom = (station: string) => `station:${station}`;
export const siteRoom = (site: string) => `site:${site}`;

export interface LiveUpdates {
  io: Server;
  /** Sends `station:update` with the station's view to its station and site rooms. */
  publishStation(station: StationLatest): void;
  /** Sends `station:event` to the station and site rooms. */
  publishEvent(event: StationEvent): void;
  close(): Promise<void>;
}

/**
 * socket.io on the server's port. A client emits `subscribe` with {station} or {site} (with an
 * ack, it gets {ok} or {ok:false, error}); it then receives `station:update` for those rooms only,
 * starting with the current values of a station it subscribed to by id.
 */
export function attachLiveUpdates(httpServer: HttpServer, options: LiveOptions): LiveUpdates {
  const clock = options.clock ?? Date.now;
  // serveClient: the live page loads the socket.io client from the server itself (plants run offline).
  const io = new Server(httpServer, { serveClient: true });
  if (options.authorize) io.use(options.authorize);
  const countClients = () => options.onClientCount?.(io.engine.clientsCount);

  io.on('connection', (socket) => {
    countClients();
    socket.on('disconnect', countClients);
    socket.on('subscribe', (request: unknown, ack?: unknown) => {
      const reply = typeof ack === 'function' ? (ack as (answer: object) => void) : () => {};
      const parsed = roomRequestSchema.safeParse(request);
      if (!parsed.success) {
        reply({
          ok: false,
          error: 'subscribe with {station} or {site}: ids of 1-64 letters, digits, _ or -',
        });
        return;
      }
      const room = 'station' in parsed.data ? stationRoom(parsed.data.station) : siteRoom(parsed.data.site);
      void socket.join(room);
      reply({ ok: true, room });
      if ('station' in parsed.data) {
        const { station, site } = parsed.data;
        for (const held of options.latest.findById(station)) {
          if (!site || held.site === site) socket.emit('station:update', options.latest.view(held, clock()));
        }
      }
    });
    socket.on('unsubscribe', (request: unknown, ack?: unknown) => {
      const reply = typeof ack === 'function' ? (ack as (answer: object) => void) : () => {};
      const parsed = roomRequestSchema.safeParse(request);
      if (!parsed.success) return reply({ ok: false, error: 'unsubscribe with {station} or {site}' });
      const room = 'station' in parsed.data ? stationRoom(parsed.data.station) : siteRoom(parsed.data.site);
      void socket.leave(room);
      reply({ ok: true, room });
    });
  });

  /**
   * The station's and its site's rooms, or undefined when nobody is in either: building and
   * encoding an update is most of its cost, so it is skipped when nobody watches.
   */
  const watchers = ({ site, station }: { site: string; station: string }): string[] | undefined => {
    const rooms = [stationRoom(station), siteRoom(site)];
    return rooms.some((room) => io.sockets.adapter.rooms.has(room)) ? rooms : undefined;
  };

  return {
    io,
    publishStation(station) {
      const rooms = watchers(station);
      if (rooms) io.to(rooms).emit('station:update', options.latest.view(station, clock()));
    },
    publishEvent(event) {
      const rooms = watchers(event);
      if (rooms) io.to(rooms).emit('station:event', event);
    },
    close: () =>
      new Promise<void>((resolve) => {
        // io.close() also closes the HTTP server; the caller owns that, so only drop the sockets.
        io.disconnectSockets(true);
        void io.engine.close();
        resolve();
      }),
  };
}
