import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { mergeOptions } from '../core/config/component-options.ts';
import { loadConfigFileSync, readConfigFile, validateConfig } from '../core/config/config-file.ts';
import type { NotifySettingsInput } from '../core/notify/settings.ts';
import { notifySettingsSchema } from '../core/notify/settings.ts';
import { loadProfile } from '../core/profile/load.ts';
import type { Profile } from '../core/profile/schema.ts';
import type { Account } from './auth/accounts.ts';
import { SERVER_DEFAULTS, type ServerOptions } from './options.ts';

const url = (what: string, example: string) =>
  z.string().refine((text) => URL.canParse(text), { message: `${what} must be a URL such as ${example}` });

/**
 * Options of `aftercare server`, flat as they appear in flags, env and the config file.
 * Merged flags > env > config file > these defaults.
 */
export const serverConfigSchema = z
  .object({
    /** --host, env HOST. Default 127.0.0.1. */
    host: z.string().min(1).default(SERVER_DEFAULTS.host),
    /** --port, env PORT. Default 8080; 0 picks a free port. */
    port: z.coerce.number().int().min(0).max(65535).default(SERVER_DEFAULTS.port),
    /** --mqtt-url, env MQTT_URL. Default mqtt://127.0.0.1:1883 (the demo's embedded broker). */
    mqttUrl: url('mqttUrl', 'mqtt://127.0.0.1:1883').default('mqtt://127.0.0.1:1883'),
    /** --mqtt-username, env MQTT_USERNAME. */
    mqttUsername: z.string().min(1).optional(),
    /** env MQTT_PASSWORD or the config file (never a flag: flags show in `ps`). */
    mqttPassword: z.string().optional(),
    /** --mqtt-ca-file, env MQTT_CA_FILE: PEM CA of an mqtts:// broker. Default: system CAs. */
    mqttCaFile: z.string().min(1).optional(),
    /** --https-cert and --https-key, env HTTPS_CERT_FILE / HTTPS_KEY_FILE: PEM files; serve HTTPS. */
    httpsCertFile: z.string().min(1).optional(),
    httpsKeyFile: z.string().min(1).optional(),
    /** --mqtt-share-group: split ingest over instances with $share/<group>/. */
    mqttShareGroup: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ or -')
      .optional(),
    /** --cluster, env AFTERCARE_CLUSTER: nats:// URL of nats-server with JetStream; scale-out ingest. Default none. */
    cluster: z
      .string()
      .regex(/^(nats|tls):\/\/[^\s]+$/, 'cluster must be a nats:// URL such as nats://127.0.0.1:4222')
      .optional(),
    /** --partitions, env AFTERCARE_PARTITIONS: partitions of the nats-server mapping. Default 12. */
    partitions: z.coerce.number().int().min(1).max(1024).default(12),
    /** --cluster-instance, env AFTERCARE_INSTANCE: this instance's lease name. Default <hostname>-<pid>. */
    clusterInstance: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ or -')
      .optional(),
    /** --cluster-settle, env AFTERCARE_CLUSTER_SETTLE_MS: wait after joining before claiming partitions, ms. Default 3000. */
    clusterSettleMs: z.coerce.number().int().min(0).max(600_000).optional(),
    /** --redis, env REDIS_URL: socket.io Redis adapter shared by the instances. Default none. */
    redis: url('redis', 'redis://127.0.0.1:6379').optional(),
    /** --influx-url, env INFLUX_URL. Default: none (embedded PGlite store). */
    influxUrl: url('influxUrl', 'http://127.0.0.1:8086').optional(),
    /** env INFLUX_TOKEN or config file. 2.x/3.x token; for 1.8+ `user:password`. */
    influxToken: z.string().optional(),
    /** --influx-org, env INFLUX_ORG. 2.x only. */
    influxOrg: z.string().optional(),
    /** --influx-bucket, env INFLUX_BUCKET. Default aftercare. */
    influxBucket: z.string().min(1).default('aftercare'),
    /** --influx-username, env INFLUX_USERNAME (1.x with auth). */
    influxUsername: z.string().optional(),
    /** env INFLUX_PASSWORD or config file. */
    influxPassword: z.string().optional(),
    /** env INFLUX_RAW_HOURS or config file. 1.x: raw points kept this many hours, hourly roll-ups for ever. */
    influxRawHours: z.coerce.number().int().min(1).optional(),
    /** --data-dir, env DATA_DIR. Default ./data. */
    dataDir: z.string().min(1).default(SERVER_DEFAULTS.dataDir),
    /** --static-dir: directory served at /. Default none. */
    staticDir: z.string().min(1).optional(),
    /** --profiles: a profile file or a directory of them, watched for changes. Default none. */
    profiles: z.string().min(1).optional(),
    /** env DATABASE_URL: PostgreSQL for assets, alarms and tickets. Default: embedded PGlite under dataDir. */
    databaseUrl: url('databaseUrl', 'postgres://user@127.0.0.1/aftercare').optional(),
    /** --accounts, env AFTERCARE_ACCOUNTS: accounts file (YAML) that seeds the accounts table. Default none. */
    accounts: z.string().min(1).optional(),
    /** --notify, env AFTERCARE_NOTIFY: notification settings (YAML/JSON: SMTP, robots, SMS, teams and rota, chains). Default: as stored by admins. */
    notify: z.string().min(1).optional(),
    /** env AUTH_SECRET or config file: HMAC key of bearer tokens (32+ bytes). Default: random per start. */
    authSecret: z.string().min(32, 'at least 32 bytes').optional(),
    /** --max-clock-ahead, env MAX_CLOCK_AHEAD_MS: telemetry dated further ahead of the server's clock is quarantined, ms. Default 120000. */
    maxClockAheadMs: z.coerce.number().int().min(1000).max(86_400_000).optional(),
    /** --write-linger, env AFTERCARE_WRITE_LINGER_MS: how long a durable write waits for others to share it, ms. Default 50. */
    writeLingerMs: z.coerce.number().int().min(0).max(1000).optional(),
    /** --station-check, env STATION_CHECK: registered-sites (default), strict or off (ServerOptions.stationCheck). */
    stationCheck: z.enum(['registered-sites', 'strict', 'off']).optional(),
    /** --max-fields-per-message, env MAX_FIELDS_PER_MESSAGE: a message with more values is refused. Default 512. */
    maxFieldsPerMessage: z.coerce.number().int().min(1).max(512).optional(),
    /** --max-new-fields-per-hour, env MAX_NEW_FIELDS_PER_HOUR: new custom readings per station per hour. Default 100. */
    maxNewFieldsPerHour: z.coerce.number().int().min(0).max(100_000).optional(),
    /** env METRICS_TOKEN or config file: bearer token Prometheus presents at /metrics. Default none. */
    metricsToken: z.string().min(16, 'at least 16 characters').optional(),
    /** --edges-file, env AFTERCARE_EDGES_FILE: the provisioned-edges file the broker watches. Default <dataDir>/provisioned-edges.json. */
    edgesFile: z.string().min(1).optional(),
    /** env AFTERCARE_EDGE_MQTT_URL: the broker URL as gateways reach it, for generated edge configs. Default mqttUrl. */
    edgeMqttUrl: z
      .string()
      .regex(/^(mqtts?|wss?|tcp):\/\//, 'edgeMqttUrl must be an mqtt://, mqtts://, ws:// or wss:// URL')
      .optional(),
    /** env AFTERCARE_EDGE_PROFILES_DIR: where gateways keep the profiles, for generated edge configs. Default: this install's profiles/. */
    edgeProfilesDir: z.string().min(1).optional(),
    /** --no-flows, env AFTERCARE_FLOWS=false: Node-RED at /flows (editor, admin API, flows). Default on. */
    flows: z
      .union([z.boolean(), z.enum(['true', 'false']).transform((text) => text === 'true')])
      .default(true),
    /** --quality-manager, env QUALITY_MANAGER: the username that owns new quality actions. Default admin. */
    qualityManager: z.string().min(1).max(200).optional(),
    /** --quality-due-days, env QUALITY_DUE_DAYS: a quality action is due this many days after it opens. Default 14. */
    qualityDueDays: z.coerce.number().int().min(1).max(365).optional(),
    /** --quality-repeat-days, env QUALITY_REPEAT_DAYS: the same failure again within this many days opens one. Default 30. */
    qualityRepeatDays: z.coerce.number().int().min(1).max(365).optional(),
  })
  .strict();

export type ServerConfig = z.output<typeof serverConfigSchema>;
export type ServerConfigInput = z.input<typeof serverConfigSchema>;

/** The server's environment variables as a config layer (unset and empty ones left out). */
export function serverConfigFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<ServerConfigInput> {
  const pick = (name: string) => (env[name] === undefined || env[name] === '' ? undefined : env[name]);
  return {
    host: pick('HOST'),
    port: pick('PORT'),
    mqttUrl: pick('MQTT_URL'),
    mqttUsername: pick('MQTT_USERNAME'),
    mqttPassword: pick('MQTT_PASSWORD'),
    influxUrl: pick('INFLUX_URL'),
    influxToken: pick('INFLUX_TOKEN'),
    influxOrg: pick('INFLUX_ORG'),
    influxBucket: pick('INFLUX_BUCKET'),
    influxUsername: pick('INFLUX_USERNAME'),
    influxPassword: pick('INFLUX_PASSWORD'),
    influxRawHours: pick('INFLUX_RAW_HOURS'),
    dataDir: pick('DATA_DIR'),
    cluster: pick('AFTERCARE_CLUSTER'),
    partitions: pick('AFTERCARE_PARTITIONS'),
    clusterInstance: pick('AFTERCARE_INSTANCE'),
    redis: pick('REDIS_URL'),
    clusterSettleMs: pick('AFTERCARE_CLUSTER_SETTLE_MS'),
    databaseUrl: pick('DATABASE_URL'),
    accounts: pick('AFTERCARE_ACCOUNTS'),
    notify: pick('AFTERCARE_NOTIFY'),
    authSecret: pick('AUTH_SECRET'),
    mqttCaFile: pick('MQTT_CA_FILE'),
    httpsCertFile: pick('HTTPS_CERT_FILE'),
    httpsKeyFile: pick('HTTPS_KEY_FILE'),
    metricsToken: pick('METRICS_TOKEN'),
    maxClockAheadMs: pick('MAX_CLOCK_AHEAD_MS'),
    writeLingerMs: pick('AFTERCARE_WRITE_LINGER_MS'),
    qualityManager: pick('QUALITY_MANAGER'),
    qualityDueDays: pick('QUALITY_DUE_DAYS'),
    qualityRepeatDays: pick('QUALITY_REPEAT_DAYS'),
    stationCheck: pick('STATION_CHECK') as ServerConfigInput['stationCheck'],
    maxFieldsPerMessage: pick('MAX_FIELDS_PER_MESSAGE'),
    maxNewFieldsPerHour: pick('MAX_NEW_FIELDS_PER_HOUR'),
    edgesFile: pick('AFTERCARE_EDGES_FILE'),
    edgeMqttUrl: pick('AFTERCARE_EDGE_MQTT_URL'),
    edgeProfilesDir: pick('AFTERCARE_EDGE_PROFILES_DIR'),
    flows: pick('AFTERCARE_FLOWS') as 'true' | 'false' | undefined,
  };
}

/** A server config file (YAML or JSON) with the keys of serverConfigSchema. */
export async function loadServerConfigFile(file: string): Promise<Partial<ServerConfigInput>> {
  const kind = { what: 'server config file' };
  const data = (await readConfigFile(file, kind)) ?? {};
  // Checked here so the error names the file; values are converted once all layers are merged.
  validateConfig(serverConfigSchema.partial(), data, file, kind);
  return data as Partial<ServerConfigInput>;
}

/** Merges the layers (earlier wins) and validates; the error names each bad key and value. */
export function resolveServerConfig(...layers: Array<Partial<ServerConfigInput> | undefined>): ServerConfig {
  const merged = mergeOptions<ServerConfigInput>(...layers);
  const result = serverConfigSchema.safeParse(merged);
  if (!result.success) throw new Error(`invalid server options: ${describe(result.error)}`);
  return result.data;
}

/** The notification settings file (`--notify`): the same schema as PUT /api/notifications/settings. */
export function loadNotifySettingsFile(file: string): NotifySettingsInput {
  return loadConfigFileSync(file, notifySettingsSchema, { what: 'notification settings file' });
}

/** A profile file, or every .yaml/.yml/.json in a directory. */
export async function loadProfiles(path: string): Promise<Profile[]> {
  if (/\.(ya?ml|json)$/.test(path)) return [loadProfile(path)];
  const files = (await readdir(path)).filter((name) => /\.(ya?ml|json)$/.test(name)).sort();
  return files.map((name) => loadProfile(join(path, name)));
}

export function toServerOptions(
  config: ServerConfig,
  profiles: Profile[] = [],
  accounts?: Account[],
  notifySettings?: NotifySettingsInput,
): ServerOptions {
  return {
    host: config.host,
    port: config.port,
    mqtt: {
      url: config.mqttUrl,
      username: config.mqttUsername,
      password: config.mqttPassword,
      shareGroup: config.mqttShareGroup,
    },
    influx: config.influxUrl
      ? {
          url: config.influxUrl,
          token: config.influxToken,
          org: config.influxOrg,
          bucket: config.influxBucket,
          username: config.influxUsername,
          password: config.influxPassword,
          ...(config.influxRawHours ? { retention: { rawHours: config.influxRawHours } } : {}),
        }
      : undefined,
    // The same setting keeps raw points that long in the embedded store (roll-ups in telemetry_hourly).
    ...(config.influxRawHours && !config.influxUrl ? { telemetryRawHours: config.influxRawHours } : {}),
    dataDir: config.dataDir,
    ...(config.cluster
      ? {
          cluster: {
            natsUrl: config.cluster,
            partitions: config.partitions,
            ...(config.clusterInstance ? { instance: config.clusterInstance } : {}),
            ...(config.clusterSettleMs !== undefined ? { settleMs: config.clusterSettleMs } : {}),
          },
        }
      : {}),
    ...(config.redis ? { redisUrl: config.redis } : {}),
    staticDir: config.staticDir,
    profiles,
    ...(config.profiles ? { profilesPath: config.profiles } : {}),
    // Without a file the accounts table is left as it is (no file is not an empty file).
    ...(accounts ? { accounts } : {}),
    authSecret: config.authSecret,
    metricsToken: config.metricsToken,
    maxClockAheadMs: config.maxClockAheadMs,
    ...(config.writeLingerMs !== undefined ? { writeLingerMs: config.writeLingerMs } : {}),
    ...(config.stationCheck ? { stationCheck: config.stationCheck } : {}),
    fieldLimits: {
      ...(config.maxFieldsPerMessage !== undefined ? { perMessage: config.maxFieldsPerMessage } : {}),
      ...(config.maxNewFieldsPerHour !== undefined
        ? { newPerStationPerHour: config.maxNewFieldsPerHour }
        : {}),
    },
    service: {
      databaseUrl: config.databaseUrl,
      ...(notifySettings ? { notifySettings } : {}),
      quality: {
        ...(config.qualityManager ? { manager: config.qualityManager } : {}),
        ...(config.qualityDueDays ? { dueDays: config.qualityDueDays } : {}),
        ...(config.qualityRepeatDays ? { repeatWindowDays: config.qualityRepeatDays } : {}),
      },
    },
    flows: config.flows,
    edges: {
      ...(config.edgesFile ? { file: config.edgesFile } : {}),
      ...(config.edgeMqttUrl ? { mqttUrl: config.edgeMqttUrl } : {}),
      ...(config.edgeProfilesDir ? { profilesDir: config.edgeProfilesDir } : {}),
    },
  };
}

function describe(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const key = issue.path.join('.');
      return `${key || '(root)'}: ${issue.message}`;
    })
    .join('; ');
}
