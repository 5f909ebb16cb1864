import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { login, logout, me } from '../../core/api/auth.ts';
import type { LockoutPolicy } from '../../core/auth/lockout.ts';
import type { Role } from '../../core/auth/roles.ts';
import { ANSWERED, type ContractInput, contractRoute } from '../http/contract-route.ts';
import type { AccountStore } from './account-store.ts';
import type { ResolvedUser, SessionGate } from './session-gate.ts';
import { passwordSignIn } from './sign-in.ts';
import type { TokenIssuer } from './tokens.ts';

export type SignInOutcome = 'ok' | 'refused' | 'limited' | 'locked';

export interface AuthRoutesOptions {
  store: AccountStore;
  tokens: TokenIssuer;
  gate: SessionGate;
  /** Sign-in attempts per client address per window. Default 10 per minute. */
  loginLimit?: number;
  loginWindowMs?: number;
  /** Which client an attempt counts against. Default: its address (express's req.ip). */
  loginKey?: (req: Request) => string;
  /** Per-account lockout. Default: 5 failures lock 1 min, doubling per failure, at most 1 h. */
  lockout?: LockoutPolicy;
  clock?: () => number;
  onLogin?: (outcome: SignInOutcome) => void;
}

type SignedIn = Request & { user: ResolvedUser };

/** `POST /auth/login`, `POST /auth/logout` and `GET /auth/me`; mount under /api. */
export function authRoutes(options: AuthRoutesOptions): Router {
  const router = express.Router();
  const clock = options.clock ?? Date.now;
  const tryPassword = passwordSignIn({ ...options, clock });
  const limiter = rateLimit({
    windowMs: options.loginWindowMs ?? 60_000,
    limit: options.loginLimit ?? 10,
    keyGenerator: options.loginKey ?? ((req) => ipKeyGenerator(req.ip ?? '')),
    // Guesses are what the limit is for: a shift of operators signing in from one office (one
    // address behind NAT) must not lock each other out.
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, res) => {
      options.onLogin?.('limited');
      res.status(429).json({
        error: 'too many sign-in attempts: wait a minute and try again',
        code: 'error.tooManySignIns',
        params: {},
      });
    },
  });

  const refuse = (res: Response): typeof ANSWERED => {
    options.onLogin?.('refused');
    res.status(401).json({ error: 'wrong user name or password', code: 'error.wrongPassword', params: {} });
    return ANSWERED;
  };

  const signIn = async ({ body }: ContractInput<typeof login>, _req: Request, res: Response) => {
    const result = await tryPassword(body.username, body.password);
    if (!result.ok && result.outcome === 'locked') {
      options.onLogin?.('locked');
      const seconds = Math.ceil(result.waitMs / 1000);
      res
        .status(429)
        .set('retry-after', String(seconds))
        .json({
          error: `too many wrong passwords for this account: wait ${seconds} s and try again`,
          code: 'error.accountLocked',
          params: { seconds },
        });
      return ANSWERED;
    }
    if (!result.ok) return refuse(res);
    const { token, user, expiresAt } = result;
    options.onLogin?.('ok');
    return {
      token,
      username: user.username,
      role: user.role,
      ...(user.sites ? { sites: user.sites } : {}),
      expiresAt: new Date(expiresAt).toISOString(),
    };
  };
  contractRoute(router, login, signIn, { beforeGuard: [limiter, express.json({ limit: '4kb' })] });

  contractRoute(router, logout, async (_input, req) => {
    const { username, session } = (req as SignedIn).user;
    // A minted token (no session) has nothing to end; it lapses at its expiry.
    if (session) {
      await options.store.revokeSession(session, clock());
      options.gate.forgetSession(username, session);
    }
    return undefined;
  });

  // requireRole answers 401 without a user.
  contractRoute(router, me, (_input, req) => {
    const { username, role, sites } = (req as SignedIn).user;
    return { username, role: role as Role, ...(sites ? { sites: [...sites] } : {}) };
  });
  return router;
}

/**
 * Reads `Authorization: Bearer <token>` and sets `req.user` from the token's account (SessionGate).
 * A request without a token goes on without a user (each route decides whether it needs one); a
 * bad, expired or revoked token is a 401.
 */
export function bearerAuth(gate: SessionGate) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const header = req.headers.authorization;
    if (!header) {
      next();
      return;
    }
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    try {
      const verdict = match?.[1]
        ? await gate.resolve(match[1])
        : { refused: 'expected "Authorization: Bearer <token>"', code: 'error.signInFirst' as const };
      if ('refused' in verdict) {
        res.status(401).json({ error: verdict.refused, code: verdict.code, params: {} });
        return;
      }
      (req as Request & { user?: unknown }).user = verdict;
      next();
    } catch (error) {
      next(error);
    }
  };
}
