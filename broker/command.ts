import type { Command } from 'commander';
import { z } from 'zod';
import { mergeOptions, onShutdown, readCertificatePair } from '../core/config/component-options.ts';
import { createLogger } from '../core/log.ts';
import { hashSecret } from '../core/secrets.ts';
import { startBroker } from './index.ts';
import {
  DEFAULT_BROKER_HOST,
  DEFAULT_BROKER_PORT,
  DEFAULT_MAX_PACKET_SIZE,
  DEFAULT_MAX_QUEUED_BYTES,
  DEFAULT_MAX_QUEUED_MESSAGES,
} from './options.ts';
import { readPassword } from './read-password.ts';
import { type BrokerFile, loadBrokerFile } from './users-file.ts';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const booleanText = z
  .union([z.boolean(), z.enum(['1', 'true', 'yes', '0', 'false', 'no'])])
  .transform((value) => (typeof value === 'boolean' ? value : ['1', 'true', 'yes'].includes(value)));

/** Options of `aftercare broker`, merged flags > env > users file > defaults. */
const brokerCommandSchema = z.object({
  /** Flag --host, env AFTERCARE_BROKER_HOST. Default 127.0.0.1. */
  host: z.string().min(1).default(DEFAULT_BROKER_HOST),
  /** Flag --port, env MQTT_PORT. Default 1883; 0 picks a free port. */
  port: z.coerce.number().int().min(0).max(65535).default(DEFAULT_BROKER_PORT),
  /** Flag --users, env AFTERCARE_BROKER_USERS. Without it only --allow-anonymous lets anyone in. */
  users: z.string().min(1).optional(),
  /** Flag --data-dir, env AFTERCARE_BROKER_DATA_DIR. Default: none (sessions in memory). */
  dataDir: z.string().min(1).optional(),
  /** Flag --max-packet-size, env AFTERCARE_BROKER_MAX_PACKET_SIZE. Default 262144. */
  maxPacketSize: z.coerce.number().int().min(64).default(DEFAULT_MAX_PACKET_SIZE),
  /** Flag --max-queued-messages, env AFTERCARE_BROKER_MAX_QUEUED_MESSAGES. Default 100000 per client. */
  maxQueuedMessages: z.coerce.number().int().min(1).default(DEFAULT_MAX_QUEUED_MESSAGES),
  /** Flag --max-queued-bytes, env AFTERCARE_BROKER_MAX_QUEUED_BYTES. Default 64 MiB per client. */
  maxQueuedBytes: z.coerce.number().int().min(1024).default(DEFAULT_MAX_QUEUED_BYTES),
  /** Flag --allow-anonymous, env AFTERCARE_BROKER_ALLOW_ANONYMOUS=1. Default false. */
  allowAnonymous: booleanText.default(false),
  /** Flag --log-level, env LOG_LEVEL. Default info. */
  logLevel: z.enum(LOG_LEVELS).default('info'),
  /** Flag --stats-every: seconds between stats lines in the log, 0 for none. Default 60. */
  statsEvery: z.coerce.number().int().min(0).default(60),
  /** Flags --tls-cert and --tls-key (PEM files), env AFTERCARE_BROKER_TLS_CERT/_KEY: serve mqtts. */
  tlsCert: z.string().min(1).optional(),
  tlsKey: z.string().min(1).optional(),
  /** Flag --edges-file, env AFTERCARE_BROKER_EDGES_FILE: the provisioned-edges file the server writes. */
  edgesFile: z.string().min(1).optional(),
});

function describe(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
}

