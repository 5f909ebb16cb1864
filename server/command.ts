import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { onShutdown, readCertificatePair } from '../core/config/component-options.ts';
import { createLogger } from '../core/log.ts';
import { checkAccountsFilePasswords, loadAccountsFile } from './auth/accounts.ts';
import {
  loadNotifySettingsFile,
  loadProfiles,
  loadServerConfigFile,
  resolveServerConfig,
  type ServerConfigInput,
  serverConfigFromEnv,
  toServerOptions,
} from './config.ts';
import { startServer } from './index.ts';

interface ServerFlags {
  config?: string;
  qualityManager?: string;
  qualityDueDays?: string;
  qualityRepeatDays?: string;
  host?: string;
  port?: string;
  mqttUrl?: string;
  mqttUsername?: string;
  mqttShareGroup?: string;
  cluster?: string;
  partitions?: string;
  clusterInstance?: string;
  redis?: string;
  clusterSettle?: string;
  mqttCaFile?: string;
  httpsCert?: string;
  httpsKey?: string;
  influxUrl?: string;
  influxOrg?: string;
  influxBucket?: string;
  influxUsername?: string;
  dataDir?: string;
  staticDir?: string;
  profiles?: string;
  accounts?: string;
  notify?: string;
  maxClockAhead?: string;
  writeLinger?: string;
  stationCheck?: string;
  maxFieldsPerMessage?: string;
  maxNewFieldsPerHour?: string;
  edgesFile?: string;
  /** false with --no-flows; commander leaves it true otherwise (then env and file decide). */
  flows?: boolean;
}

