import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import {
  ConfigFileError,
  describeIssues,
  readConfigFileSync,
  validateConfig,
} from '../core/config/config-file.ts';
import { idSchema } from '../core/ids.ts';
import { loadProfile, parseProfile } from '../core/profile/load.ts';
import type { Profile } from '../core/profile/schema.ts';
import { STORE_FORWARD_DEFAULTS } from './store-forward/forwarder-options.ts';

const msSchema = z.number().int().min(1).max(3_600_000);

/** Poll intervals per class, in ms. */
const pollClassesSchema = z
  .object({
    /** Run status and faults. Default 1000 ms. */
    fast: msSchema.default(1000),
    /** Energy counters and run hours. Default 10000 ms. */
    slow: msSchema.default(10_000),
  })
  .strict();

/** Modbus behaviour; every field can be overridden per station. */
const modbusFields = {
  /** How long to wait for one reply. Default 500 ms. */
  timeoutMs: z.number().int().min(10).max(60_000),
  /** Extra tries of a read that got no reply (not of an exception reply). Default 1. */
  retries: z.number().int().min(0).max(10),
  /** First wait before a retry or a reconnect; it doubles up to maxBackoffMs. Default 250 ms. */
  backoffMs: z.number().int().min(1).max(60_000),
  /** Longest wait between reconnects. Default 10000 ms. */
  maxBackoffMs: z.number().int().min(1).max(600_000),
  /** Unused registers one read may span to save a request (request planner). Default 32. */
  maxRegisterGap: z.number().int().min(0).max(125),
  /** Unused bits one read may span. Default 256. */
  maxBitGap: z.number().int().min(0).max(2000),
} as const;

const modbusDefaultsSchema = z
  .object({
    timeoutMs: modbusFields.timeoutMs.default(500),
    retries: modbusFields.retries.default(1),
    backoffMs: modbusFields.backoffMs.default(250),
    maxBackoffMs: modbusFields.maxBackoffMs.default(10_000),
    maxRegisterGap: modbusFields.maxRegisterGap.default(32),
    maxBitGap: modbusFields.maxBitGap.default(256),
  })
  .strict();

/** What the edge does when it cannot keep its poll plan (see poll-governor.ts). */
const overloadSchema = z
  .object({
    /** Stretch poll intervals by class (slowest first) when reads run late; false keeps the plan and misses polls. Default true. */
    stretch: z.boolean().default(true),
    /** Window over which lateness is judged, ms. Default 5000. */
    windowMs: z.number().int().min(100).max(600_000).default(5000),
    /** Largest factor an interval is stretched by. Default 8. */
    maxStretch: z.number().int().min(1).max(1000).default(8),
    /** Telemetry messages that may wait for the spool before polling is held back. Default 2000. */
    maxQueued: z.number().int().min(10).max(1_000_000).default(2000),
  })
  .strict();

const qualitySchema = z
  .object({
    /** A failed read reports the last value as `stale` while it is at most this many intervals old. Default 3. */
    staleAfterIntervals: z.number().int().min(1).max(1000).default(3),
    /** Consecutive bit-identical reads after which a ranged analog value is `frozen`. Default 30. */
    frozenAfter: z.number().int().min(2).max(100_000).default(30),
    /** And unchanged for at least this long, ms: frozen is judged by time, whatever the poll interval. Default 60000. */
    frozenAfterMs: z.number().int().min(0).max(86_400_000).default(60_000),
    /** Consecutive cycles without any reply before the station is `comms_failed`. Default 1. */
    commsLossCycles: z.number().int().min(1).max(100).default(1),
  })
  .strict();

