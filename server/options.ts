import type { Logger } from '../core/log.ts';
import type { Profile } from '../core/profile/schema.ts';
import type { Account } from './auth/accounts.ts';
import type { ClusterOptions } from './cluster/cluster-ingest.ts';
import type { FlowsOptions } from './flows/embed.ts';
import type { FieldLimits } from './ingest/field-budget.ts';
import type { LiveAuthorize } from './live/live-updates.ts';
import type { PredictiveShellOptions } from './predictive/predictive-shell.ts';
import type { ServiceLayerOptions } from './service-layer.ts';
import type { InfluxOptions } from './telemetry/open-store.ts';

/**
 * Defaults shared by the programmatic options below and the flat CLI/env/file schema
 * (config.ts), so `aftercare server` and `startServer()` cannot drift apart.
 */
export const SERVER_DEFAULTS = {
  host: '127.0.0.1',
  port: 8080,
  dataDir: './data',
} as const;

/**
 * Options of startServer(). `aftercare server` builds them from serverConfigSchema (config.ts:
 * flags > env > config file > defaults); programs and tests pass them directly.
 */
export interface ServerOptions {
  /** Interface to listen on. Default '127.0.0.1'. */
  host?: string;
  /** HTTP and socket.io port. Default 8080; 0 picks a free one. */
  port?: number;
  /** MQTT broker to ingest from (any MQTT 3.1.1/5 broker, or the embedded one). */
  mqtt: {
    url: string;
    username?: string;
    password?: string;
    /** `$share/<group>/` for telemetry and events, to split ingest over instances. Default none. */
    shareGroup?: string;
    /** Client id naming the persistent session; unique per instance. Default `aftercare-server-<random>`, kept in `<dataDir>/mqtt-client-id`. */
    clientId?: string;
    /** clean: false, so the broker keeps QoS 1 telemetry while this server is down. Default true. */
    persistentSession?: boolean;
    /** PEM CA certificate(s) to trust for an mqtts:// broker. Default: the system's. */
    ca?: string | Buffer;
  };
  /**
   * Scale-out: telemetry and events come from NATS JetStream partitions leased to one instance at a
   * time (the edges publish MQTT to nats-server's MQTT listener, which `mqtt.url` then names; this
   * instance's MQTT connection carries edge status and commands only). Default none: one box.
   */
  cluster?: ClusterOptions;
  /** redis:// URL: socket.io's Redis adapter, so each dashboard sees every instance's updates. Default none. */
  redisUrl?: string;
  /** InfluxDB for telemetry; without it, the embedded PGlite store under `<dataDir>/telemetry`. */
  influx?: InfluxOptions;
  /** Embedded PGlite store only: raw points kept this many hours, hourly roll-ups for ever. Default: all raw kept. */
  telemetryRawHours?: number;
  /** State directory. Default './data'. ':memory:' keeps the embedded store in memory (tests). */
  dataDir?: string;
  /** Device profiles: units, enumerations, vendor code tables per meaning. Default none. */
  profiles?: Profile[];
  /**
   * The profile file or directory `profiles` came from: watched, and a changed, new or removed file
   * takes effect without a restart (a broken one is refused and logged; its last good one stays).
   * Once watched, the files there are the profiles in use (they replace `profiles`). Default none:
   * the profiles are fixed.
   */
  profilesPath?: string;
  /** Directory served at / (the dashboards). Default none. */
  staticDir?: string;
  /** Telemetry dated further ahead of the server's clock is quarantined (counted, not stored), ms. Default 120000. */
  maxClockAheadMs?: number | undefined;
  /**
   * Which stations ingest accepts (needs the service layer's stations table): `registered-sites`
   * refuses, in a site with registered stations, a station that is not one of them or is assigned to
   * another edge; `strict` refuses every unregistered station; `off` accepts any. Refusals are
   * counted as bad payloads (`unknown_station`, `foreign_station`). Default `registered-sites`.
   */
  stationCheck?: 'registered-sites' | 'strict' | 'off';
  /**
   * How long a durable write waits for other messages to share it, ms (Kafka's linger.ms): at a 1 s
   * poll the stations' messages trickle in one by one. The live stream is not delayed, only the
   * acknowledgement. Default 50; 0 writes each at once.
   */
  writeLingerMs?: number;
  /** Values per telemetry message and new custom readings per station per hour. Default 512 and 100. */
  fieldLimits?: Partial<FieldLimits>;
  /** Default: a pino logger named 'server' on stderr. */
  logger?: Logger;
  /**
   * Accounts that seed the accounts table at start (the accounts file, or the demo's): created when
   * missing, never overwritten; those of the same source no longer listed are disabled. Default
   * none: the table is left as it is (with no service database: nobody can sign in).
   */
  accounts?: Account[];
  /** Where `accounts` come from. Default 'file'. */
  accountsSource?: 'file' | 'demo';
  /** HMAC key for bearer tokens (AUTH_SECRET), at least 32 bytes. Default: random per process. */
  authSecret?: string;
  /**
   * Alarms, tickets and SLA clocks. Default on, on PGlite under `<dataDir>/service` (in memory with
   * dataDir ':memory:'), or PostgreSQL with `databaseUrl`. `false` turns it off.
   */
  service?:
    | Pick<
        ServiceLayerOptions,
        'databaseUrl' | 'seedDemo' | 'policy' | 'edgeStartGraceMs' | 'notifySettings' | 'quality'
      >
    | false;
  /** Health models and predictive tickets (need the service layer). Default: predictive defaults, 14-day lead. */
  predictive?: Pick<PredictiveShellOptions, 'config' | 'leadTimeDaysByContract'>;
  /** Auth hook for socket.io connections. Default: a valid bearer token is required. */
  liveAuthorize?: LiveAuthorize;
  /**
   * A static bearer token that may read /metrics (for Prometheus' `authorization` setting), besides
   * signed-in engineers and admins. Default none.
   */
  metricsToken?: string;
  /** Serve HTTPS (and socket.io over it) with this PEM certificate (chain) and key. Default: HTTP. */
  https?: { cert: string | Buffer; key: string | Buffer };
  /**
   * The poll plan data completeness is measured against (GET /api/stations/:id/completeness): one
   * telemetry message per station per this many ms, the edges' fast poll interval. Default 1000.
   */
  expectedPollMs?: number;
  /**
   * When live polling began, ms: readings stored before it (imported or simulated history) are
   * counted, but nothing is expected of the poll plan before it. Default: the first stored reading.
   */
  pollingSince?: () => number | undefined;
  /**
   * The simulator's control API (e.g. http://127.0.0.1:5019), proxied for engineers at /api/sim/*.
   * Default none: no simulator routes.
   */
  simulatorControlUrl?: string;
  /** Counters of an embedded broker, shown by GET /api/system. Default none. */
  brokerStats?: () => object;
  /** Counters of an embedded edge agent, shown by GET /api/system. Default none. */
  edgeStats?: () => object;
  /**
   * Node-RED at /flows (editor, admin API, the domain nodes), engineers and admins only, flows in
   * the service database (needs it). Default off here, so programs and tests that do not need it
   * never load Node-RED; `aftercare server` and `aftercare demo` turn it on unless `--no-flows`.
   */
  flows?: FlowsOptions | boolean;
  /** Edge provisioning (/api/edges): what it writes for the broker and into generated edge configs. */
  edges?: {
    /**
     * The provisioned-edges file the broker watches (`aftercare broker --edges-file`). Default
     * `<dataDir>/provisioned-edges.json`; none with dataDir ':memory:'.
     */
    file?: string;
    /** Broker URL as the gateways reach it, written into generated configs. Default: mqtt.url. */
    mqttUrl?: string;
    /** Where gateways find the device profiles, written into generated configs. Default: this install's profiles/. */
    profilesDir?: string;
  };
}
