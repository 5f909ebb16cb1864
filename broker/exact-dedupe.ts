import type { Client } from 'aedes';

/**
 * Replaces aedes 1.2's duplicate check, which loses messages.
 *
 * aedes numbers every publish (brokerCounter) and, per subscriber, drops a packet whose number is
 * not above the last one delivered: meant to deliver a message once when two of the client's
 * subscriptions match it. But publishes overtake each other on their way through the broker
 * (concurrent publishers, asynchronous persistence), so a message that arrives second with a lower
 * number is dropped as a "duplicate" after its publisher had its PUBACK: silent loss, about one
 * message in a hundred under load (moscajs/aedes#955, #994; reproduced in
 * test/broker/ordered-delivery.test.ts).
 *
 * The fix: aedes' check is made to pass always (its per-client record answers 0 for every broker),
 * and the same guarantee is given exactly in authorizeForward: a packet is refused only when that
 * very publish (broker id and counter) was already forwarded to this client. Copies from
 * overlapping subscriptions come within the same emit, so remembering the client's last
 * RECENT_PER_CLIENT publishes is enough.
 */
const RECENT_PER_CLIENT = 4096;

export function createExactDedupe(): {
  /** Call from authenticate, before the client can subscribe. */
  disableCounterDedupe(client: Client): void;
  /** From authorizeForward: true when this publish was already forwarded to this client. */
  alreadyForwarded(client: Client, packet: { brokerId?: string; brokerCounter?: number }): boolean;
} {
  const forwarded = new WeakMap<Client, Set<string>>();
  const alwaysZero = () =>
    new Proxy(Object.create(null) as Record<string, number>, {
      get: () => 0,
      set: () => true,
      deleteProperty: () => true,
    });
  return {
    disableCounterDedupe(client) {
      (client as Client & { duplicates: Record<string, number> }).duplicates = alwaysZero();
    },
    alreadyForwarded(client, packet) {
      if (packet.brokerId === undefined || packet.brokerCounter === undefined) return false;
      const key = `${packet.brokerId}:${packet.brokerCounter}`;
      let seen = forwarded.get(client);
      if (!seen) {
        seen = new Set();
        forwarded.set(client, seen);
      }
      if (seen.has(key)) return true;
      seen.add(key);
      // A Set iterates in insertion order: the first value is the oldest.
      if (seen.size > RECENT_PER_CLIENT) seen.delete(seen.values().next().value as string);
      return false;
    },
  };
}
