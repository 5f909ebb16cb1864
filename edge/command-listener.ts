import { commandMessageSchema } from '../core/commands/payloads.ts';
import type { Logger } from '../core/log.ts';
import type { Profile } from '../core/profile/schema.ts';
import { runCommand } from './command-runner.ts';
import type { ModbusSource } from './modbus-source.ts';
import type { Publisher } from './publisher.ts';

export interface CommandListenerOptions {
  publisher: Pick<Publisher, 'onCommands' | 'publishCommandResult'>;
  site: string;
  edgeId: string;
  stations: ReadonlyMap<string, { config: { profile: Profile }; source: ModbusSource }>;
  logger: Logger;
  clock?: () => number;
}

/** Ids remembered to drop a QoS 1 redelivery of a command already run. */
const REMEMBERED_IDS = 500;

/**
 * Takes remote commands off MQTT, one at a time per station (a second waits for the first's
 * read-back), and publishes each result. A payload that fails its schema is logged and dropped: it
 * names no command to answer.
 */
export function listenForCommands(options: CommandListenerOptions): void {
  const { logger } = options;
  const queues = new Map<string, Promise<void>>();
  const seen: string[] = [];
  options.publisher.onCommands([...options.stations.keys()], (topic, payload) => {
    let data: unknown;
    try {
      data = JSON.parse(payload.toString('utf8'));
    } catch {
      data = undefined;
    }
    const parsed = commandMessageSchema.safeParse(data);
    if (!parsed.success || topic.split('/')[3] !== parsed.data.station) {
      logger.warn({ topic, err: parsed.error?.message ?? 'station differs from topic' }, 'command dropped');
      return;
    }
    const command = parsed.data;
    if (seen.includes(command.id)) return;
    seen.push(command.id);
    if (seen.length > REMEMBERED_IDS) seen.shift();
    logger.info(
      { id: command.id, station: command.station, kind: command.kind, by: command.by },
      'command received',
    );
    const run = async () => {
      const result = await runCommand(command, {
        site: options.site,
        edgeId: options.edgeId,
        station: (id) => {
          const station = options.stations.get(id);
          return station ? { profile: station.config.profile, source: station.source } : undefined;
        },
        ...(options.clock ? { clock: options.clock } : {}),
      });
      logger.info(
        { id: command.id, status: result.status, code: result.code, detail: result.detail },
        'command done',
      );
      options.publisher.publishCommandResult(result);
    };
    const next = (queues.get(command.station) ?? Promise.resolve())
      .then(run)
      .catch((error: unknown) => logger.error({ err: error, id: command.id }, 'command failed'));
    queues.set(command.station, next);
  });
}
