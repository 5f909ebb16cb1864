import { readFile } from 'node:fs/promises';
import { type Logger, silentLogger } from '../core/log.ts';
import type { StationState } from '../core/telemetry/payloads.ts';
import { AFTERCARE_VERSION } from '../core/version.ts';
import { listenForCommands } from './command-listener.ts';
import { defaultMaxInFlight, type EdgeConfig, type StationConfig, stationSettings } from './config.ts';
import type { ModbusSource } from './modbus-source.ts';
import { PollGovernor, type PollingSnapshot } from './poll-governor.ts';
import { Publisher, type PublisherStats } from './publisher.ts';
import { createRtuLine, type RtuLine } from './rtu-line.ts';
import { StationPoller, type StationStats } from './station-poller.ts';
import { LevelSpool } from './store-forward/spool.ts';
import { writeTagValue } from './tag-writer.ts';
import { TcpGateways } from './tcp-gateways.ts';
import { createTcpSource } from './tcp-source.ts';

export type { EdgeConfig } from './config.ts';
export { loadEdgeConfig, parseEdgeConfig } from './config.ts';

export interface StartEdgeOptions {
  /** Default: a logger that writes nothing. */
  logger?: Logger;
  /** Wait up to this long for the first MQTT connection before resolving (0: do not wait). Default 0. */
  waitForBrokerMs?: number;
  /** Extra CPU time burnt per poll cycle, ms: an edge short of CPU, for tests and benches. Default 0. */
  burnMsPerCycle?: number | (() => number);
}

export interface EdgeStationStats extends StationStats {
  /** Telemetry messages handed to MQTT for this station. */
  published: number;
  /** Source timestamp of the last one (ms since the epoch), 0 before the first. */
  lastPublishTs: number;
}

export interface EdgeStats {
  stations: Record<string, EdgeStationStats>;
  /** The poll plan per class, planned against aimed at and achieved, and how often it was stretched. */
  polling: PollingSnapshot;
  mqtt: Omit<PublisherStats, 'stations'>;
  totals: {
    cycles: number;
    reads: number;
    readErrors: number;
    timeouts: number;
    exceptions: number;
    published: number;
    missedCycles: number;
    deferredCycles: number;
  };
}

export interface RunningEdge {
  /** Publishes the offline status, ends the poll loops and closes every socket and port. */
  stop(): Promise<void>;
  stats(): EdgeStats;
  /** Writes an engineering value (a set point) by tag meaning, through the station's request queue. */
  writeTag(stationId: string, meaning: string, value: number | boolean): Promise<void>;
}

/**
 * Starts one poll loop per station (each with its own connection, or its unit on a shared serial
 * line) and the MQTT publisher. One station's IO is never awaited by another's.
 */