export function registerBrokerCommand(program: Command): void {
  const broker = program
    .command('broker')
    .description(
      'Run the MQTT broker (aedes) alone: per-client users with hashed secrets, topic ACLs per role ' +
        '(edge, server, viewer, admin), a packet size limit and QoS 1 sessions on disk with --data-dir.',
    )
    .option(
      '--host <host>',
      `address to listen on [env: AFTERCARE_BROKER_HOST] (default: ${DEFAULT_BROKER_HOST})`,
    )
    .option(
      '-p, --port <port>',
      `TCP port, 0 for a free one [env: MQTT_PORT] (default: ${DEFAULT_BROKER_PORT})`,
    )
    .option('-u, --users <file>', 'users file (YAML), see broker.example.yaml [env: AFTERCARE_BROKER_USERS]')
    .option(
      '-d, --data-dir <dir>',
      'keep sessions and queued messages on disk here [env: AFTERCARE_BROKER_DATA_DIR]',
    )
    .option(
      '--max-packet-size <bytes>',
      `largest MQTT packet accepted [env: AFTERCARE_BROKER_MAX_PACKET_SIZE] (default: ${DEFAULT_MAX_PACKET_SIZE})`,
    )
    .option(
      '--max-queued-messages <count>',
      `QoS 1 messages kept per client (offline session, slow subscriber); more are left out and counted [env: AFTERCARE_BROKER_MAX_QUEUED_MESSAGES] (default: ${DEFAULT_MAX_QUEUED_MESSAGES})`,
    )
    .option(
      '--max-queued-bytes <bytes>',
      `payload bytes kept per client; more are left out and counted [env: AFTERCARE_BROKER_MAX_QUEUED_BYTES] (default: ${DEFAULT_MAX_QUEUED_BYTES})`,
    )
    .option('--allow-anonymous', 'let clients without credentials in, with full access (development only)')
    .option('--log-level <level>', `${LOG_LEVELS.join(', ')} [env: LOG_LEVEL] (default: info)`)
    .option('--stats-every <seconds>', 'log broker stats this often, 0 for never (default: 60)')
    .option(
      '--tls-cert <file>',
      'serve MQTT over TLS with this PEM certificate [env: AFTERCARE_BROKER_TLS_CERT]',
    )
    .option('--tls-key <file>', 'the PEM private key of --tls-cert [env: AFTERCARE_BROKER_TLS_KEY]')
    .option(
      '--edges-file <file>',
      "edges provisioned through the server's /api/edges, watched and reloaded [env: AFTERCARE_BROKER_EDGES_FILE]",
    )
    .addHelpText(
      'after',
      `
Precedence: flags > environment > settings in the users file > defaults.
Roles: edge publishes and subscribes only under aftercare/v1/{its site}/; server subscribes to all and
publishes only aftercare/v1/{site}/{station}/commands; viewer only subscribes; admin may do anything.
An edge from --edges-file (written by the server) publishes only its own stations' topics.
Refused connects, ACL denials and oversized packets are counted and logged (JSON lines on stderr).

Examples:
  aftercare broker hash-password < secret.txt        # a passwordHash for the users file
  aftercare broker --users broker.yaml --data-dir ./data/broker --port 1883`,
    )
    .action(async (flags: Record<string, string | boolean | undefined>) => {
      const env = process.env;
      const usersPath = (flags.users as string | undefined) ?? (env.AFTERCARE_BROKER_USERS || undefined);
      let file: BrokerFile | undefined;
      if (usersPath) {
        try {
          file = await loadBrokerFile(usersPath);
        } catch (error) {
          program.error((error as Error).message);
        }
      }
      const merged = mergeOptions<Record<string, unknown>>(
        { ...flags, users: usersPath },
        {
          host: env.AFTERCARE_BROKER_HOST || undefined,
          port: env.MQTT_PORT || undefined,
          dataDir: env.AFTERCARE_BROKER_DATA_DIR || undefined,
          maxPacketSize: env.AFTERCARE_BROKER_MAX_PACKET_SIZE || undefined,
          maxQueuedMessages: env.AFTERCARE_BROKER_MAX_QUEUED_MESSAGES || undefined,
          maxQueuedBytes: env.AFTERCARE_BROKER_MAX_QUEUED_BYTES || undefined,
          allowAnonymous: env.AFTERCARE_BROKER_ALLOW_ANONYMOUS || undefined,
          logLevel: env.LOG_LEVEL || undefined,
          tlsCert: env.AFTERCARE_BROKER_TLS_CERT || undefined,
          tlsKey: env.AFTERCARE_BROKER_TLS_KEY || undefined,
          edgesFile: env.AFTERCARE_BROKER_EDGES_FILE || undefined,
        },
        file?.settings,
      );
      const parsed = brokerCommandSchema.safeParse(merged);
      if (!parsed.success) program.error(`aftercare broker: ${describe(parsed.error)}`);
      const options = parsed.data;
      let tls: { cert: Buffer; key: Buffer } | undefined;
      try {
        tls = await readCertificatePair(options.tlsCert, options.tlsKey, '--tls-cert and --tls-key');
      } catch (error) {
        program.error(`aftercare broker: ${(error as Error).message}`);
      }
      const logger = createLogger('broker', options.logLevel);
      const running = await startBroker({
        host: options.host,
        port: options.port,
        users: file?.users,
        allowAnonymous: options.allowAnonymous,
        maxPacketSize: options.maxPacketSize,
        maxQueuedMessages: options.maxQueuedMessages,
        maxQueuedBytes: options.maxQueuedBytes,
        dataDir: options.dataDir,
        logger,
        tls,
        edgesFile: options.edgesFile,
      });
      if (!file && !options.edgesFile && !options.allowAnonymous)
        logger.warn('no --users file and no --allow-anonymous: every client will be refused');
      const timer =
        options.statsEvery > 0
          ? setInterval(
              () => logger.info({ stats: running.stats() }, 'broker stats'),
              options.statsEvery * 1000,
            )
          : undefined;
      timer?.unref();
      onShutdown(async () => {
        if (timer) clearInterval(timer);
        await running.close();
      });
    });

  broker
    .command('hash-password')
    .description(
      'Print a passwordHash (scrypt) for the users file; the password comes from stdin or --password.',
    )
    .option('--password <password>', 'the password (visible in shell history and ps; prefer stdin)')
    .addHelpText(
      'after',
      `
Reads one line from stdin when --password is not given (asks without echo on a terminal).
Example:
  printf '%s' "$EDGE_PASSWORD" | aftercare broker hash-password`,
    )
    .action(async (flags: { password?: string }) => {
      const password = flags.password ?? (await readPassword('password: '));
      if (!password) program.error('aftercare broker hash-password: the password is empty');
      console.log(await hashSecret(password));
    });
}