export function registerServerCommand(program: Command): void {
  program
    .command('server')
    .description(
      'Run the server: ingest telemetry from MQTT, store it (InfluxDB or embedded PGlite), and serve the HTTP API, ' +
        'Prometheus /metrics and socket.io live updates',
    )
    .option(
      '-c, --config <file>',
      'config file (YAML or JSON) with the keys below in camelCase, e.g. mqttUrl',
    )
    .option('--host <host>', 'address to listen on [env: HOST] (default: 127.0.0.1)')
    .option(
      '--max-clock-ahead <ms>',
      "quarantine telemetry dated further ahead of the server's clock [env: MAX_CLOCK_AHEAD_MS] (default: 120000)",
    )
    .option(
      '--write-linger <ms>',
      'a durable write waits up to this long for other messages to share it (0: each at once) [env: AFTERCARE_WRITE_LINGER_MS] (default: 50)',
    )
    .option(
      '--station-check <mode>',
      'accept telemetry of: registered-sites (a site with registered stations only those, on their edge), strict (registered stations only) or off [env: STATION_CHECK] (default: registered-sites)',
    )
    .option(
      '--max-fields-per-message <n>',
      'refuse a telemetry message with more values [env: MAX_FIELDS_PER_MESSAGE] (default: 512)',
    )
    .option(
      '--max-new-fields-per-hour <n>',
      'new custom readings a station may add in an hour; the rest are dropped and counted [env: MAX_NEW_FIELDS_PER_HOUR] (default: 100)',
    )
    .option('-p, --port <port>', 'HTTP port, 0 for a free one [env: PORT] (default: 8080)')
    .option('--mqtt-url <url>', 'MQTT broker [env: MQTT_URL] (default: mqtt://127.0.0.1:1883)')
    .option(
      '--mqtt-username <name>',
      'MQTT user [env: MQTT_USERNAME]; the password only from env MQTT_PASSWORD',
    )
    .option('--https-cert <file>', 'serve HTTPS with this PEM certificate [env: HTTPS_CERT_FILE]')
    .option('--https-key <file>', 'the PEM private key of --https-cert [env: HTTPS_KEY_FILE]')
    .option('--mqtt-ca-file <file>', 'PEM CA of an mqtts:// broker [env: MQTT_CA_FILE] (default: system CAs)')
    .option(
      '--mqtt-share-group <group>',
      'share telemetry subscriptions ($share/<group>/) with other instances',
    )
    .option(
      '--cluster <nats-url>',
      "scale-out: ingest from NATS JetStream partitions leased to one instance at a time; --mqtt-url names nats-server's MQTT listener [env: AFTERCARE_CLUSTER]",
    )
    .option(
      '--partitions <n>',
      'partitions of the nats-server subject mapping (the same on every instance) [env: AFTERCARE_PARTITIONS] (default: 12)',
    )
    .option(
      '--cluster-instance <name>',
      "this instance's lease name [env: AFTERCARE_INSTANCE] (default: <hostname>-<pid>)",
    )
    .option(
      '--cluster-settle <ms>',
      'wait after joining before claiming partitions, so instances started together split them [env: AFTERCARE_CLUSTER_SETTLE_MS] (default: 3000)',
    )
    .option(
      '--redis <url>',
      "socket.io Redis adapter: dashboards see every instance's updates [env: REDIS_URL]",
    )
    .option('--influx-url <url>', 'InfluxDB 1.x, 2.x or 3.x [env: INFLUX_URL] (default: embedded PGlite)')
    .option('--influx-org <org>', 'InfluxDB 2.x organization [env: INFLUX_ORG]')
    .option('--influx-bucket <name>', 'bucket or 1.x database [env: INFLUX_BUCKET] (default: aftercare)')
    .option(
      '--influx-username <name>',
      'InfluxDB 1.x user [env: INFLUX_USERNAME]; password from INFLUX_PASSWORD',
    )
    .option(
      '-d, --data-dir <dir>',
      'state directory; PGlite telemetry in <dir>/telemetry [env: DATA_DIR] (default: ./data)',
    )
    .option('--static-dir <dir>', 'serve this directory at / (the dashboards)')
    .option(
      '--profiles <path>',
      'device profile file or directory (units, enumerations, vendor codes); watched: changes apply without a restart',
    )
    .option('--accounts <file>', 'accounts file (YAML) of who may sign in [env: AFTERCARE_ACCOUNTS]')
    .option(
      '--notify <file>',
      'notification settings (YAML or JSON): SMTP, robots, SMS gateway, teams and rota, chains [env: AFTERCARE_NOTIFY]',
    )
    .option(
      '--edges-file <file>',
      'provisioned-edges file for the broker [env: AFTERCARE_EDGES_FILE] (default: <data-dir>/provisioned-edges.json)',
    )
    .option('--no-flows', 'do not start Node-RED at /flows [env: AFTERCARE_FLOWS=false] (default: on)')
    .option(
      '--quality-manager <user>',
      'username that owns new quality actions [env: QUALITY_MANAGER] (default: admin)',
    )
    .option(
      '--quality-due-days <n>',
      'a quality action is due this many days after it opens [env: QUALITY_DUE_DAYS] (default: 14)',
    )
    .option(
      '--quality-repeat-days <n>',
      'the same failure on the same pump within this many days opens a quality action [env: QUALITY_REPEAT_DAYS] (default: 30)',
    )
    .addHelpText(
      'after',
      `
Precedence: flags > environment > config file > defaults.
DATABASE_URL keeps assets, alarms and tickets in PostgreSQL (default: PGlite under the data dir).
Generated edge configs use AFTERCARE_EDGE_MQTT_URL (default: the MQTT URL) and AFTERCARE_EDGE_PROFILES_DIR.
Secrets (MQTT_PASSWORD, INFLUX_TOKEN, INFLUX_PASSWORD, AUTH_SECRET) come from the environment or the config file,
never from flags, which other users can see in the process list.

Examples:
  aftercare server --mqtt-url mqtt://broker.local:1883 --port 8080
  INFLUX_URL=http://127.0.0.1:8086 INFLUX_TOKEN=... INFLUX_ORG=ops aftercare server
  aftercare server --config server.yaml`,
    )
    .action(async (flags: ServerFlags) => {
      const logger = createLogger('server');
      const {
        config: configFile,
        httpsCert,
        httpsKey,
        maxClockAhead,
        writeLinger,
        flows,
        clusterSettle,
        ...flagRest
      } = flags;
      const flagLayer = {
        ...flagRest,
        httpsCertFile: httpsCert,
        httpsKeyFile: httpsKey,
        maxClockAheadMs: maxClockAhead,
        writeLingerMs: writeLinger,
        clusterSettleMs: clusterSettle,
        // Commander sets `flows: true` when the flag is absent: only the explicit --no-flows is a flag value.
        ...(flows === false ? { flows: false } : {}),
      };
      const fileLayer = configFile ? await loadServerConfigFile(configFile) : undefined;
      const config = resolveServerConfig(
        flagLayer as Partial<ServerConfigInput>,
        serverConfigFromEnv(),
        fileLayer,
      );
      const profiles = config.profiles ? await loadProfiles(config.profiles) : [];
      const accounts = config.accounts ? loadAccountsFile(config.accounts) : undefined;
      if (config.accounts && accounts) await checkAccountsFilePasswords(config.accounts, accounts);
      if (!accounts)
        logger.warn(
          'no accounts file (--accounts): only accounts already in the database can sign in (aftercare accounts add)',
        );
      const notifySettings = config.notify ? loadNotifySettingsFile(config.notify) : undefined;
      const options = toServerOptions(config, profiles, accounts, notifySettings);
      if (config.mqttCaFile) options.mqtt.ca = await readFile(config.mqttCaFile);
      options.https = await readCertificatePair(
        config.httpsCertFile,
        config.httpsKeyFile,
        '--https-cert and --https-key',
      );
      const server = await startServer({ ...options, logger });
      logger.info({ url: server.url, store: server.store.kind }, 'aftercare server ready');
      onShutdown(() => server.stop());
    });
}
