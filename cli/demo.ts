import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashSecret, type RunningBroker, startBroker } from '../broker/index.ts';
import type { Logger } from '../core/log.ts';
import { loadProfile } from '../core/profile/load.ts';
import { ensureDashboardsBuilt } from '../dashboards/build.ts';
import { type EdgeStats, parseEdgeConfig, type RunningEdge, startEdge } from '../edge/index.ts';
import { demoAccounts } from '../server/auth/accounts.ts';
import { type RunningServer, startServer } from '../server/index.ts';
import { loadScenario, type RunningSimulator, scenarioFor, startSimulator } from '../simulators/index.ts';
import { backfillHistory, type HistoryResult } from './demo-history.ts';

export const DEMO_SITE = 'demo';
/**
 * The demo's fleet as the seed describes it (server/assets/demo-seed.ts): site `demo` of one customer
 * with st1 and st2, site `riverside` of another with st3, each site behind its own edge agent (an
 * edge publishes for one site) on the same broker.
 */
export const DEMO_FLEET = [
  { site: DEMO_SITE, edgeId: 'demo-edge', stations: ['st1', 'st2'] },
  { site: 'riverside', edgeId: 'demo-edge-riverside', stations: ['st3'] },
] as const;
export const DEMO_STATIONS = DEMO_FLEET.flatMap((group) => group.stations);
/** Spacing of the demo's stored history: 20 simulated minutes (30 days: 2,160 readings per station). */
const HISTORY_EVERY_SECONDS = 1200;
/**
 * The history's last two hours every 15 s: the pump-curve models (minutes of the last hours) have
 * learned the stations' curves when the demo goes live, and judge what happened in them.
 */
const HISTORY_TAIL = { minutes: 120, everySeconds: 15 };
/**
 * What happened in the stored history's last hours, for the pump-curve models to explain when the demo
 * goes live: st1's outlet pressure transmitter spiked for a quarter of an hour (loose wiring) and stopped;
 * Riverside's st3 has had its suction strainer clogging for the last 40 minutes, and still has.
 */
const HISTORY_EVENTS = [
  {
    minutesBeforeEnd: 75,
    act: (simulator: RunningSimulator) => {
      simulator.inject('st1', 'sensor_spike', {
        params: { meaning: 'pressure.outlet', perHour: 40, size: 0.4, seconds: 15 },
      });
    },
  },
  {
    minutesBeforeEnd: 60,
    act: (simulator: RunningSimulator) => {
      simulator.clear('st1', 'sensor_spike');
    },
  },
  {
    minutesBeforeEnd: 40,
    act: (simulator: RunningSimulator) => {
      simulator.inject('st3', 'clogged_strainer', { params: { bar: 0.3 } });
    },
  },
];
const PROFILE_FILE = join(import.meta.dirname, '..', 'profiles', 'booster-3p-380.yaml');

export interface DemoOptions {
  port: number;
  mqttPort: number;
  modbusPort: number;
  controlPort: number;
  dataDir: string;
  seed: number;
  speed: number;
  influxUrl?: string | undefined;
  influxToken?: string | undefined;
  influxOrg?: string | undefined;
  influxBucket?: string | undefined;
  databaseUrl?: string | undefined;
  /** Password of the demo's internal MQTT identities (edge and server); random per start. */
  internalSecret: string;
  scenarioDir: string;
  /** Days of simulated history stored before going live (0: none). Default 0; the CLI's is 30. */
  historyDays?: number;
  /**
   * When the stored history ends, epoch ms. Default now. The simulated demand follows the hour of the
   * day, so what the history's last hours show depends on it: tests pin it to an hour.
   */
  historyEndsAt?: number;
  /** Node-RED at /flows (server option `flows`). Default false; `aftercare demo` turns it on unless --no-flows. */
  flows?: boolean;
  logger: Logger;
}

export interface RunningDemo {
  broker: RunningBroker;
  simulator: RunningSimulator;
  /** One edge agent per site of DEMO_FLEET, in its order. */
  edges: RunningEdge[];
  server: RunningServer;
  /** What a user needs to know, printed at start. */
  banner: string;
  /** Stops everything, the server first, so nothing is left listening. */
  stop(): Promise<void>;
}

