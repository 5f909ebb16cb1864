/**
 * A budget per client for the QoS 1/2 messages the broker keeps for it (an offline persistent
 * session, or a subscriber slower than its publishers). aedes keeps them without a limit: in memory
 * without a data dir, so one viewer that subscribed with a persistent session and went away made the
 * broker hold every large payload published since (350-560 MB). Past its budget a client's queue
 * takes no more messages: each one left out is counted (and logged once per client and fill-up).
 */
export interface QueueBudget {
  /** Most messages kept for one client. */
  maxMessages: number;
  /** Most payload bytes kept for one client. */
  maxBytes: number;
}

export interface QueueBudgetHooks {
  /** A message was not queued for `clientId`; `first` is true once per fill-up of its queue. */
  dropped(clientId: string, first: boolean): void;
}

interface Persistence {
  outgoingEnqueueCombi(subs: Array<{ clientId: string }>, packet: { payload?: unknown }): Promise<void>;
  outgoingClearMessageId(client: { id: string }, packet: unknown): Promise<{ payload?: unknown } | undefined>;
}

interface Queue {
  messages: number;
  bytes: number;
  full: boolean;
}

export interface QueueBudgetState {
  /** Payload bytes queued for all clients right now (as counted since the broker started). */
  queuedBytes(): number;
}

const sizeOf = (payload: unknown) =>
  payload instanceof Uint8Array
    ? payload.byteLength
    : typeof payload === 'string'
      ? Buffer.byteLength(payload)
      : 0;

/** Wraps the persistence's enqueue and clear in place (also on a Proxy, see persistence.ts). */
export function applyQueueBudget(
  persistence: object,
  budget: QueueBudget,
  hooks: QueueBudgetHooks,
): QueueBudgetState {
  const target = persistence as Persistence;
  const enqueue = target.outgoingEnqueueCombi.bind(target);
  const clear = target.outgoingClearMessageId.bind(target);
  const queues = new Map<string, Queue>();
  let total = 0;
  target.outgoingEnqueueCombi = async (subs, packet) => {
    const size = sizeOf(packet.payload);
    const kept = subs.filter((sub) => {
      let queue = queues.get(sub.clientId);
      if (!queue) {
        queue = { messages: 0, bytes: 0, full: false };
        queues.set(sub.clientId, queue);
      }
      if (queue.messages + 1 > budget.maxMessages || queue.bytes + size > budget.maxBytes) {
        hooks.dropped(sub.clientId, !queue.full);
        queue.full = true;
        return false;
      }
      queue.messages++;
      queue.bytes += size;
      total += size;
      return true;
    });
    if (kept.length > 0) await enqueue(kept, packet);
  };
  target.outgoingClearMessageId = async (client, packet) => {
    const removed = await clear(client, packet);
    const queue = queues.get(client.id);
    if (removed && queue) {
      const size = sizeOf(removed.payload);
      queue.messages = Math.max(0, queue.messages - 1);
      total -= Math.min(size, queue.bytes);
      queue.bytes = Math.max(0, queue.bytes - size);
      // Logged again only after the queue drained to half: a subscriber hovering at the limit is one line.
      if (queue.full && queue.messages <= budget.maxMessages / 2 && queue.bytes <= budget.maxBytes / 2)
        queue.full = false;
      if (queue.messages === 0) queues.delete(client.id);
    }
    return removed;
  };
  return { queuedBytes: () => total };
}
