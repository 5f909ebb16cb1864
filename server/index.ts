import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server as SocketServer } from 'socket.io';
import { createLogger } from '../core/log.ts';
import { createApiApp } from './http/app.ts';
import { createServerMetrics, renderMetrics } from './http/metrics.ts';
import { EdgeRegistry } from './ingest/edge-registry.ts';
import { LatestValues } from './ingest/latest-values.ts';
import { createIngestPipeline } from './ingest/pipeline.ts';
import { redactUrl, startMqttSubscriber } from './ingest/subscriber.ts';
import { attachLiveUpdates } from './live/live-updates.ts';
import type { ServerOptions } from './options.ts';
import { openTelemetryStore } from './telemetry/open-store.ts';
import type { TelemetryStore } from './telemetry/telemetry-store.ts';

export type { ServerOptions } from './options.ts';

export interface RunningServer {
  /** http://host:port of the API, dashboards and socket.io. */
  url: string;
  port: number;
  httpServer: HttpServer;
  io: SocketServer;
  store: TelemetryStore;
  latest: LatestValues;
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
    logger,
    observer: metrics.storeObserver,
  });
  const latest = new LatestValues(options.profiles);
  const edges = new EdgeRegistry();
  const httpServer = createServer();
  const live = attachLiveUpdates(httpServer, {
    latest,
    logger,
    authorize: options.liveAuthorize,
    onClientCount: (count) => metrics.liveClients.set(count),
  });
  const onMessage = createIngestPipeline({
    store,
    latest,
    edges,
    metrics,
    logger,
    onStation: (station) => live.publishStation(station),
    onEvent: (event) => live.publishEvent(event),
  });
  const subscriber = startMqttSubscriber({
    url: options.mqtt.url,
    username: options.mqtt.username,
    password: options.mqtt.password,
    shareGroup: options.mqtt.shareGroup,
    logger,
    onMessage,
    onConnectionChange: (connected) => metrics.brokerConnected.set(connected ? 1 : 0),
  });
  const app = createApiApp({
    latest,
    edges,
    store,
    metrics,
    broker: { url: redactUrl(options.mqtt.url), connected: subscriber.connected },
    logger,
    authorize: options.authorize,
    staticDir: options.staticDir,
    version: VERSION,
  });
  // socket.io answers its own paths on this server (it was attached first); express must not
  // answer them again.
  httpServer.on('request', (req, res) => {
    if (!req.url?.startsWith('/socket.io/')) app(req, res);
  });

  const host = options.host ?? '127.0.0.1';
  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(options.port ?? 8080, host, () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await subscriber.stop();
    await live.close();
    await store.close();
    throw new Error(
      `server could not listen on ${host}:${options.port ?? 8080}: ${(error as Error).message}`,
    );
  }
  const port = (httpServer.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  logger.info({ url, store: store.kind }, 'server listening');

  let stopped: Promise<void> | undefined;
  return {
    url,
    port,
    httpServer,
    io: live.io,
    store,
    latest,
    metrics: () => renderMetrics(metrics, store),
    stop: () => {
      stopped ??= (async () => {
        await subscriber.stop();
        await live.close();
        httpServer.closeAllConnections();
        await new Promise<void>((resolve) => httpServer.close(() => resolve()));
        await store.close();
      })();
      return stopped;
    },
  };
}