/** Store and forward of telemetry while the broker is unreachable. */
const spoolSchema = z
  .object({
    /** Directory of the on-disk spool (relative to the config file). Default none: in memory, lost on restart. */
    dir: z.string().min(1).optional(),
    /** Most bytes held; when full the oldest go first (counted). Default 100 MiB. */
    maxBytes: z
      .number()
      .int()
      .min(64 * 1024)
      .max(64 * 1024 ** 3)
      .default(100 * 1024 * 1024),
    /** Telemetry older than this (source time) is dropped, ms. Default 7 days. */
    maxAgeMs: z
      .number()
      .int()
      .min(1000)
      .max(366 * 24 * 3600_000)
      .default(7 * 24 * 3600_000),
    /** Backlog messages replayed per second beside live ones. Default 200. */
    drainPerSecond: z.number().int().min(1).max(100_000).default(200),
    /**
     * Messages waiting for their PUBACK at once. Default: two seconds of the poll plan's messages,
     * at least 200 (an edge reading 1,000 stations a second with a window of 200 waits on the
     * broker's acknowledgements and falls behind whenever they take more than 200 ms).
     */
    maxInFlight: z.number().int().min(2).max(65_000).optional(),
    /** While the spool cannot write (disk full, read-only), bytes of telemetry held in memory until acknowledged. Default 16 MiB. */
    memoryMaxBytes: z
      .number()
      .int()
      .min(64 * 1024)
      .max(4 * 1024 ** 3)
      .default(16 * 1024 * 1024),
    /** How often a spool that cannot write is tried again, ms. Default 5000. */
    retryMs: z.number().int().min(100).max(3_600_000).default(5000),
    /** With nothing waiting, the spool directory is emptied once this many bytes went through it. Default 1 MiB. */
    truncateAfterBytes: z
      .number()
      .int()
      .min(64 * 1024)
      .max(64 * 1024 ** 3)
      .default(1024 * 1024),
    /** How long a reading waits for others to share its spool write, ms. Default 20. */
    writeLingerMs: z.number().int().min(0).max(1000).default(20),
    /** How long an acknowledged message waits for others to share its delete, ms. Default 100. */
    removeLingerMs: z.number().int().min(0).max(10_000).default(100),
  })
  .strict();

const tcpSchema = z
  .object({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(502),
    /** Unit id (slave address) behind the TCP endpoint. Default 1. */
    unitId: z.number().int().min(0).max(255).default(1),
    /**
     * Requests on the wire at once (Modbus TCP transaction ids). 1, the default, suits a device that
     * serves one request at a time; gateways and most PLCs take several, and a cycle's reads then go
     * out in one packet.
     */
    maxConcurrentRequests: z.number().int().min(1).max(16).default(1),
    /**
     * Share one connection with the other stations of the same host and port that share theirs: the
     * unit ids behind one Modbus TCP gateway. Gateways often take only a few connections, and one
     * connection carries every unit's requests in fewer packets. Their timeoutMs, backoffMs and
     * maxBackoffMs must match. Default false (a connection per station).
     */
    shareConnection: z.boolean().default(false),
  })
  .strict();

const rtuSchema = z
  .object({
    /** Serial device, e.g. /dev/ttyUSB0. Stations on the same path share one line arbiter. */
    path: z.string().min(1),
    baudRate: z.number().int().min(300).max(921_600).default(9600),
    /** Modbus over serial line v1.02 §2.5.1: even parity is the default. */
    parity: z.enum(['none', 'even', 'odd']).default('even'),
    dataBits: z.union([z.literal(7), z.literal(8)]).default(8),
    stopBits: z.union([z.literal(1), z.literal(2)]).default(1),
    unitId: z.number().int().min(1).max(247),
  })
  .strict();

function stationSchema<P extends z.ZodType>(profile: P) {
  return z
    .object({
      id: idSchema,
      /** Device profile: a path relative to the config file, or (programmatic use) the profile itself. */
      profile,
      tcp: tcpSchema.optional(),
      rtu: rtuSchema.optional(),
      /** Overrides of the edge's poll intervals for this station. */
      pollClasses: z.object({ fast: msSchema.optional(), slow: msSchema.optional() }).strict().optional(),
      timeoutMs: modbusFields.timeoutMs.optional(),
      retries: modbusFields.retries.optional(),
      backoffMs: modbusFields.backoffMs.optional(),
      maxBackoffMs: modbusFields.maxBackoffMs.optional(),
      maxRegisterGap: modbusFields.maxRegisterGap.optional(),
      maxBitGap: modbusFields.maxBitGap.optional(),
    })
    .strict()
    .refine((station) => (station.tcp === undefined) !== (station.rtu === undefined), {
      message: 'give exactly one of tcp or rtu',
    });
}

