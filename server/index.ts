import { createServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Express } from 'express';
import { createLogger } from '../core/log.ts';
import { PACKAGE_ROOT } from '../core/package-root.ts';
import { parseCommandTopic } from '../core/telemetry/topics.ts';
import { acceptanceRoutes } from './assets/acceptance-routes.ts';
import { AcceptanceStore } from './assets/acceptance-store.ts';
import { accountRoutes } from './auth/account-routes.ts';
import { seedAccounts } from './auth/account-seed.ts';
import { type AccountStore, DbAccountStore } from './auth/account-store.ts';
import { authRoutes, bearerAuth } from './auth/auth-routes.ts';
import { refreshLiveUser, tokenLiveAuthorize } from './auth/live-auth.ts';
import { MemoryAccountStore } from './auth/memory-account-store.ts';
import { SessionGate } from './auth/session-gate.ts';
import { passwordSignIn } from './auth/sign-in.ts';
import { TokenIssuer } from './auth/tokens.ts';
import { type ClusterIngest, startClusterIngest } from './cluster/cluster-ingest.ts';
import { connectRedisLiveAdapter } from './cluster/redis-live-adapter.ts';
import { commandRoutes } from './commands/command-routes.ts';
import { CommandService } from './commands/command-service.ts';
import { type EdgeService, startEdgeService } from './edges/edge-service.ts';
import { customerExportRoutes } from './export/customer-export-routes.ts';
import type { RunningFlows } from './flows/embed.ts';
import { isFlowsPath } from './flows/flows-path.ts';
import { createApiApp } from './http/app.ts';
import { createServerMetrics, renderMetrics } from './http/metrics.ts';
import { simulatorProxy } from './http/simulator-proxy.ts';
import { systemRoutes } from './http/system-routes.ts';
import type { LatestValues } from './ingest/latest-values.ts';
import { createIngestPipeline } from './ingest/pipeline.ts';
import { serverClientId } from './ingest/server-client-id.ts';
import { StationHub } from './ingest/station-hub.ts';
import { StationRegistry } from './ingest/station-registry.ts';
import { redactUrl, startMqttSubscriber } from './ingest/subscriber.ts';
import { attachLiveUpdates, type LiveServer } from './live/live-updates.ts';
import { maintenanceRoutes } from './maintenance/maintenance-routes.ts';
import { MaintenanceScheduler } from './maintenance/maintenance-scheduler.ts';
import { MaintenanceStore } from './maintenance/maintenance-store.ts';
import { SERVER_DEFAULTS, type ServerOptions } from './options.ts';
import { HealthModelSnapshots } from './predictive/model-snapshots.ts';
import { predictiveRoutes } from './predictive/predictive-routes.ts';
import { PredictiveShell } from './predictive/predictive-shell.ts';
import { ProfileRegistry } from './profiles/profile-registry.ts';
import { profileRoutes } from './profiles/profile-routes.ts';
import { type ProfileWatcher, watchProfiles } from './profiles/profile-watcher.ts';
import { type ServiceLayer, startServiceLayer } from './service-layer.ts';
import { openTelemetryStore } from './telemetry/open-store.ts';
import type { TelemetryStore } from './telemetry/telemetry-store.ts';

export type { ServerOptions } from './options.ts';

export interface RunningServer {
  /** http://host:port of the API, dashboards and socket.io. */
  url: string;
  port: number;
  httpServer: HttpServer;
  /** The express app behind httpServer (its routes, for the role-matrix test). */
  app: Express;
  io: LiveServer;
  store: TelemetryStore;
  latest: LatestValues;
  /** Alarms, tickets and SLA clocks (undefined when turned off). */
  service: ServiceLayer | undefined;
  /** Health indicators, predictions and predictive tickets (undefined without the service layer). */
  predictive: PredictiveShell | undefined;
  tokens: TokenIssuer;
  /** The device profiles in use (reloaded from `profilesPath` when given). */
  profiles: ProfileRegistry;
  /** Follows `profilesPath` (undefined without it). */
  profileWatcher: ProfileWatcher | undefined;
  /** Accounts and sign-in sessions (the service database, or memory without it). */
  accounts: AccountStore;
  /** Node-RED at /flows (undefined when off). */
  flows: RunningFlows | undefined;
  /** Prometheus text, as /metrics serves it. */
  metrics(): Promise<string>;
  /** Stops ingest, flushes the store, closes sockets and the HTTP server. */
  stop(): Promise<void>;
}