/**
 * The one-command demo: the same modules that run as separate processes in production, started in
 * one process and talking over real loopback sockets (Modbus TCP, MQTT, HTTP).
 */
export async function startDemo(options: DemoOptions): Promise<RunningDemo> {
  const { logger } = options;
  const profile = loadProfile(PROFILE_FILE);
  const scenario = loadScenario(join(options.scenarioDir, 'demo.yaml'));
  const internalHash = await hashSecret(options.internalSecret);
  // Edges an admin provisions in the demo: the server writes them here, the broker follows the file.
  const edgesFile = join(options.dataDir, 'provisioned-edges.json');
  const started: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of started.reverse())
      await stop().catch((error) => logger.error({ err: error }, 'stop failed'));
  };
  try {
    const broker = await startBroker({
      port: options.mqttPort,
      dataDir: join(options.dataDir, 'broker'),
      users: [
        ...DEMO_FLEET.map(({ edgeId, site }) => ({
          username: edgeId,
          passwordHash: internalHash,
          role: 'edge' as const,
          site,
        })),
        { username: 'demo-server', passwordHash: internalHash, role: 'server' },
        { username: 'viewer', passwordHash: await hashSecret('viewer'), role: 'viewer' },
      ],
      edgesFile,
      logger: logger.child({ component: 'broker' }),
    });
    started.push(() => broker.close());

    const historyDays = options.historyDays ?? 0;
    // With history the stations start that many days ago, frozen until the past is stored.
    const startTime = (options.historyEndsAt ?? Date.now()) - historyDays * 86_400_000;
    const simulator = await startSimulator({
      startTime,
      profile,
      stations: DEMO_STATIONS.map((id, i) => ({
        id,
        // Port 0 lets each station pick a free port (tests); otherwise they follow the first one.
        port: options.modbusPort === 0 ? 0 : options.modbusPort + i,
        scenario: scenarioFor(scenario, id),
      })),
      controlPort: options.controlPort,
      seed: options.seed,
      speed: historyDays > 0 ? 0 : options.speed,
      logger: logger.child({ component: 'simulator' }),
    });
    started.push(() => simulator.stop());

    // Simulated history is not held to the live poll plan: completeness counts from go-live.
    const liveSinceFile = join(options.dataDir, 'demo-live-since.json');
    let pollingSince = readLiveSince(liveSinceFile);
    const staticDir = await ensureDashboardsBuilt(logger.child({ component: 'dashboards' }));
    // The edges start after the server; their counters appear in /api/system once they run.
    let edgeStats: (() => object) | undefined;
    const server = await startServer({
      port: options.port,
      mqtt: { url: broker.url, username: 'demo-server', password: options.internalSecret },
      influx: options.influxUrl
        ? {
            url: options.influxUrl,
            token: options.influxToken,
            org: options.influxOrg,
            bucket: options.influxBucket,
          }
        : undefined,
      dataDir: options.dataDir,
      profiles: [profile],
      accounts: await demoAccounts(),
      accountsSource: 'demo',
      service: { seedDemo: true, databaseUrl: options.databaseUrl },
      staticDir,
      simulatorControlUrl: simulator.controlUrl,
      brokerStats: () => broker.stats(),
      edgeStats: () => edgeStats?.() ?? {},
      pollingSince: () => pollingSince,
      edges: { file: edgesFile },
      flows: options.flows ?? false,
      logger: logger.child({ component: 'server' }),
    });
    started.push(() => server.stop());

    let history: HistoryResult | undefined;
    if (historyDays > 0) {
      history = await backfillHistory({
        simulator,
        server,
        fleet: DEMO_FLEET,
        model: profile.model,
        startTime,
        days: historyDays,
        everySeconds: HISTORY_EVERY_SECONDS,
        tail: HISTORY_TAIL,
        events: HISTORY_EVENTS,
        logger: logger.child({ component: 'history' }),
      });
      if (history.messages > 0 && pollingSince === undefined) {
        pollingSince = startTime + historyDays * 86_400_000;
        writeFileSync(liveSinceFile, JSON.stringify({ liveSince: new Date(pollingSince).toISOString() }));
      }
      simulator.setSpeed(options.speed);
    }

    const edges: RunningEdge[] = [];
    for (const { edgeId, site, stations } of DEMO_FLEET) {
      const edgeConfig = parseEdgeConfig({
        edgeId,
        site,
        mqtt: { url: broker.url, username: edgeId, password: options.internalSecret },
        stations: stations.map((id) => ({
          id,
          profile,
          tcp: { host: simulator.host, port: simulator.ports[id] },
        })),
      });
      const edge = await startEdge(edgeConfig, {
        logger: logger.child({ component: 'edge', edge: edgeId }),
        waitForBrokerMs: 5000,
      });
      started.push(() => edge.stop());
      edges.push(edge);
    }
    edgeStats = () => mergeEdgeStats(edges.map((edge) => edge.stats()));

    const banner = [
      '',
      'Aftercare demo is running',
      `  dashboard     ${server.url}/`,
      `  HTTP API      ${server.url}/api/stations   (OpenAPI: ${server.url}/api/openapi.json, metrics: ${server.url}/metrics)`,
      `                bearer token from POST ${server.url}/api/auth/login {"username":"operator","password":"operator"}`,
      `  MQTT broker   ${broker.url}   read-only user viewer / viewer`,
      `                mosquitto_sub -h 127.0.0.1 -p ${broker.port} -u viewer -P viewer -t 'aftercare/v1/#' -v`,
      `  Modbus TCP    ${DEMO_STATIONS.map((id) => `${id} ${simulator.host}:${simulator.ports[id]}`).join(', ')}`,
      `  sites         ${DEMO_FLEET.map(({ site, edgeId, stations }) => `${site} (${stations.join(', ')}; edge ${edgeId})`).join(', ')}`,
      `  simulator     ${simulator.controlUrl}   e.g. aftercare inject st1 pump_trip --pump 1`,
      server.flows
        ? `  flows         ${server.url}/flows/   Node-RED, sign in as engineer/engineer or admin/admin`
        : '  flows         off (--no-flows)',
      '  accounts      operator/operator, service/service, engineer/engineer, admin/admin (demo only)',
      `                customer/customer: the portal at ${server.url}/#/portal of Demo Water Supply Co. (st1, st2)`,
      `  telemetry     ${options.influxUrl ? `InfluxDB at ${options.influxUrl}` : `embedded PGlite under ${options.dataDir}`}`,
      `  speed         ${options.speed} simulated s per real s, seed ${options.seed}`,
      history
        ? `  history       ${historyDays} simulated day${historyDays === 1 ? '' : 's'} stored before going live (${history.messages} readings in ${(history.ms / 1000).toFixed(1)} s${history.skipped.length ? `; ${history.skipped.join(', ')} already had it` : ''})`
        : '  history       none (--history-days 0)',
      'Ctrl-C stops everything.',
      '',
    ].join('\n');
    return { broker, simulator, edges, server, banner, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * The demo's edges seen as one in /api/system (as with a single edge): stations side by side,
 * counters summed, a flag true only when it is true on every edge. Pure.
 */
export function mergeEdgeStats(all: readonly EdgeStats[]): EdgeStats | Record<string, never> {
  const [first, ...rest] = all;
  if (!first) return {};
  const sum = <T extends object>(a: T, b: T): T =>
    Object.fromEntries(
      Object.entries(a).map(([key, value]) => {
        const other = (b as Record<string, unknown>)[key];
        if (typeof value === 'number' && typeof other === 'number') return [key, value + other];
        if (typeof value === 'boolean' && typeof other === 'boolean') return [key, value && other];
        return [key, value];
      }),
    ) as T;
  return rest.reduce<EdgeStats>(
    (merged, next) => ({
      stations: { ...merged.stations, ...next.stations },
      mqtt: sum(merged.mqtt, next.mqtt),
      totals: sum(merged.totals, next.totals),
      polling: {
        ...sum(merged.polling, next.polling),
        // Stretched when any edge is; each edge plans the same classes, the first one's stand for both.
        stretched: merged.polling.stretched || next.polling.stretched,
      },
    }),
    first,
  );
}

/** When a previous start of this demo went live after storing its simulated history, if one did. */
function readLiveSince(file: string): number | undefined {
  try {
    const at = Date.parse((JSON.parse(readFileSync(file, 'utf8')) as { liveSince?: string }).liveSince ?? '');
    return Number.isFinite(at) ? at : undefined;
  } catch {
    return undefined;
  }
}
