import type { Command } from 'commander';
import { z } from 'zod';
import { mergeOptions, onShutdown } from '../core/config/component-options.ts';
import { createLogger } from '../core/log.ts';
import { loadEdgeConfig } from './config.ts';
import { AUTO_FAST_ABOVE, fitEdgeHeapToStations } from './heap-tuning.ts';
import { startEdge } from './index.ts';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Options of `aftercare edge`, merged flags > env > defaults (the config file's own values come last). */
const edgeCommandSchema = z.object({
  /** Path of edge.yaml. Flag --config, env AFTERCARE_EDGE_CONFIG. Required. */
  config: z.string({ error: 'give --config <file> or set AFTERCARE_EDGE_CONFIG' }).min(1),
  /** Overrides mqtt.url of the file. Flag --mqtt-url, env MQTT_URL. */
  mqttUrl: z
    .string()
    .regex(/^(mqtts?|wss?|tcp):\/\//, 'an mqtt:// or mqtts:// URL')
    .optional(),
  /** Flag --log-level, env LOG_LEVEL. Default info. */
  logLevel: z.enum(LOG_LEVELS).default('info'),
  /** Seconds between stats lines in the log (0: none). Flag --stats-every. Default 60. */
  statsEvery: z.coerce.number().int().min(0).default(60),
});

export function registerEdgeCommand(program: Command): void {
  program
    .command('edge')
    .description(
      'Poll Modbus stations (TCP or RTU) as a device profile describes them and publish their values, with ' +
        'quality flags, to MQTT (QoS 1) under aftercare/v1/{site}/{station}/telemetry.',
    )
    .option('-c, --config <file>', 'edge config file (YAML or JSON) [env: AFTERCARE_EDGE_CONFIG]')
    .option('--mqtt-url <url>', 'MQTT broker URL, overrides mqtt.url of the file [env: MQTT_URL]')
    .option('--log-level <level>', `log level: ${LOG_LEVELS.join(', ')} [env: LOG_LEVEL] (default: info)`)
    .option('--stats-every <seconds>', 'log per-station poll stats this often; 0 turns it off (default: 60)')
    .addHelpText(
      'after',
      `
Precedence: flags > environment > config file > defaults. MQTT_USERNAME and MQTT_PASSWORD, when set,
replace mqtt.username and mqtt.password of the file. Logs are JSON lines on stderr.

Example config: edge.example.yaml in the repository. Example:
  aftercare edge --config edge.yaml --mqtt-url mqtt://127.0.0.1:1883`,
    )
    .action(async (flags: Record<string, string | undefined>) => {
      const merged = mergeOptions<Record<string, unknown>>(
        {
          config: flags.config,
          mqttUrl: flags.mqttUrl,
          logLevel: flags.logLevel,
          statsEvery: flags.statsEvery,
        },
        {
          config: process.env.AFTERCARE_EDGE_CONFIG || undefined,
          mqttUrl: process.env.MQTT_URL || undefined,
          logLevel: process.env.LOG_LEVEL || undefined,
        },
      );
      const parsed = edgeCommandSchema.safeParse(merged);
      if (!parsed.success) {
        program.error(
          `aftercare edge: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
        );
      }
      const options = parsed.data;
      const logger = createLogger('edge', options.logLevel);
      let config: ReturnType<typeof loadEdgeConfig>;
      try {
        config = loadEdgeConfig(options.config);
      } catch (error) {
        program.error((error as Error).message);
      }
      if (options.mqttUrl) config.mqtt.url = options.mqttUrl;
      if (process.env.MQTT_USERNAME) config.mqtt.username = process.env.MQTT_USERNAME;
      if (process.env.MQTT_PASSWORD) config.mqtt.password = process.env.MQTT_PASSWORD;
      // The process's V8 settings follow the config (AFTERCARE_EDGE_HEAP=auto), before any station is read.
      if (fitEdgeHeapToStations(config.stations.length)) {
        logger.info(
          { stations: config.stations.length },
          `more than ${AUTO_FAST_ABOVE} stations: hot code may use V8's optimising compiler (AFTERCARE_EDGE_HEAP=auto)`,
        );
      }
      const edge = await startEdge(config, { logger });
      const timer =
        options.statsEvery > 0
          ? setInterval(() => logger.info({ stats: edge.stats() }, 'edge stats'), options.statsEvery * 1000)
          : undefined;
      onShutdown(async () => {
        clearInterval(timer);
        await edge.stop();
      });
    });
}
