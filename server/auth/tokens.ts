import { createSecretKey, randomBytes } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { ROLES, type Role } from './roles.ts';

export interface TokenUser {
  username: string;
  role: Role;
  /** The sites this user may see; absent: every site. */
  sites?: string[];
  /**
   * The sign-in session (account_sessions.id) a token of POST /api/auth/login names; sign-out and
   * account changes revoke it. A token without one was minted with AUTH_SECRET by its holder
   * (a test harness, a tool) and is trusted as it says.
   */
  session?: string;
}

/** Options of the bearer tokens the API and socket.io take. */
export interface TokenOptions {
  /**
   * HMAC key (at least 32 bytes). Default: random per process, so tokens end with a restart;
   * set AUTH_SECRET to keep them across restarts and share them between server instances.
   */
  secret?: string;
  /** Token lifetime in seconds. Default 12 h (a control-room shift). */
  ttlSeconds?: number;
}

const ISSUER = 'aftercare';

/** Signs and verifies HS256 JSON Web Tokens (jose) carrying the user name, role and sites. */
export class TokenIssuer {
  private readonly key: ReturnType<typeof createSecretKey>;
  readonly ttlSeconds: number;

  constructor(options: TokenOptions = {}) {
    const secret = options.secret ?? randomBytes(32).toString('base64url');
    if (Buffer.byteLength(secret) < 32) throw new Error('AUTH_SECRET must be at least 32 bytes');
    this.key = createSecretKey(Buffer.from(secret));
    this.ttlSeconds = options.ttlSeconds ?? 12 * 3600;
  }

  async issue(user: TokenUser, now = Date.now()): Promise<{ token: string; expiresAt: number }> {
    const issuedAt = Math.floor(now / 1000);
    const claims = {
      role: user.role,
      ...(user.sites ? { sites: user.sites } : {}),
      ...(user.session ? { sid: user.session } : {}),
    };
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.username)
      .setIssuer(ISSUER)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + this.ttlSeconds)
      .sign(this.key);
    return { token, expiresAt: (issuedAt + this.ttlSeconds) * 1000 };
  }

  /** The token's user, or a reason it is refused (expired, forged, malformed). */
  async verify(token: string): Promise<TokenUser | { refused: string }> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, algorithms: ['HS256'] });
      const role = payload.role as Role;
      if (typeof payload.sub !== 'string' || !ROLES.includes(role))
        return { refused: 'token without a valid user' };
      const { sites, sid } = payload;
      if (sid !== undefined && typeof sid !== 'string') return { refused: 'token with a malformed session' };
      const session = sid === undefined ? {} : { session: sid };
      if (sites === undefined) return { username: payload.sub, role, ...session };
      if (!Array.isArray(sites) || !sites.every((s) => typeof s === 'string'))
        return { refused: 'token with malformed sites' };
      return { username: payload.sub, role, sites, ...session };
    } catch (error) {
      if (error instanceof errors.JWTExpired) return { refused: 'token expired: sign in again' };
      return { refused: 'invalid token' };
    }
  }
}
