import type { EventEmitter } from 'node:events';
import { Aedes, type Client } from 'aedes';
import { createLogger } from '../core/log.ts';
import { createAuthenticator } from './authenticate.ts';
import { coalesceWrites } from './coalesce-writes.ts';
import { guardEmitterRecursion } from './flood-guard.ts';
import { createHooks, isRefusal } from './hooks.ts';
import type { ClientIdentity } from './identity.ts';
import { type BrokerOptions, parseBrokerSettings } from './options.ts';
import { guardPacketSize } from './packet-size-guard.ts';
import { choosePersistence } from './persistence.ts';
import {
  type ProvisionedEdges,
  type ProvisionedEdgesWatch,
  watchProvisionedEdges,
} from './provisioned-edges.ts';
import { applyQueueBudget } from './queue-budget.ts';
import { createMqttSocketServer, listen } from './socket-server.ts';
import { type BrokerStats, createStatsCounter, snapshotStats } from './stats.ts';
import { parseUsers } from './users-file.ts';

export { hashSecret, verifySecret } from '../core/secrets.ts';
export type { BrokerOptions } from './options.ts';
export type { BrokerStats } from './stats.ts';
export type { BrokerUser } from './users-file.ts';

const NO_EDGES: ProvisionedEdges = new Map();

export interface RunningBroker {
  host: string;
  port: number;
  /** mqtt://host:port */
  url: string;
  stats(): BrokerStats;
  /** Disconnects every client, stops listening and closes the store. */
  close(): Promise<void>;
}