export async function startEdge(config: EdgeConfig, options: StartEdgeOptions = {}): Promise<RunningEdge> {
  const logger = options.logger ?? silentLogger();
  const initial = Object.fromEntries(config.stations.map((s) => [s.id, 'ok' as StationState]));
  const { dir: spoolDir, ...spoolOptions } = config.spool;
  const storeForward = {
    ...spoolOptions,
    maxInFlight: spoolOptions.maxInFlight ?? defaultMaxInFlight(config),
  };
  const { caFile, ...mqtt } = config.mqtt;
  let ca: Buffer | undefined;
  try {
    ca = caFile ? await readFile(caFile) : undefined;
  } catch (error) {
    throw new Error(`edge config mqtt.caFile: cannot read ${caFile}: ${(error as Error).message}`);
  }
  const publisher = new Publisher(
    {
      ...mqtt,
      ...(ca ? { ca } : {}),
      site: config.site,
      edgeId: config.edgeId,
      version: AFTERCARE_VERSION,
      spool: spoolDir ? new LevelSpool(spoolDir) : undefined,
      storeForward,
      logger: logger.child({ part: 'mqtt' }),
    },
    initial,
  );
  try {
    await publisher.open();
  } catch (error) {
    await publisher.stop(0);
    throw new Error(`edge spool ${spoolDir} cannot be opened: ${(error as Error).message}`);
  }
  const governor = new PollGovernor({
    planned: config.pollClasses,
    windowMs: config.overload.windowMs,
    maxStretch: config.overload.stretch ? config.overload.maxStretch : 1,
    pressure: () => publisher.pressure(config.overload.maxQueued),
    onChange: (snapshot) => {
      const classes = Object.entries(snapshot.classes).map(
        ([c, k]) =>
          `${c} ${k.plannedMs} -> ${k.targetMs} ms (read every ${k.actualMs ?? '?'} ms, ${k.lagMs} ms late)`,
      );
      logger.warn(
        { polling: snapshot },
        snapshot.stretched
          ? `edge cannot keep its poll plan: intervals stretched: ${classes.join('; ')}`
          : 'edge keeps its poll plan again',
      );
      publisher.setPolling({
        stretched: snapshot.stretched,
        classes: Object.fromEntries(
          Object.entries(snapshot.classes).map(([c, k]) => [
            c,
            { plannedMs: k.plannedMs, targetMs: k.targetMs, actualMs: k.actualMs, lagMs: k.lagMs },
          ]),
        ),
      });
    },
  });
  const lines = new Map<string, RtuLine>();
  const gateways = new TcpGateways(config, logger);
  const stations = new Map<string, { config: StationConfig; source: ModbusSource; poller: StationPoller }>();

  for (const [index, station] of config.stations.entries()) {
    const settings = stationSettings(config, station);
    const source = createSource(station, settings, lines, gateways, logger);
    const poller = new StationPoller({
      stationId: station.id,
      profile: station.profile,
      source,
      settings,
      quality: config.quality,
      phaseMs: config.spreadPolls
        ? Math.floor((settings.intervals.fast * index) / config.stations.length)
        : 0,
      governor,
      ...(options.burnMsPerCycle ? { burnMsPerCycle: options.burnMsPerCycle } : {}),
      onReadings: (readings) => publisher.publishReadings(readings),
      onEvent: (event) => publisher.publishEvent(station.id, event),
      onStateChange: (state) => {
        logger.info({ station: station.id, state }, 'station state changed');
        publisher.setStationState(station.id, state);
      },
      logger: logger.child({ station: station.id }),
    });
    stations.set(station.id, { config: station, source, poller });
  }
  if (options.waitForBrokerMs) {
    try {
      await publisher.waitConnected(options.waitForBrokerMs);
    } catch (error) {
      await publisher.stop(0);
      throw error;
    }
  }
  listenForCommands({
    publisher,
    site: config.site,
    edgeId: config.edgeId,
    stations,
    logger: logger.child({ part: 'commands' }),
  });
  for (const { poller } of stations.values()) poller.start();
  logger.info({ edge: config.edgeId, site: config.site, stations: stations.size }, 'edge started');

  let stopping: Promise<void> | undefined;
  return {
    stop() {
      stopping ??= (async () => {
        await Promise.all([...stations.values()].map(({ poller }) => poller.stop()));
        await Promise.all([...stations.values()].map(({ source }) => source.close()));
        await Promise.all([...lines.values()].map((line) => line.close()));
        await gateways.close();
        await publisher.stop();
        logger.info({ edge: config.edgeId }, 'edge stopped');
      })();
      return stopping;
    },
    stats() {
      return { ...collectStats(stations, publisher), polling: governor.snapshot() };
    },
    async writeTag(stationId, meaning, value) {
      const station = stations.get(stationId);
      if (!station) throw new Error(`no station "${stationId}" on edge ${config.edgeId}`);
      await writeTagValue(station.config.profile, station.source, meaning, value);
      logger.info({ station: stationId, meaning, value }, 'tag written');
    },
  };
}

function createSource(
  station: StationConfig,
  settings: ReturnType<typeof stationSettings>,
  lines: Map<string, RtuLine>,
  gateways: TcpGateways,
  logger: Logger,
): ModbusSource {
  if (station.tcp) {
    const { shareConnection, ...tcp } = station.tcp;
    const link = shareConnection ? gateways.linkFor(tcp.host, tcp.port, settings) : undefined;
    return createTcpSource({
      ...tcp,
      ...settings,
      ...(link ? { link } : {}),
      logger: logger.child({ station: station.id }),
    });
  }
  const rtu = station.rtu!;
  let line = lines.get(rtu.path);
  if (!line) {
    // The first station on a path sets the line's timing; config validation keeps line settings equal.
    line = createRtuLine({ ...rtu, ...settings, logger: logger.child({ line: rtu.path }) });
    lines.set(rtu.path, line);
  }
  return line.arbiter.sourceFor(rtu.unitId);
}

function collectStats(
  stations: Map<string, { poller: StationPoller }>,
  publisher: Publisher,
): Omit<EdgeStats, 'polling'> {
  const { stations: published, ...mqtt } = publisher.stats();
  const result: Omit<EdgeStats, 'polling'> = {
    stations: {},
    mqtt,
    totals: {
      cycles: 0,
      reads: 0,
      readErrors: 0,
      timeouts: 0,
      exceptions: 0,
      published: 0,
      missedCycles: 0,
      deferredCycles: 0,
    },
  };
  for (const [id, { poller }] of stations) {
    const s = poller.stats();
    const p = published[id] ?? { published: 0, lastPublishTs: 0 };
    result.stations[id] = { ...s, ...p };
    result.totals.cycles += s.cycles;
    result.totals.reads += s.reads;
    result.totals.readErrors += s.readErrors;
    result.totals.timeouts += s.timeouts;
    result.totals.exceptions += Object.values(s.exceptions).reduce((a, b) => a + b, 0);
    result.totals.published += p.published;
    result.totals.missedCycles += s.missedCycles;
    result.totals.deferredCycles += s.deferredCycles;
  }
  return result;
}
