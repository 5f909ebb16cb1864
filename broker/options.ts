import { z } from 'zod';
import type { Logger } from '../core/log.ts';
import type { BrokerUser } from './users-file.ts';

export const DEFAULT_BROKER_HOST = '127.0.0.1';
export const DEFAULT_BROKER_PORT = 1883;
/** 256 KiB: a telemetry message of a large station is a few KiB. */
export const DEFAULT_MAX_PACKET_SIZE = 256 * 1024;
/** Messages kept for one client (offline session or slow subscriber) before more are left out. */
export const DEFAULT_MAX_QUEUED_MESSAGES = 100_000;
/** Payload bytes kept for one client before more are left out: 64 MiB. */
export const DEFAULT_MAX_QUEUED_BYTES = 64 * 1024 * 1024;
/** MQTT's own ceiling: a 4-byte remaining length plus 5 header bytes. */
export const MQTT_MAX_PACKET_SIZE = 268_435_460;

export interface BrokerOptions {
  /** Address to listen on. Default '127.0.0.1'. */
  host?: string;
  /** TCP port; 0 picks a free one. Default 1883. */
  port?: number;
  /** Who may connect. If undefined (or empty) and allowAnonymous is false, every client is refused. */
  users?: BrokerUser[];
  /** Let clients without credentials in, with full access; for local development only. Default false. */
  allowAnonymous?: boolean;
  /** Largest MQTT packet in bytes (header included); a client sending more is disconnected. Default 256 KiB. */
  maxPacketSize?: number;
  /** Most QoS 1/2 messages kept for one client; more are left out and counted. Default 100,000. */
  maxQueuedMessages?: number;
  /** Most payload bytes kept for one client; more are left out and counted. Default 64 MiB. */
  maxQueuedBytes?: number;
  /** Directory for sessions, queued QoS 1 and retained messages (LevelDB). Default: none, in memory. */
  dataDir?: string;
  /** Structured logger. Default: createLogger('broker'), JSON lines on stderr. */
  logger?: Logger;
  /**
   * The provisioned-edges file the server writes (`aftercare server --edges-file`): edges created
   * through /api/edges, each allowed only its own stations' topics. Watched: new, revoked and rotated
   * edges take effect without a restart. Default: none.
   */
  edgesFile?: string;
  /** Serve MQTT over TLS (mqtts://) with this PEM certificate (chain) and key. Default: plain TCP. */
  tls?: { cert: string | Buffer; key: string | Buffer };
}

/** The plain-value options, validated the same way from code and from the CLI. */
export const brokerSettingsSchema = z.object({
  host: z.string().min(1).default(DEFAULT_BROKER_HOST),
  port: z.number().int().min(0).max(65535).default(DEFAULT_BROKER_PORT),
  allowAnonymous: z.boolean().default(false),
  maxPacketSize: z.number().int().min(64).max(MQTT_MAX_PACKET_SIZE).default(DEFAULT_MAX_PACKET_SIZE),
  maxQueuedMessages: z.number().int().min(1).default(DEFAULT_MAX_QUEUED_MESSAGES),
  maxQueuedBytes: z.number().int().min(1024).default(DEFAULT_MAX_QUEUED_BYTES),
  dataDir: z.string().min(1).optional(),
});

export type BrokerSettings = z.infer<typeof brokerSettingsSchema>;

export function parseBrokerSettings(options: BrokerOptions): BrokerSettings {
  const { host, port, allowAnonymous, maxPacketSize, maxQueuedMessages, maxQueuedBytes, dataDir } = options;
  const result = brokerSettingsSchema.safeParse({
    host,
    port,
    allowAnonymous,
    maxPacketSize,
    maxQueuedMessages,
    maxQueuedBytes,
    dataDir,
  });
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  throw new Error(`invalid broker options: ${problems.join('; ')}`);
}
