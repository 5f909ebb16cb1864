import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { onShutdown } from '../core/config/component-options.ts';
import { createLogger } from '../core/log.ts';
import { type DemoOptions, startDemo } from './demo.ts';

const flagsSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535),
  mqttPort: z.coerce.number().int().min(0).max(65535),
  modbusPort: z.coerce.number().int().min(0).max(65535),
  controlPort: z.coerce.number().int().min(0).max(65535),
  dataDir: z.string().min(1),
  seed: z.coerce.number().int(),
  speed: z.coerce.number().positive().max(100000),
  historyDays: z.coerce.number().int().min(0).max(366),
  flows: z.boolean(),
});

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      "Run the whole platform on embedded defaults: broker, three simulated stations at two customers' sites, an edge agent per site and the server",
    )
    .option('--port <port>', 'HTTP port of the server (env PORT)', process.env.PORT ?? '8080')
    .option('--mqtt-port <port>', 'port of the embedded MQTT broker', '1883')
    .option(
      '--modbus-port <port>',
      'Modbus TCP port of the first simulated station (the others follow)',
      '5020',
    )
    .option('--control-port <port>', 'simulator control API port (aftercare inject talks to it)', '5019')
    .option('--data-dir <dir>', 'state directory (env DATA_DIR)', process.env.DATA_DIR ?? './data')
    .option('--seed <n>', 'simulator seed', '1')
    .option('--speed <n>', 'simulated seconds per real second', '1')
    .option(
      '--history-days <n>',
      'days of simulated history to store before going live (skipped for stations that already have it)',
      '30',
    )
    .option('--no-flows', "do not start Node-RED at /flows (the editor and the engineers' own flows)")
    .addHelpText(
      'after',
      '\nEnvironment: INFLUX_URL (+ INFLUX_TOKEN, INFLUX_ORG, INFLUX_BUCKET) writes telemetry to that InfluxDB;\nDATABASE_URL keeps tickets in that PostgreSQL. Without them everything lives under --data-dir.',
    )
    .action(async (raw: Record<string, string | boolean>) => {
      const flags = flagsSchema.parse(raw);
      const dataDir = resolve(flags.dataDir);
      mkdirSync(dataDir, { recursive: true });
      const options: DemoOptions = {
        ...flags,
        dataDir,
        influxUrl: process.env.INFLUX_URL,
        influxToken: process.env.INFLUX_TOKEN,
        influxOrg: process.env.INFLUX_ORG,
        influxBucket: process.env.INFLUX_BUCKET,
        databaseUrl: process.env.DATABASE_URL,
        internalSecret: randomBytes(18).toString('base64url'),
        logger: createLogger('demo'),
        scenarioDir: join(import.meta.dirname, '..', 'scenarios'),
      };
      const demo = await startDemo(options);
      console.log(demo.banner);
      onShutdown(() => demo.stop());
    });
}