const VERSION = '0.1.0';

/** Starts ingest, the telemetry store, the HTTP API and the live stream. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const logger = options.logger ?? createLogger('server');
  const metrics = createServerMetrics();
  const store = await openTelemetryStore({
    influx: options.influx,
    dataDir: options.dataDir,
    ...(options.telemetryRawHours ? { rawHours: options.telemetryRawHours } : {}),
    logger,
    observer: metrics.storeObserver,
  });
  // Read at each use by units, the rules' code tables and history: a reload applies at once.
  const profiles = new ProfileRegistry(options.profiles ?? []);
  const profileWatcher = options.profilesPath
    ? await watchProfiles({
        path: options.profilesPath,
        registry: profiles,
        logger: logger.child({ part: 'profiles' }),
        onResult: (result) => metrics.profileReloads.inc({ result }),
      })
    : undefined;
  // Each station's latest state, held once: ingest feeds it; the rules and models follow its order.
  const hub = new StationHub({
    profiles,
    ...(options.maxClockAheadMs ? { maxFutureSkewMs: options.maxClockAheadMs } : {}),
    onError: (error, where) => logger.error({ err: error, ...where }, 'station consumer failed'),
  });
  const service =
    options.service === false
      ? undefined
      : await startServiceLayer({
          recordScheduleEveryMs: 3_600_000,
          ...options.service,
          hub,
          dataDir: options.dataDir ?? SERVER_DEFAULTS.dataDir,
          logger: logger.child({ part: 'service' }),
        });
  const tokens = new TokenIssuer({ secret: options.authSecret });
  const edgeService = service ? await startEdges(options, service, hub, logger) : undefined;
  const accounts: AccountStore = service ? new DbAccountStore(service.db) : new MemoryAccountStore();
  if (options.accounts) {
    const seeded = await seedAccounts(
      accounts,
      options.accounts,
      options.accountsSource ?? 'file',
      Date.now(),
    );
    logger.info(
      seeded,
      'accounts seeded: created, kept as in the database, disabled (no longer in the file)',
    );
  }
  const gate = new SessionGate({ store: accounts, tokens });
  const { latest, edges } = hub;
  const httpServer: HttpServer = options.https
    ? createHttpsServer({ cert: options.https.cert, key: options.https.key })
    : createServer();
  const redis = options.redisUrl ? await connectRedisLiveAdapter(options.redisUrl, logger) : undefined;
  const live = attachLiveUpdates(httpServer, {
    ...(redis ? { adapter: redis.adapter } : {}),
    latest,
    logger,
    authorize: options.liveAuthorize ?? tokenLiveAuthorize(gate),
    ...(options.liveAuthorize ? {} : { refreshUser: refreshLiveUser(gate) }),
    onClientCount: (count) => metrics.liveClients.set(count),
  });
  // A session that ends here (sign-out, disabled, password reset) also ends its live sockets.
  gate.onRevoked(({ username, session }) => live.disconnectUser(username, session));
  // Health indicators and predictive tickets ride on the service layer's ticket store.
  const predictive = service
    ? new PredictiveShell({
        tickets: service.stores.tickets,
        assets: service.stores.assets,
        events: service.events,
        hub,
        ...(options.predictive ?? {}),
        logger: logger.child({ part: 'predictive' }),
        onHealth: (update) => live.publish('health', update),
        writeSeries: (points) => store.write(points),
        snapshots: new HealthModelSnapshots(service.db),
      })
    : undefined;
  // Preventive plans and follow-up visits become tickets ahead of their dates; checked hourly.
  const maintenanceStore = service ? new MaintenanceStore(service.db) : undefined;
  const runHours = (site: string, station: string) => predictive?.runHours(site, station) ?? {};
  const scheduler =
    service && maintenanceStore
      ? new MaintenanceScheduler({
          store: maintenanceStore,
          tickets: service.stores.tickets,
          assets: service.stores.assets,
          events: service.events,
          runHours,
          logger: logger.child({ part: 'maintenance' }),
        })
      : undefined;
  let scheduling: Promise<unknown> = Promise.resolve();
  const schedule = () => {
    if (!scheduler) return;
    // Runs never overlap, and stop() waits for the last one before the database closes.
    scheduling = scheduling
      .then(() => scheduler.run(Date.now()))
      .catch((error: unknown) => logger.error({ err: error }, 'maintenance scheduling failed'));
  };
  const scheduleTicker = scheduler ? setInterval(schedule, 3_600_000) : undefined;
  scheduleTicker?.unref();
  schedule();
  const stationCheck = options.stationCheck ?? 'registered-sites';
  const stations =
    service && stationCheck !== 'off'
      ? new StationRegistry({
          mode: stationCheck,
          load: async () =>
            (
              await service.db
                .selectFrom('stations')
                .select(['site_id', 'id', 'edge_id'])
                .where('retired_at', 'is', null)
                .execute()
            ).map((row) => ({ site: row.site_id, station: row.id, edgeId: row.edge_id })),
        })
      : undefined;
  await stations?.reload();
  const onMessage = createIngestPipeline({
    store,
    hub,
    ...(stations ? { stations } : {}),
    metrics,
    logger,
    onStation: (station) => live.publishStation(station),
    onEvent: (event) => live.publish('station:event', event),
    ...(options.fieldLimits ? { fieldLimits: options.fieldLimits } : {}),
    ...(options.writeLingerMs !== undefined ? { writeLingerMs: options.writeLingerMs } : {}),
  });
  if (service) {
    // Each change goes to its site's and station's rooms only: a user sees the sites it may see.
    service.events.on('alarm', (change) => live.publish('alarm', change));
    service.events.on('ticket', (change) => live.publish('ticket', change));
  }
  // On/off delays, comms lost by age and SLA escalations run on a clock, not only on messages.
  const ticker = service
    ? setInterval(() => {
        service
          .tick(Date.now())
          .catch((error: unknown) => logger.error({ err: error }, 'service tick failed'));
      }, 1000)
    : undefined;
  ticker?.unref();
  // Remote commands ride on the subscriber's MQTT connection: the server may publish only them.
  let commands: CommandService | undefined;
  const subscriber = startMqttSubscriber({
    url: options.mqtt.url,
    username: options.mqtt.username,
    password: options.mqtt.password,
    ca: options.mqtt.ca,
    shareGroup: options.mqtt.shareGroup,
    ingest: options.cluster === undefined,
    clientId: options.mqtt.clientId ?? (await serverClientId(options.dataDir ?? SERVER_DEFAULTS.dataDir)),
    persistentSession: options.mqtt.persistentSession,
    logger,
    onMessage: (topic, payload, signal) =>
      parseCommandTopic(topic)?.kind === 'commandResults'
        ? commands?.onResult(topic, payload)
        : onMessage(topic, payload, signal),
    onConnectionChange: (connected) => metrics.brokerConnected.set(connected ? 1 : 0),
  });
  const cluster: ClusterIngest | undefined = options.cluster
    ? await startClusterIngest(
        options.cluster,
        onMessage,
        logger.child({ part: 'cluster' }),
        (site, station) => hub.forget(site, station),
      )
    : undefined;
  metrics.readInFlightFrom(cluster ? () => subscriber.inFlight() + cluster.inFlight() : subscriber.inFlight);
  commands = service
    ? new CommandService({
        db: service.db,
        audit: service.stores.audit,
        hub,
        profileOf: (model) => profiles.profile(model),
        publish: async (topic, payload) => {
          await subscriber.client.publishAsync(topic, payload, { qos: 1 });
        },
        brokerConnected: subscriber.connected,
        onChange: (command) => live.publish('command', command),
        logger: logger.child({ part: 'commands' }),
      })
    : undefined;
  const commandTicker = commands
    ? setInterval(() => {
        commands
          ?.expireDue()
          .catch((error: unknown) => logger.error({ err: error }, 'command expiry failed'));
      }, 1000)
    : undefined;
  commandTicker?.unref();
  const app = createApiApp({
    latest,
    edges,
    store,
    metrics,
    broker: { url: redactUrl(options.mqtt.url), connected: subscriber.connected },
    logger,
    metricsToken: options.metricsToken,
    https: options.https !== undefined,
    authenticate: bearerAuth(gate),
    routers: [
      authRoutes({ store: accounts, tokens, gate }),
      ...(service
        ? [
            accountRoutes({
              store: accounts,
              gate,
              audit: service.stores.audit,
              customerExists: async (id) =>
                (await service.stores.assets.customers()).some((c) => c.id === id),
              clock: Date.now,
            }),
          ]
        : []),
      systemRoutes({ metrics, brokerStats: options.brokerStats, edgeStats: options.edgeStats }),
      profileRoutes(profiles),
      ...(options.simulatorControlUrl ? [simulatorProxy({ controlUrl: options.simulatorControlUrl })] : []),
      ...(service ? service.routers : []),
      ...(service
        ? [
            customerExportRoutes({
              db: service.db,
              audit: service.stores.audit,
              telemetry: store,
              clock: Date.now,
              logger,
            }),
          ]
        : []),
      ...(edgeService ? [edgeService.router] : []),
      ...(commands ? [commandRoutes(commands)] : []),
      ...(predictive ? [predictiveRoutes(predictive)] : []),
      ...(service
        ? [
            acceptanceRoutes({
              store: new AcceptanceStore(service.db, service.stores.audit),
              audit: service.stores.audit,
              clock: Date.now,
              accepted: schedule,
            }),
          ]
        : []),
      ...(service && maintenanceStore
        ? [
            maintenanceRoutes({
              store: maintenanceStore,
              tickets: service.stores.tickets,
              assets: service.stores.assets,
              clock: Date.now,
              runHours,
              plansChanged: schedule,
            }),
          ]
        : []),
    ],
    staticDir: options.staticDir,
    version: VERSION,
    expectedIntervalMs: options.expectedPollMs,
    ...(options.pollingSince ? { pollingSince: options.pollingSince } : {}),
  });
  let flows: RunningFlows | undefined;
  /** Starts Node-RED once (set below when flows are on); resolves undefined if it could not start. */
  let startFlowsOnce: (() => Promise<RunningFlows | undefined>) | undefined;
  let flowsStarting: Promise<RunningFlows | undefined> | undefined;
  // socket.io answers its own paths on this server (it was attached first); express must not
  // answer them again. The editor and admin API of /flows keep their own pages and policies.
  httpServer.on('request', (req, res) => {
    if (req.url?.startsWith('/socket.io/')) return;
    if (flows && isFlowsPath(req.url)) flows.handle(req, res);
    else if (startFlowsOnce && isFlowsPath(req.url)) {
      // Node-RED not started yet (no flows deployed): this request starts it, then it answers.
      void startFlowsOnce().then((started) => (started ? started.handle(req, res) : app(req, res)));
    } else app(req, res);
  });

  /**
   * The one way down, also when listening failed: intake first (no message, tick or plan starts
   * after), then the live stream and HTTP (no reader is left), then the models (their last hour
   * goes to the store's health series), the store, the last maintenance run and the database.
   */
  const shutdown = async (): Promise<void> => {
    clearInterval(ticker);
    clearInterval(scheduleTicker);
    profileWatcher?.close();
    clearInterval(commandTicker);
    // Flows first: no node acts on a service or database that is closing (one still starting is
    // waited for, then stopped; no request starts it again).
    startFlowsOnce = undefined;
    await (flows ?? (await flowsStarting))?.stop();
    await cluster?.stop();
    await subscriber.stop();
    await live.close();
    await redis?.close();
    httpServer.closeAllConnections();
    // A server that never listened answers close() with an error; it is down either way.
    await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    await predictive?.close();
    await store.close();
    await scheduling;
    await edgeService?.stop();
    await service?.close();
  };

  // Node-RED starts once every service it reaches (tickets, commands, health) is up: at boot when
  // flows are deployed, else at the first request to /flows.
  if (options.flows && service) {
    const { startFlows, flowsDeployed } = await import('./flows/embed.ts');
    const flowsService = service;
    const start = () =>
      startFlows({
        httpServer,
        hub,
        service: flowsService,
        commands,
        predictive,
        accounts,
        gate,
        signIn: passwordSignIn({ store: accounts, tokens, gate }),
        dataDir: options.dataDir ?? SERVER_DEFAULTS.dataDir,
        logger: logger.child({ part: 'flows' }),
        ...(typeof options.flows === 'object' ? { options: options.flows } : {}),
      });
    try {
      if (await flowsDeployed(service.db)) flows = await start();
      else {
        startFlowsOnce = () => {
          flowsStarting ??= start().then(
            (running) => {
              flows = running;
              return running;
            },
            (error: unknown) => {
              logger.error({ err: error }, 'Node-RED could not start: /flows answers 404');
              return undefined;
            },
          );
          return flowsStarting;
        };
        logger.info('no flows deployed: Node-RED starts at the first request to /flows');
      }
    } catch (error) {
      await shutdown();
      throw error;
    }
  } else if (options.flows) logger.warn('flows need the service database: Node-RED not started');
  const host = options.host ?? SERVER_DEFAULTS.host;
  const listenPort = options.port ?? SERVER_DEFAULTS.port;
  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(listenPort, host, () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await shutdown();
    throw new Error(`server could not listen on ${host}:${listenPort}: ${(error as Error).message}`);
  }
  const port = (httpServer.address() as AddressInfo).port;
  const url = `${options.https ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  logger.info({ url, store: store.kind }, 'server listening');

  let stopped: Promise<void> | undefined;
  return {
    url,
    port,
    httpServer,
    app,
    io: live.io,
    store,
    latest,
    service,
    predictive,
    tokens,
    profiles,
    profileWatcher,
    accounts,
    get flows() {
      return flows;
    },
    metrics: () => renderMetrics(metrics, store),
    stop: () => {
      stopped ??= shutdown();
      return stopped;
    },
  };
}

/** Edge provisioning rides on the service database; the file goes beside the server's state. */
function startEdges(
  options: ServerOptions,
  service: ServiceLayer,
  hub: StationHub,
  logger: ReturnType<typeof createLogger>,
): Promise<EdgeService> {
  const dataDir = options.dataDir ?? SERVER_DEFAULTS.dataDir;
  const file =
    options.edges?.file ?? (dataDir === ':memory:' ? undefined : join(dataDir, 'provisioned-edges.json'));
  return startEdgeService({
    db: service.db,
    hub,
    audit: service.stores.audit,
    clock: Date.now,
    logger: logger.child({ part: 'edges' }),
    file,
    mqttUrl: options.edges?.mqttUrl ?? options.mqtt.url,
    profilesDir: options.edges?.profilesDir ?? join(PACKAGE_ROOT, 'profiles'),
  });
}