/** Starts the MQTT broker (aedes) with auth, topic ACL, packet size limit and optional disk persistence. */
export async function startBroker(options: BrokerOptions): Promise<RunningBroker> {
  const settings = parseBrokerSettings(options);
  const users = options.users === undefined ? undefined : parseUsers(options.users, 'BrokerOptions.users');
  const log = options.logger ?? createLogger('broker');
  const stats = createStatsCounter();
  const identities = new WeakMap<Client, ClientIdentity>();

  const store = await choosePersistence(settings.dataDir);
  const queues = applyQueueBudget(
    store.persistence,
    { maxMessages: settings.maxQueuedMessages, maxBytes: settings.maxQueuedBytes },
    {
      dropped: (clientId, first) => {
        stats.queueDrops++;
        if (first)
          log.warn(
            {
              clientId,
              maxQueuedMessages: settings.maxQueuedMessages,
              maxQueuedBytes: settings.maxQueuedBytes,
            },
            'client queue full: messages for it are left out (counted as queueDrops)',
          );
      },
    },
  );
  // Set once aedes exists; the first read of the file happens before anyone can connect.
  let reconcile: (edges: ProvisionedEdges) => void = () => {};
  let provisioned: ProvisionedEdgesWatch | undefined;
  try {
    provisioned = options.edgesFile
      ? await watchProvisionedEdges(options.edgesFile, {
          onChange: (edges) => reconcile(edges),
          log: log.child({ part: 'provisioned-edges' }),
        })
      : undefined;
  } catch (error) {
    await store.close();
    throw error;
  }
  const authenticator = createAuthenticator({
    users,
    allowAnonymous: settings.allowAnonymous,
    provisioned: provisioned?.current,
  });
  const aedes: Aedes = new Aedes({
    persistence: store.persistence,
    ...createHooks(authenticator, identities, stats, log, {
      provisioned: () => provisioned?.current() ?? NO_EDGES,
      // aedes keeps its connected clients by id (aedes.js `this.clients`); its typings leave it out.
      connected: (id): Client | undefined =>
        (aedes as unknown as { clients: Record<string, Client | undefined> }).clients[id],
    }),
  });
  // `mq` is aedes' message emitter (the `mq` option of AedesOptions), untyped in aedes.d.ts.
  guardEmitterRecursion((aedes as unknown as { mq: unknown }).mq, () => stats.floodGuardDeferrals++);
  reconcile = (edges) => reconcileProvisionedClients(aedes, identities, edges, log);
  try {
    await aedes.listen();
  } catch (error) {
    provisioned?.close();
    await store.close();
    throw error;
  }

  const countClients = () => {
    stats.connectedClients = aedes.connectedClients;
  };
  aedes.on('client', countClients);
  aedes.on('clientDisconnect', countClients);
  aedes.on('publish', (_packet, client) => {
    if (client) stats.messagesIn++;
  });
  const onClientError = (client: Client, error: Error) => {
    if (isRefusal(error)) return;
    stats.clientErrors++;
    log.debug({ clientId: client.id, err: error.message }, 'client error');
  };
  aedes.on('clientError', onClientError);
  aedes.on('connectionError', onClientError);
  // aedes reports persistence failures as 'error'; without a listener an EventEmitter throws them.
  (aedes as EventEmitter).on('error', (error: Error) => log.error({ err: error }, 'broker error'));

  const sockets = createMqttSocketServer((socket) => {
    guardPacketSize(socket, settings.maxPacketSize, (violation) => {
      if (violation.reason === 'oversized') stats.oversizedPackets++;
      stats.droppedConnections++;
      log.warn(
        { remote: socket.remoteAddress, ...violation, maxPacketSize: settings.maxPacketSize },
        'connection dropped',
      );
    });
    coalesceWrites(socket);
    aedes.handle(socket);
  }, options.tls);

  let address: { host: string; port: number };
  try {
    address = await listen(sockets.server, settings.port, settings.host);
  } catch (error) {
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    provisioned?.close();
    await store.close();
    throw new Error(`broker cannot listen on ${settings.host}:${settings.port}: ${(error as Error).message}`);
  }
  const url = `${options.tls ? 'mqtts' : 'mqtt'}://${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`;
  log.info(
    {
      url,
      persistence: store.kind,
      dataDir: settings.dataDir,
      users: users?.length ?? 0,
      provisionedEdges: provisioned?.current().size,
      allowAnonymous: settings.allowAnonymous,
      maxPacketSize: settings.maxPacketSize,
      maxQueuedMessages: settings.maxQueuedMessages,
      maxQueuedBytes: settings.maxQueuedBytes,
      tls: options.tls !== undefined,
    },
    'broker listening',
  );

  let closing: Promise<void> | undefined;
  return {
    ...address,
    url,
    stats: () => snapshotStats(stats, queues.queuedBytes()),
    close: () => {
      closing ??= (async () => {
        provisioned?.close();
        await new Promise<void>((resolve) => aedes.close(() => resolve()));
        await sockets.close();
        await store.close();
        log.info({ url }, 'broker stopped');
      })();
      return closing;
    },
  };
}

/**
 * After the provisioned edges changed: a connected edge that was revoked, retired or rotated is
 * disconnected at once (its old password must stop working now, not at its next reconnect); one
 * whose stations changed gets the new ones in place.
 */
function reconcileProvisionedClients(
  aedes: Aedes,
  identities: WeakMap<Client, ClientIdentity>,
  edges: ProvisionedEdges,
  log: ReturnType<typeof createLogger>,
): void {
  // aedes keeps its connected clients by id (aedes.js `this.clients`); its typings leave it out.
  const clients = (aedes as unknown as { clients: Record<string, Client> }).clients;
  for (const client of Object.values(clients)) {
    const identity = identities.get(client);
    if (!identity?.edge || identity.username === undefined) continue;
    const edge = edges.get(identity.username);
    if (!edge || edge.credentialVersion !== identity.edge.credentialVersion) {
      log.info(
        { clientId: client.id, username: identity.username },
        'edge credentials withdrawn: disconnected',
      );
      client.close();
      continue;
    }
    identity.edge = { ...identity.edge, stations: new Set(edge.stations) };
  }
}