function edgeSchema<P extends z.ZodType>(profile: P) {
  return z
    .object({
      edgeId: idSchema,
      site: idSchema,
      mqtt: z
        .object({
          url: z.string().regex(/^(mqtts?|wss?|tcp):\/\//, 'an mqtt://, mqtts://, ws:// or wss:// URL'),
          username: z.string().optional(),
          password: z.string().optional(),
          /** Default `aftercare-edge-{edgeId}`. */
          clientId: z.string().min(1).max(128).optional(),
          /** PEM file of the CA that signed an mqtts:// broker's certificate. Default: system CAs. */
          caFile: z.string().min(1).optional(),
        })
        .strict(),
      pollClasses: pollClassesSchema.default({ fast: 1000, slow: 10_000 }),
      /**
       * Start the stations' poll loops spread evenly across the fast interval (station i of n after
       * i/n of it), so the edge reads, publishes and the server stores evenly instead of in one burst
       * per interval. Default true.
       */
      spreadPolls: z.boolean().default(true),
      modbus: modbusDefaultsSchema.default(modbusDefaultsSchema.parse({})),
      quality: qualitySchema.default(qualitySchema.parse({})),
      spool: spoolSchema.default(spoolSchema.parse({})),
      overload: overloadSchema.default(overloadSchema.parse({})),
      stations: z.array(stationSchema(profile)).min(1),
    })
    .strict()
    .superRefine((edge, ctx) => {
      const ids = new Map<string, number>();
      const rtuUnits = new Map<string, { index: number; line: string }>();
      const gateways = new Map<string, { index: number; timing: string; units: Map<number, number> }>();
      edge.stations.forEach((station, i) => {
        const same = ids.get(station.id);
        if (same !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['stations', i, 'id'],
            message: `duplicate of stations[${same}]`,
          });
        }
        ids.set(station.id, i);
        if (station.tcp?.shareConnection) {
          const { host, port, unitId } = station.tcp;
          const { timeoutMs, backoffMs, maxBackoffMs } = stationSettings(edge, station);
          const timing = JSON.stringify([timeoutMs, backoffMs, maxBackoffMs]);
          const key = `${host}:${port}`;
          const gateway = gateways.get(key) ?? { index: i, timing, units: new Map<number, number>() };
          gateways.set(key, gateway);
          const clash = gateway.units.get(unitId);
          if (clash !== undefined) {
            ctx.addIssue({
              code: 'custom',
              path: ['stations', i, 'tcp', 'unitId'],
              message: `unit ${unitId} on the shared connection to ${key} is already stations[${clash}]`,
            });
          }
          gateway.units.set(unitId, i);
          if (gateway.timing !== timing) {
            ctx.addIssue({
              code: 'custom',
              path: ['stations', i],
              message: `timeoutMs, backoffMs or maxBackoffMs differ from stations[${gateway.index}], which shares the connection to ${key}`,
            });
          }
        }
        if (!station.rtu) return;
        const { path, unitId, ...line } = station.rtu;
        const key = `${path}#${unitId}`;
        const clash = rtuUnits.get(key);
        if (clash) {
          ctx.addIssue({
            code: 'custom',
            path: ['stations', i, 'rtu', 'unitId'],
            message: `unit ${unitId} on ${path} is already stations[${clash.index}]`,
          });
        }
        const lineKey = JSON.stringify(line);
        const other = [...rtuUnits.entries()].find(
          ([k, v]) => k.startsWith(`${path}#`) && v.line !== lineKey,
        );
        if (other) {
          ctx.addIssue({
            code: 'custom',
            path: ['stations', i, 'rtu'],
            message: `line settings differ from stations[${other[1].index}] on the same serial path ${path}`,
          });
        }
        rtuUnits.set(key, { index: i, line: lineKey });
      });
    });
}

const fileSchema = edgeSchema(z.string().min(1));
const resolvedSchema = edgeSchema(z.custom<Profile>((value) => typeof value === 'object' && value !== null));

/** edge.yaml as written. */
export type EdgeConfigFile = z.input<typeof fileSchema>;
/** A parsed edge config with every station's profile loaded: what startEdge takes. */
export type EdgeConfig = z.output<typeof resolvedSchema>;
export type StationConfig = EdgeConfig['stations'][number];
export type PollClass = 'fast' | 'slow';

