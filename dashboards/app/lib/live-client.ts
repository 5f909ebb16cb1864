import { io, type Socket } from 'socket.io-client';
import { contracts } from '../../../core/api/index.ts';
import type { CommandView } from '../../../core/commands/payloads.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../core/live/events.ts';
import type { Api } from './api.ts';
import { learnSiteTimeZones } from './format.ts';
import type { Alarm, Shelf, StationView } from './types.ts';

export type LinkState = 'connecting' | 'live' | 'reconnecting';

export interface LiveSnapshot {
  link: LinkState;
  /** When the last station update arrived (browser clock), for the stale banner. */
  lastMessageAt: number;
  stations: ReadonlyMap<string, StationView>;
  /** Active alarms of every station, refreshed on every alarm change. */
  activeAlarms: readonly Alarm[];
  /** Shelves in force: their alarms are shown as shelved and not counted. */
  shelves: readonly Shelf[];
  /** Bumped on every alarm or ticket change, so pages showing them refetch. */
  alarmVersion: number;
  ticketVersion: number;
}

type Listener = (snapshot: LiveSnapshot) => void;
type StationListener = (view: StationView) => void;
type CommandListener = (command: CommandView) => void;

/**
 * One authenticated socket.io connection for the whole app. It loads every station and the active
 * alarms over HTTP, then follows `station:update`, `alarm` and `ticket`. After a reconnect it
 * subscribes again and reloads, so the page resumes without a reload.
 */
export class LiveClient {
  private readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  private snapshot: LiveSnapshot = {
    link: 'connecting',
    lastMessageAt: Date.now(),
    stations: new Map(),
    activeAlarms: [],
    shelves: [],
    alarmVersion: 0,
    ticketVersion: 0,
  };
  private readonly listeners = new Set<Listener>();
  private readonly stationListeners = new Set<StationListener>();
  private readonly commandListeners = new Set<CommandListener>();
  private alarmReload: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly api: Api,
    token: string,
  ) {
    // A connect attempt that hangs (a half-open network) is given up after 5 s, not socket.io's 20 s,
    // so a wall screen is back within seconds of the network.
    this.socket = io({
      auth: { token },
      transports: ['websocket', 'polling'],
      timeout: 5000,
      reconnectionDelayMax: 5000,
    });
    this.socket.on('connect', () => {
      this.update({ link: 'live' });
      void this.resume();
    });
    this.socket.on('disconnect', (reason) => {
      this.update({ link: 'reconnecting' });
      // A server-side disconnect (a restart, a redeploy) is not retried by socket.io on its own.
      if (reason === 'io server disconnect') this.socket.connect();
    });
    this.socket.on('connect_error', () => {
      if (this.snapshot.link !== 'connecting') this.update({ link: 'reconnecting' });
    });
    this.socket.on('station:update', (view) => this.applyStation(view));
    this.socket.on('alarm', () => {
      this.update({ alarmVersion: this.snapshot.alarmVersion + 1 });
      this.scheduleAlarmReload();
    });
    this.socket.on('ticket', () => this.update({ ticketVersion: this.snapshot.ticketVersion + 1 }));
    this.socket.on('command', (command) => {
      for (const listener of this.commandListeners) listener(command);
    });
    // Pages draw from HTTP at once instead of after the socket's handshake; connect loads again.
    void this.load();
  }

  get current(): LiveSnapshot {
    return this.snapshot;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every station update as it arrives (the charts append live points). */
  onStation(listener: StationListener): () => void {
    this.stationListeners.add(listener);
    return () => this.stationListeners.delete(listener);
  }

  /** Remote commands of the user's sites as they are sent and settle (the station page's panel). */
  onCommand(listener: CommandListener): () => void {
    this.commandListeners.add(listener);
    return () => this.commandListeners.delete(listener);
  }

  /**
   * Joins the rooms of every site the user may see now and reloads the stations: sites and
   * stations made after the connection opened (an admin onboarding a customer) come live too.
   */
  refreshSites(): Promise<void> {
    return this.resume();
  }

  close(): void {
    clearTimeout(this.alarmReload);
    this.socket.close();
    this.listeners.clear();
  }

  /**
   * Live events reach only the rooms of their site: the app joins every site its user may see,
   * those with reporting stations and those of the asset register (alarms and tickets of a
   * station that has not reported yet).
   */
  private async resume(): Promise<void> {
    const registered = this.api
      .get<{ sites: { id: string; time_zone?: string }[] }>('/assets/sites')
      .then(({ sites }) => {
        learnSiteTimeZones(sites);
        return sites.map((site) => site.id);
      })
      .catch(() => [] as string[]);
    await this.load(async (list) => {
      const sites = new Set([...list.map((s) => s.site), ...(await registered)]);
      for (const site of sites) this.socket.emit('subscribe', { site });
    });
  }

  /** Every station's latest view and the active alarms, over HTTP. */
  private async load(onList?: (list: { site: string; station: string }[]) => Promise<void>): Promise<void> {
    try {
      const list = await this.api.call(contracts.listStations);
      await onList?.(list);
      const views = await Promise.all(
        list.map((s) =>
          this.api.call(contracts.getStation, { params: { id: s.station }, query: { site: s.site } }),
        ),
      );
      for (const view of views) this.applyStation(view);
    } catch {
      // The next reconnect tries again; the link state shows the trouble.
    }
    await this.reloadAlarms();
  }

  private applyStation(view: StationView): void {
    const stations = new Map(this.snapshot.stations);
    const held = stations.get(view.station);
    if (held && held.ts > view.ts) return;
    stations.set(view.station, view);
    this.update({ stations, lastMessageAt: Date.now() });
    for (const listener of this.stationListeners) listener(view);
  }

  private scheduleAlarmReload(): void {
    clearTimeout(this.alarmReload);
    this.alarmReload = setTimeout(() => void this.reloadAlarms(), 150);
  }

  private async reloadAlarms(): Promise<void> {
    try {
      const [{ alarms }, { shelves }] = await Promise.all([
        this.api.call(contracts.listAlarms, { query: { state: 'active_unack,active_ack', limit: 1000 } }),
        this.api.call(contracts.listShelves),
      ]);
      this.update({ activeAlarms: alarms, shelves });
    } catch {
      // Kept as they were; the next alarm event reloads.
    }
  }

  private update(patch: Partial<LiveSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const listener of this.listeners) listener(this.snapshot);
  }
}
