import type { MqttClient } from 'mqtt';
import { type CommandResult, commandResultSchema } from '../core/commands/payloads.ts';
import type { Logger } from '../core/log.ts';
import { connectMqtt } from '../core/mqtt/connect.ts';
import {
  type EdgeStatus,
  edgeStatusSchema,
  type StationEvent,
  type StationState,
  stationEventSchema,
  type Telemetry,
  telemetrySchema,
} from '../core/telemetry/payloads.ts';
import { topics } from '../core/telemetry/topics.ts';
import type { StationEventOut, StationReadings } from './station-poller.ts';
import { Forwarder, type ForwarderStats, type StoreForwardOptions } from './store-forward/forwarder.ts';
import { MemorySpool, type Spool } from './store-forward/spool.ts';

export interface PublisherOptions {
  url: string;
  username?: string;
  password?: string;
  /** Default `aftercare-edge-{edgeId}`. */
  clientId?: string;
  /** PEM CA certificate(s) to trust for mqtts:// (a broker with its own CA). Default: the system's. */
  ca?: string | Buffer;
  site: string;
  edgeId: string;
  /** Reported in the status message, so the server shows which release each edge runs. Default none. */
  version?: string;
  /** QoS 1 messages that may wait for their PUBACK (e.g. while the broker is away); past this, new ones are dropped and counted. Default 10000. */
  maxPending?: number;
  /** Where telemetry waits for its PUBACK. Default an in-memory spool (lost on restart). */
  spool?: Spool;
  /** Bounds and drain rate of the spool. */
  storeForward?: StoreForwardOptions;
  logger?: Logger;
}

export interface PublisherStats {
  connected: boolean;
  /** Messages acknowledged by the broker. */
  acked: number;
  /** Events and status messages waiting for their PUBACK (telemetry: see `spool`). */
  pending: number;
  /** Messages dropped: pending limit reached, invalid payload, or a publish error. */
  dropped: number;
  /** Per station: telemetry messages handed to the client and the source timestamp of the last one. */
  stations: Record<string, { published: number; lastPublishTs: number }>;
  /** Store and forward of telemetry: held, in flight, backlog, acked, replayed, evicted. */
  spool: ForwarderStats;
}

/**
 * MQTT side of the edge: telemetry and events with QoS 1, a retained status message with a last
 * will saying the edge went offline, and a sequence number per station.
 */