/** Settings of one station after its overrides are merged over the edge's defaults. */
export interface EffectiveStationSettings {
  intervals: Record<PollClass, number>;
  timeoutMs: number;
  retries: number;
  backoffMs: number;
  maxBackoffMs: number;
  maxRegisterGap: number;
  maxBitGap: number;
}

/** The PUBACK window when the config names none: two seconds of the plan's telemetry messages, at least 200. */
export function defaultMaxInFlight(config: EdgeConfig): number {
  let perSecond = 0;
  for (const station of config.stations) perSecond += 1000 / stationSettings(config, station).intervals.fast;
  return Math.min(65_000, Math.max(STORE_FORWARD_DEFAULTS.maxInFlight, Math.ceil(2 * perSecond)));
}

export function stationSettings(
  config: Pick<EdgeConfig, 'modbus' | 'pollClasses'>,
  station: Omit<StationConfig, 'profile'>,
): EffectiveStationSettings {
  const m = config.modbus;
  return {
    intervals: { ...config.pollClasses, ...definedOnly(station.pollClasses ?? {}) } as Record<
      PollClass,
      number
    >,
    timeoutMs: station.timeoutMs ?? m.timeoutMs,
    retries: station.retries ?? m.retries,
    backoffMs: station.backoffMs ?? m.backoffMs,
    maxBackoffMs: station.maxBackoffMs ?? m.maxBackoffMs,
    maxRegisterGap: station.maxRegisterGap ?? m.maxRegisterGap,
    maxBitGap: station.maxBitGap ?? m.maxBitGap,
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** An edge config that cannot be used. Retrying does not help: the file or object must be fixed. */
export class EdgeConfigError extends ConfigFileError {
  override name = 'EdgeConfigError';
  constructor(source: string, problems: readonly string[]) {
    super(source, 'edge config', problems);
  }
}

const EDGE_CONFIG = {
  what: 'edge config',
  error: (source: string, problems: string[]) => new EdgeConfigError(source, problems),
};

export interface ParseEdgeConfigOptions {
  /** Names the config in errors. Default `edge config`. */
  source?: string;
  /** Directory that relative profile paths are resolved against. Default the working directory. */
  baseDir?: string;
}

/**
 * Validates an edge config given as data. Each station's `profile` is a path (loaded relative to
 * `baseDir`) or profile data (validated with the profile schema), so a program can start an edge
 * without files.
 */
export function parseEdgeConfig(data: unknown, options: ParseEdgeConfigOptions = {}): EdgeConfig {
  const source = options.source ?? 'edge config';
  const baseDir = options.baseDir ?? process.cwd();
  const problems: string[] = [];
  const cache = new Map<string, Profile>();
  const withProfiles = structuredClone(data) as { stations?: Array<{ profile?: unknown }> } | undefined;
  if (withProfiles && Array.isArray(withProfiles.stations)) {
    withProfiles.stations.forEach((station, i) => {
      if (typeof station !== 'object' || station === null) return;
      const ref = station.profile;
      try {
        if (typeof ref === 'string') {
          const file = resolve(baseDir, ref);
          const profile = cache.get(file) ?? loadProfile(file);
          cache.set(file, profile);
          station.profile = profile;
        } else if (typeof ref === 'object' && ref !== null) {
          station.profile = parseProfile(ref, `${source} stations[${i}].profile`);
        }
      } catch (error) {
        problems.push(`field "stations.${i}.profile": ${(error as Error).message}`);
      }
    });
  }
  if (problems.length > 0) throw new EdgeConfigError(source, problems);
  const config = validateConfig(resolvedSchema, withProfiles, source, {
    ...EDGE_CONFIG,
    // Issues are described against the data as given (profile paths, not the loaded profiles).
    describe: (issues) => describeIssues(issues, data),
  });
  if (config.spool.dir) config.spool.dir = resolve(baseDir, config.spool.dir);
  return config;
}

/** Reads edge.yaml (or .json); profile paths are relative to the file. */
export function loadEdgeConfig(file: string): EdgeConfig {
  const data = readConfigFileSync(file, EDGE_CONFIG);
  validateConfig(fileSchema, data, file, EDGE_CONFIG);
  return parseEdgeConfig(data, { source: file, baseDir: dirname(resolve(file)) });
}
