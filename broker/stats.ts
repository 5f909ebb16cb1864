/** Counters a running broker exposes; everything it refuses or drops is counted here. */
export interface BrokerStats {
  /** Clients past CONNECT right now. */
  connectedClients: number;
  /** PUBLISH packets accepted from clients. */
  messagesIn: number;
  /** Messages handed to subscribers (one per subscriber and message, live or replayed from a session). */
  messagesOut: number;
  /** CONNECTs refused: no credentials, unknown user or wrong password. */
  authFailures: number;
  /** CONNECTs refused for their client id: not the user's own, or connected by another user. */
  clientIdRefusals: number;
  /** PUBLISH refused by the topic ACL (the client is disconnected). */
  publishDenials: number;
  /** SUBSCRIBE filters refused by the topic ACL (answered with failure 0x80). */
  subscribeDenials: number;
  /** publishDenials + subscribeDenials. */
  aclDenials: number;
  /** Packets announcing more than maxPacketSize bytes (the connection is dropped before the body is read). */
  oversizedPackets: number;
  /** Connections the broker closed on a client's fault (oversized or malformed frames). */
  droppedConnections: number;
  /** Client and connection errors reported by aedes (resets, protocol errors, timeouts). */
  clientErrors: number;
  /** QoS 1/2 messages left out of a client's queue because it held its budget (--max-queued-*). */
  queueDrops: number;
  /** Payload bytes queued for clients right now. */
  queuedBytes: number;
  /** The broker process's resident memory, bytes. */
  rssBytes: number;
  /** Times the flood guard broke a synchronous mqemitter chain (see flood-guard.ts). */
  floodGuardDeferrals: number;
}

export type StatsCounter = Omit<BrokerStats, 'aclDenials' | 'queuedBytes' | 'rssBytes'>;

export function createStatsCounter(): StatsCounter {
  return {
    connectedClients: 0,
    messagesIn: 0,
    messagesOut: 0,
    authFailures: 0,
    clientIdRefusals: 0,
    publishDenials: 0,
    subscribeDenials: 0,
    oversizedPackets: 0,
    droppedConnections: 0,
    clientErrors: 0,
    floodGuardDeferrals: 0,
    queueDrops: 0,
  };
}

export function snapshotStats(counter: StatsCounter, queuedBytes: number): BrokerStats {
  return {
    ...counter,
    aclDenials: counter.publishDenials + counter.subscribeDenials,
    queuedBytes,
    rssBytes: process.memoryUsage.rss(),
  };
}
