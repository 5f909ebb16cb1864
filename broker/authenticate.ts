import { hashSecret, verifySecret } from '../core/secrets.ts';
import type { ClientIdentity } from './identity.ts';
import type { ProvisionedEdges } from './provisioned-edges.ts';
import type { BrokerUser } from './users-file.ts';

export type AuthRefusal = 'no-credentials' | 'unknown-user' | 'bad-password';

export type AuthResult = { ok: true; identity: ClientIdentity } | { ok: false; reason: AuthRefusal };

export interface AuthenticatorOptions {
  /** Known users; undefined or empty: only anonymous clients (if allowed) get in. */
  users?: readonly BrokerUser[] | undefined;
  /** Let clients without username and password in, with full access (local development). Default false. */
  allowAnonymous?: boolean | undefined;
  /** Edges provisioned through the server (read at each connect); users-file users win a name clash. */
  provisioned?: (() => ProvisionedEdges) | undefined;
}

export type Authenticator = (
  username: string | undefined,
  password: Buffer | undefined,
) => Promise<AuthResult>;

/** Checks CONNECT credentials against the users list. */
export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const byName = new Map((options.users ?? []).map((user) => [user.username, user]));
  const allowAnonymous = options.allowAnonymous ?? false;
  // An unknown user name is checked against a throwaway hash, so the answer takes as long as for a
  // known one and response times do not tell which user names exist.
  let decoy: Promise<string> | undefined;
  const decoyHash = () => {
    decoy ??= hashSecret('decoy password that matches nobody');
    return decoy;
  };

  return async (username, password) => {
    if (username === undefined && password === undefined) {
      return allowAnonymous
        ? { ok: true, identity: { username: undefined, role: 'anonymous' } }
        : refuse('no-credentials');
    }
    const secret = password?.toString('utf8') ?? '';
    const user = username === undefined ? undefined : byName.get(username);
    const edge = user || username === undefined ? undefined : options.provisioned?.().get(username);
    if (edge) {
      if (!(await verifySecret(secret, edge.passwordHash))) return refuse('bad-password');
      // Rotated or revoked while scrypt ran: the password checked is no longer the edge's.
      if (options.provisioned?.().get(edge.username)?.credentialVersion !== edge.credentialVersion)
        return refuse('bad-password');
      return {
        ok: true,
        identity: {
          username: edge.username,
          role: 'edge',
          site: edge.site,
          edge: {
            id: edge.edgeId,
            stations: new Set(edge.stations),
            credentialVersion: edge.credentialVersion,
          },
        },
      };
    }
    if (!user) {
      await verifySecret(secret, await decoyHash());
      return refuse('unknown-user');
    }
    if (!(await verifySecret(secret, user.passwordHash))) return refuse('bad-password');
    return { ok: true, identity: { username: user.username, role: user.role, site: user.site } };
  };
}

function refuse(reason: AuthRefusal): AuthResult {
  return { ok: false, reason };
}
