import type { AedesOptions, AuthenticateError, Client } from 'aedes';
import type { Logger } from '../core/log.ts';
import { authorizePublishTopic, authorizeSubscribeFilter } from './acl.ts';
import type { Authenticator } from './authenticate.ts';
import { checkClientId } from './client-ids.ts';
import { createExactDedupe } from './exact-dedupe.ts';
import type { ClientIdentity } from './identity.ts';
import type { ProvisionedEdges } from './provisioned-edges.ts';
import type { StatsCounter } from './stats.ts';

type Hooks = Required<
  Pick<AedesOptions, 'authenticate' | 'authorizePublish' | 'authorizeSubscribe' | 'authorizeForward'>
>;

/** Marks errors the broker raised on purpose, so they are not counted again as client errors. */
export const REFUSAL = Symbol('aftercare.broker.refusal');

function refusal(message: string): Error {
  return Object.assign(new Error(message), { [REFUSAL]: true });
}

function connectRefusal(message: string, returnCode: AuthenticateError['returnCode']): AuthenticateError {
  return Object.assign(refusal(message), { returnCode });
}

export function isRefusal(error: unknown): boolean {
  return typeof error === 'object' && error !== null && REFUSAL in error;
}

export interface SessionView {
  /** The provisioned edges as last read (client ids they own are theirs alone). */
  provisioned(): ProvisionedEdges;
  /** The client connected with this id right now, if any. */
  connected(clientId: string): Client | undefined;
}

/**
 * aedes hooks: authentication, client id binding and topic ACL, each refusal counted and logged
 * (never the password).
 */
export function createHooks(
  authenticator: Authenticator,
  identities: WeakMap<Client, ClientIdentity>,
  stats: StatsCounter,
  log: Logger,
  sessions: SessionView,
): Hooks {
  const dedupe = createExactDedupe();
  const remote = (client: Client) =>
    client.conn && 'remoteAddress' in client.conn ? client.conn.remoteAddress : undefined;
  return {
    authenticate(client, username, password, done) {
      dedupe.disableCounterDedupe(client);
      authenticator(username, password).then(
        (result) => {
          if (result.ok) {
            const idRefusal = clientIdRefusal(client, result.identity, identities, sessions);
            if (idRefusal) {
              stats.clientIdRefusals++;
              log.warn(
                { clientId: client.id, username, reason: idRefusal, remote: remote(client) },
                'connect refused: client id',
              );
              // 2 = identifier rejected (MQTT 3.1.1 §3.2.2.3)
              done(connectRefusal(`connect refused: ${idRefusal}`, 2), null);
              return;
            }
            identities.set(client, result.identity);
            log.info({ clientId: client.id, username, role: result.identity.role }, 'client authenticated');
            done(null, true);
            return;
          }
          stats.authFailures++;
          log.warn(
            { clientId: client.id, username, reason: result.reason, remote: remote(client) },
            'connect refused',
          );
          // 4 = bad user name or password; 5 = not authorized (MQTT 3.1.1 §3.2.2.3)
          done(
            connectRefusal(`connect refused: ${result.reason}`, result.reason === 'no-credentials' ? 5 : 4),
            null,
          );
        },
        (error: unknown) => {
          stats.authFailures++;
          log.error({ clientId: client.id, username, err: error }, 'authentication failed with an error');
          done(connectRefusal('authentication failed', 3), null);
        },
      );
    },

    authorizePublish(client, packet, done) {
      const identity = client ? identities.get(client) : undefined;
      if (!client || !identity) {
        // aedes publishes wills left over from an earlier broker run without a client; whose they
        // were is no longer known, so they cannot pass the ACL.
        stats.publishDenials++;
        log.info({ topic: packet.topic }, 'publish without an authenticated client dropped (stale will)');
        done(refusal('publish without an authenticated client'));
        return;
      }
      const decision = authorizePublishTopic(identity, packet.topic);
      if (decision.allowed) {
        done(null);
        return;
      }
      stats.publishDenials++;
      log.warn(
        { clientId: client.id, username: identity.username, topic: packet.topic, reason: decision.reason },
        'publish denied',
      );
      done(refusal(`publish to ${packet.topic} denied: ${decision.reason}`));
    },

    authorizeSubscribe(client, subscription, done) {
      const identity = identities.get(client);
      const decision = identity
        ? authorizeSubscribeFilter(identity, subscription.topic)
        : ({ allowed: false, reason: 'not authenticated' } as const);
      if (decision.allowed) {
        done(null, subscription);
        return;
      }
      stats.subscribeDenials++;
      log.warn(
        {
          clientId: client.id,
          username: identity?.username,
          filter: subscription.topic,
          reason: decision.reason,
        },
        'subscribe denied',
      );
      // A null subscription answers this filter with SUBACK failure (0x80); the client stays connected.
      done(null, null);
    },

    authorizeForward(client, packet) {
      if (dedupe.alreadyForwarded(client, packet)) return null;
      stats.messagesOut++;
      return packet;
    },
  };
}

/**
 * Why this client may not use its client id, or undefined. A second connection with an id another
 * user holds is refused (MQTT would hand it the session and close the first: a takeover); the same
 * user reconnecting takes over its own session as MQTT requires.
 */
function clientIdRefusal(
  client: Client,
  identity: ClientIdentity,
  identities: WeakMap<Client, ClientIdentity>,
  sessions: SessionView,
): string | undefined {
  const rule = checkClientId(identity, client.id, sessions.provisioned());
  if (!rule.allowed) return rule.reason;
  const holder = sessions.connected(client.id);
  if (holder === undefined || holder === client) return undefined;
  const held = identities.get(holder);
  if (held && (held.username !== identity.username || held.role !== identity.role))
    return 'client id in use by another user';
  return undefined;
}
