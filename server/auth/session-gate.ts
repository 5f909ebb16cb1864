import type { Role } from '../../core/auth/roles.ts';
import type { AccountStore } from './account-store.ts';
import type { TokenIssuer, TokenUser } from './tokens.ts';

/** The user a request or socket acts as, read from the account at most `cacheMs` ago. */
export interface ResolvedUser {
  username: string;
  role: Role;
  /** Sites this user may see; absent: every site. A customer's are its customer's sites. */
  sites?: string[];
  session?: string;
}

type Refusal = { refused: string; code: 'error.sessionRevoked' | 'error.signInFirst' };
export type GateVerdict = ResolvedUser | Refusal;
/** What is cached of a session: a customer's sites are read afresh on each request. */
type CheckedUser = ResolvedUser & { customer?: string };

export interface SessionGateOptions {
  store: AccountStore;
  tokens: TokenIssuer;
  clock?: () => number;
  /**
   * How long a session's check is reused, ms. Default 5000: a change made on this server applies
   * at once (the cache is dropped); one made on another instance within this time.
   */
  cacheMs?: number;
}

type Revoked = (who: { username: string; session?: string }) => void;

/**
 * Checks every bearer token against its account on each request and socket connection: the
 * session must be open, the account enabled and of the session's token version. Role and sites
 * come from the account, not the token, so an admin's change applies without a new sign-in, and
 * a customer's new site shows at once.
 */
export class SessionGate {
  private readonly cache = new Map<string, { user: CheckedUser; until: number }>();
  private readonly listeners = new Set<Revoked>();
  private readonly clock: () => number;
  private readonly cacheMs: number;

  constructor(private readonly options: SessionGateOptions) {
    this.clock = options.clock ?? Date.now;
    this.cacheMs = options.cacheMs ?? 5000;
  }

  async resolve(token: string): Promise<GateVerdict> {
    const verdict = await this.options.tokens.verify(token);
    if ('refused' in verdict) return { refused: verdict.refused, code: 'error.signInFirst' };
    // A minted customer token without sites sees none: never every site by omission.
    if (!verdict.session)
      return verdict.role === 'customer' && !verdict.sites ? { ...verdict, sites: [] } : verdict;
    const now = this.clock();
    const cached = this.cache.get(verdict.session);
    let user: CheckedUser;
    if (cached && cached.until > now) user = cached.user;
    else {
      const checked = await this.check(verdict, verdict.session, now);
      if ('refused' in checked) {
        this.cache.delete(verdict.session);
        return checked;
      }
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(verdict.session, { user: checked, until: now + this.cacheMs });
      user = checked;
    }
    const { customer, ...resolved } = user;
    // A customer's sites are read on every request, so a site added to the customer shows at once.
    if (customer === undefined) return resolved;
    return { ...resolved, sites: await this.options.store.customerSites(customer) };
  }

  private async check(token: TokenUser, sessionId: string, now: number): Promise<CheckedUser | Refusal> {
    const revoked = { refused: 'session ended: sign in again', code: 'error.sessionRevoked' } as const;
    const session = await this.options.store.session(sessionId);
    if (
      !session ||
      session.revokedAt !== null ||
      session.expiresAt <= now ||
      session.username !== token.username
    )
      return revoked;
    const account = await this.options.store.get(session.username);
    if (!account || account.disabledAt !== null || account.tokenVersion !== session.tokenVersion)
      return revoked;
    const base = { username: account.username, role: account.role, session: sessionId };
    if (account.role === 'customer') return { ...base, customer: account.customerId ?? '' };
    return account.sites ? { ...base, sites: account.sites } : base;
  }

  /** Drops what is cached of a user's sessions (after an admin change) and tells the listeners. */
  forget(username: string, revoked: boolean): void {
    for (const [id, held] of this.cache) if (held.user.username === username) this.cache.delete(id);
    if (revoked) for (const listener of this.listeners) listener({ username });
  }

  /** After a sign-out: that session only. */
  forgetSession(username: string, session: string): void {
    this.cache.delete(session);
    for (const listener of this.listeners) listener({ username, session });
  }

  /** Called when sessions end here (to disconnect their sockets). */
  onRevoked(listener: Revoked): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