export class Publisher {
  readonly #o: PublisherOptions;
  readonly #client: MqttClient;
  readonly #seq = new Map<string, number>();
  readonly #states: Record<string, StationState> = {};
  readonly #stats: Omit<PublisherStats, 'spool'> = {
    connected: false,
    acked: 0,
    pending: 0,
    dropped: 0,
    stations: {},
  };
  readonly #forwarder: Forwarder;
  /**
   * Station and poll-class mixes whose telemetry passed the schema. A message is built from typed
   * readings (values finite or null, see quality.ts), so what can break the schema (ids, the profile's
   * meanings, the number of values) is fixed per station and class mix: the first message of each is
   * checked, the server checks every one on ingest. Checking each message here cost ~10% of the edge's
   * main thread at 100 stations.
   */
  readonly #checkedShapes = new Set<string>();
  #polling: EdgeStatus['polling'];
  /** Command topics of this edge's stations, subscribed again on every connect (clean session). */
  #commandTopics: string[] = [];

  constructor(options: PublisherOptions, initialStates: Record<string, StationState>) {
    this.#o = options;
    Object.assign(this.#states, initialStates);
    const will: EdgeStatus = this.#status(false);
    this.#client = connectMqtt(options.url, {
      clientId: options.clientId ?? `aftercare-edge-${options.edgeId}`,
      username: options.username,
      password: options.password,
      ...(options.ca ? { ca: options.ca } : {}),
      will: {
        topic: topics.edgeStatus(options.site, options.edgeId),
        payload: Buffer.from(JSON.stringify({ ...will, stations: {} })),
        qos: 1,
        retain: true,
      },
    });
    this.#client.on('connect', () => {
      this.#stats.connected = true;
      options.logger?.info({ url: options.url }, 'mqtt connected');
      this.#publishStatus(true);
      this.#subscribeCommands();
      this.#forwarder.kick();
    });
    this.#client.on('close', () => {
      this.#stats.connected = false;
    });
    this.#client.on('error', (error) => options.logger?.warn({ err: error.message }, 'mqtt error'));
    this.#forwarder = new Forwarder(
      options.spool ?? new MemorySpool(),
      options.storeForward ?? {},
      (topic, payload, done) => this.#client.publish(topic, payload, { qos: 1 }, (error) => done(error)),
      () => this.#client.connected,
      options.logger?.child({ part: 'spool' }),
      // The server raises "edge disk full" / "spool read-only" from the status, and clears it.
      () => {
        if (this.#client.connected) this.#publishStatus(true);
      },
      // A batch's publishes leave in one socket write (writev) instead of one write each.
      (sends) => {
        const stream = this.#client.stream as { cork?(): void; uncork?(): void } | undefined;
        stream?.cork?.();
        try {
          sends();
        } finally {
          stream?.uncork?.();
        }
      },
    );
  }

  /**
   * Hands every message on the stations' command topics to `handler` (raw: the caller validates).
   * Commands sent while the edge is away are not kept: the server expires them.
   */
  onCommands(stations: readonly string[], handler: (topic: string, payload: Buffer) => void): void {
    this.#commandTopics = stations.map((station) => topics.commands(this.#o.site, station));
    this.#client.on('message', (topic, payload) => {
      if (this.#commandTopics.includes(topic)) handler(topic, payload);
    });
    if (this.#client.connected) this.#subscribeCommands();
  }

  /** The answer to a command, on its station's command-results topic (QoS 1). */
  publishCommandResult(result: CommandResult): void {
    this.#publish(topics.commandResults(result.site, result.station), result, commandResultSchema);
  }

  #subscribeCommands(): void {
    if (this.#commandTopics.length === 0) return;
    this.#client.subscribe(this.#commandTopics, { qos: 1 }, (error, granted) => {
      const refused = granted?.filter((g) => g.qos === 128).map((g) => g.topic) ?? [];
      if (error || refused.length > 0)
        this.#o.logger?.error({ err: error?.message, refused }, 'broker refused the command topics');
    });
  }

  /** Opens the spool: sequence numbers continue where the last run stopped and its backlog is replayed. */
  async open(): Promise<void> {
    const lastSeq = await this.#forwarder.open();
    for (const [station, seq] of Object.entries(lastSeq)) this.#seq.set(station, seq + 1);
  }

  /** Resolves once connected; rejects after `timeoutMs` with the reason. */
  async waitConnected(timeoutMs = 10_000): Promise<void> {
    if (this.#client.connected) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#client.off('connect', onConnect);
        reject(
          new Error(`no MQTT connection to ${this.#o.url} within ${timeoutMs} ms; is the broker running?`),
        );
      }, timeoutMs);
      const onConnect = () => {
        clearTimeout(timer);
        resolve();
      };
      this.#client.once('connect', onConnect);
    });
  }

  publishReadings(readings: StationReadings): void {
    const seq = this.#seq.get(readings.station) ?? 0;
    const message: Telemetry = {
      v: 1,
      site: this.#o.site,
      station: readings.station,
      edge: this.#o.edgeId,
      model: readings.model,
      seq,
      ts: readings.ts,
      state: readings.state,
      values: readings.values,
    };
    const shape = `${readings.station}/${readings.classes.join('+')}`;
    if (!this.#checkedShapes.has(shape)) {
      const checked = telemetrySchema.safeParse(message);
      if (!checked.success) {
        this.#stats.dropped += 1;
        this.#o.logger?.error(
          { station: readings.station, err: String(checked.error) },
          'telemetry failed its schema',
        );
        return;
      }
      this.#checkedShapes.add(shape);
    }
    const topic = topics.telemetry(this.#o.site, readings.station);
    this.#forwarder.submit(
      { topic, payload: JSON.stringify(message), station: readings.station, ts: readings.ts },
      seq,
    );
    this.#seq.set(readings.station, seq + 1);
    const station = this.#stats.stations[readings.station];
    // Updated in place: a new object per message would outlive the young generation.
    if (station) {
      station.published += 1;
      station.lastPublishTs = readings.ts;
    } else {
      this.#stats.stations[readings.station] = { published: 1, lastPublishTs: readings.ts };
    }
  }

  publishEvent(station: string, event: StationEventOut): void {
    const message: StationEvent = { v: 1, site: this.#o.site, station, edge: this.#o.edgeId, ...event };
    this.#publish(topics.events(this.#o.site, station), message, stationEventSchema);
  }

  /** How full the publishing side is (1 = full): the poll governor's back-pressure. */
  pressure(maxQueued: number): number {
    return this.#forwarder.pressure(maxQueued);
  }

  /** Records the poll plan's stretch and republishes the retained status. */
  setPolling(polling: EdgeStatus['polling']): void {
    this.#polling = polling;
    if (this.#client.connected) this.#publishStatus(true);
  }

  /** Records a station's comms state and republishes the retained status. */
  setStationState(station: string, state: StationState): void {
    this.#states[station] = state;
    if (this.#client.connected) this.#publishStatus(true);
  }

  stats(): PublisherStats {
    const spool = this.#forwarder.stats();
    return {
      ...this.#stats,
      acked: this.#stats.acked + spool.acked,
      stations: structuredClone(this.#stats.stations),
      spool,
    };
  }

  /** Publishes the offline status (retained), waits for it and the pending messages briefly, then disconnects. */
  async stop(timeoutMs = 3000): Promise<void> {
    if (this.#client.connected) {
      const status = this.#status(false);
      await Promise.race([
        this.#client.publishAsync(topics.edgeStatus(this.#o.site, this.#o.edgeId), JSON.stringify(status), {
          qos: 1,
          retain: true,
        }),
        sleep(timeoutMs),
      ]).catch((error: unknown) => this.#o.logger?.warn({ err: String(error) }, 'offline status not sent'));
      await Promise.race([this.#client.endAsync(false), sleep(timeoutMs)]);
    }
    await this.#client.endAsync(true);
    await this.#forwarder.close();
  }

  #status(online: boolean): EdgeStatus {
    return {
      v: 1,
      edge: this.#o.edgeId,
      site: this.#o.site,
      online,
      ts: Date.now(),
      stations: { ...this.#states },
      ...(this.#o.version ? { version: this.#o.version } : {}),
      ...(online ? { spool: this.#forwarder.state() } : {}),
      ...(online && this.#polling ? { polling: this.#polling } : {}),
    };
  }

  #publishStatus(online: boolean): void {
    this.#publish(
      topics.edgeStatus(this.#o.site, this.#o.edgeId),
      this.#status(online),
      edgeStatusSchema,
      true,
    );
  }

  #publish(
    topic: string,
    message: unknown,
    schema: { safeParse(data: unknown): { success: boolean; error?: unknown } },
    retain = false,
  ): boolean {
    const checked = schema.safeParse(message);
    if (!checked.success) {
      this.#stats.dropped += 1;
      this.#o.logger?.error({ topic, err: String(checked.error) }, 'payload failed its schema; dropped');
      return false;
    }
    if (this.#stats.pending >= (this.#o.maxPending ?? 10_000)) {
      this.#stats.dropped += 1;
      return false;
    }
    this.#stats.pending += 1;
    this.#client.publish(topic, JSON.stringify(message), { qos: 1, retain }, (error) => {
      this.#stats.pending -= 1;
      if (error) {
        this.#stats.dropped += 1;
        this.#o.logger?.warn({ topic, err: error.message }, 'publish failed');
      } else {
        this.#stats.acked += 1;
      }
    });
    return true;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
