import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import {
  type ClientToServerEvents,
  type RoomAck,
  type RoomRequest,
  roomRequestSchema,
  type ServerToClientEvents,
  scopeOf,
  siteRoom,
  stationRoom,
} from '../../core/live/events.ts';
import type { Logger } from '../../core/log.ts';
import type { LatestValues, StationLatest } from '../ingest/latest-values.ts';

/** What the admission hook keeps on a socket: its user, whose `sites` (if any) bound what it sees. */
export interface LiveSocketData {
  user?: { username: string; role: string; sites?: readonly string[]; session?: string };
  /** The bearer token the socket connected with, to read its user again (refreshUser). */
  token?: string;
}
export type LiveServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  LiveSocketData
>;
export type LiveSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  LiveSocketData
>;

/** socket.io middleware: call next() to admit, next(new Error(reason)) to refuse. */
export type LiveAuthorize = (socket: LiveSocket, next: (error?: Error) => void) => void;

export interface LiveOptions {
  latest: LatestValues;
  logger: Logger;
  /** Admission hook for every socket; it may set `socket.data.user`. Default: admit all, every site. */
  authorize?: LiveAuthorize;
  onClientCount?: (count: number) => void;
  clock?: () => number;
  /**
   * Reads the socket's user again before each subscribe (a customer's sites as they are now);
   * false: its session ended, the socket is disconnected. Default none: the user of the handshake.
   */
  refreshUser?: (socket: LiveSocket) => Promise<boolean>;
  /**
   * A socket.io adapter shared by several server instances (the Redis adapter): every event reaches
   * the watchers on every instance, so none is skipped for want of local watchers. Default: this
   * process only.
   */
  adapter?: Parameters<LiveServer['adapter']>[0];
}

/** A station of any site, for unscoped users who subscribe by station id alone. */
const anySiteStationRoom = (station: string) => `station:*/${station}`;

export interface LiveUpdates {
  io: LiveServer;
  /** Sends a server-to-client event to the rooms of its site and station only. */
  publish<E extends keyof ServerToClientEvents>(
    event: E,
    payload: Parameters<ServerToClientEvents[E]>[0],
  ): void;
  /** Sends `station:update` with the station's view to its station and site rooms. */
  publishStation(station: StationLatest): void;
  /** Disconnects the sockets of a user (one session of it, when named): its session ended. */
  disconnectUser(username: string, session?: string): void;
  close(): Promise<void>;
}

/**
 * socket.io on the server's port. A client emits `subscribe` with {station}, {site, station} or
 * {site} (with an ack: {ok, rooms} or {ok:false, error}); it then receives every live event of
 * those rooms only, starting with the current values of a station it subscribed to. A user bound
 * to some sites may join only their rooms.
 */
export function attachLiveUpdates(httpServer: HttpServer, options: LiveOptions): LiveUpdates {
  const clock = options.clock ?? Date.now;
  // The dashboards bundle their own socket.io client; the server serves none.
  const io: LiveServer = new Server(httpServer, {
    serveClient: false,
    ...(options.adapter ? { adapter: options.adapter } : {}),
  });
  const shared = options.adapter !== undefined;
  if (options.authorize) io.use(options.authorize);
  const countClients = () => options.onClientCount?.(io.engine.clientsCount);

  /** The rooms a request names for this socket's user, or why it may not join them. */
  const roomsFor = (socket: LiveSocket, request: RoomRequest): RoomAck => {
    const allowed = socket.data.user?.sites;
    const refuse = (site: string): RoomAck => ({
      ok: false,
      error: `user ${socket.data.user?.username ?? ''} may not watch site ${site}`,
    });
    if (request.site !== undefined) {
      if (allowed && !allowed.includes(request.site)) return refuse(request.site);
      const room = 'station' in request ? stationRoom(request.site, request.station) : siteRoom(request.site);
      return { ok: true, rooms: [room] };
    }
    const { station } = request as { station: string };
    return {
      ok: true,
      rooms: allowed ? allowed.map((site) => stationRoom(site, station)) : [anySiteStationRoom(station)],
    };
  };

  io.on('connection', (socket) => {
    countClients();
    socket.on('disconnect', countClients);
    socket.on('subscribe', async (request, ack) => {
      const reply = typeof ack === 'function' ? ack : () => {};
      if (options.refreshUser && !(await options.refreshUser(socket).catch(() => false))) {
        reply({ ok: false, error: 'session ended: sign in again' });
        socket.disconnect(true);
        return;
      }
      const parsed = roomRequestSchema.safeParse(request);
      if (!parsed.success) {
        reply({
          ok: false,
          error: 'subscribe with {station}, {site, station} or {site}: ids of 1-64 letters, digits, _ or -',
        });
        return;
      }
      const answer = roomsFor(socket, parsed.data);
      if (answer.ok) void socket.join(answer.rooms);
      reply(answer);
      if (!answer.ok || !('station' in parsed.data)) return;
      const { station, site } = parsed.data;
      const allowed = socket.data.user?.sites;
      for (const held of options.latest.findById(station)) {
        if ((site && held.site !== site) || (allowed && !allowed.includes(held.site))) continue;
        socket.emit('station:update', options.latest.view(held, clock()));
      }
    });
    socket.on('unsubscribe', (request, ack) => {
      const reply = typeof ack === 'function' ? ack : () => {};
      const parsed = roomRequestSchema.safeParse(request);
      if (!parsed.success) return reply({ ok: false, error: 'unsubscribe with {station} or {site}' });
      const answer = roomsFor(socket, parsed.data);
      if (answer.ok) for (const room of answer.rooms) void socket.leave(room);
      reply(answer);
    });
  });

  /**
   * The station's and its site's rooms, or undefined when nobody is in any: building and encoding
   * an update is most of its cost, so it is skipped when nobody watches.
   */
  const watchers = ({ site, station }: { site: string; station: string }): string[] | undefined => {
    const rooms = [stationRoom(site, station), anySiteStationRoom(station), siteRoom(site)];
    // Watchers on the other instances are not in this process's rooms.
    if (shared) return rooms;
    return rooms.some((room) => io.sockets.adapter.rooms.has(room)) ? rooms : undefined;
  };

  return {
    io,
    publish(event, payload) {
      const rooms = watchers(scopeOf(event, payload));
      // socket.io's emit types its variadic arguments per event; the payload was checked by publish's signature.
      if (rooms) (io.to(rooms).emit as (name: string, data: unknown) => boolean)(event, payload);
    },
    publishStation(station) {
      const rooms = watchers(station);
      if (rooms) io.to(rooms).emit('station:update', options.latest.view(station, clock()));
    },
    disconnectUser(username, session) {
      for (const socket of io.sockets.sockets.values()) {
        const user = socket.data.user;
        if (user?.username === username && (session === undefined || user.session === session))
          socket.disconnect(true);
      }
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
