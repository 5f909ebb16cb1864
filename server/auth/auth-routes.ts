import { randomBytes } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import { login, me } from '../../core/api/auth.ts';
import { hashSecret, verifySecret } from '../../core/secrets.ts';
import { ANSWERED, type ContractInput, contractRoute } from '../http/contract-route.ts';
import type { Account } from './accounts.ts';
import type { TokenIssuer, TokenUser } from './tokens.ts';

export interface AuthRoutesOptions {
  accounts: readonly Account[];
  tokens: TokenIssuer;
  /** Sign-in attempts per client address per window. Default 10 per minute. */
  loginLimit?: number;
  loginWindowMs?: number;
  onLogin?: (outcome: 'ok' | 'refused' | 'limited') => void;
}

/** `POST /auth/login` ({username, password} -> {token}) and `GET /auth/me`; mount under /api. */
export function authRoutes(options: AuthRoutesOptions): Router {
  const router = express.Router();
  const byName = new Map(options.accounts.map((a) => [a.username, a]));
  // Unknown user names are checked against a real hash too, so timing does not tell which names exist.
  const decoyHash = hashSecret(randomBytes(16).toString('hex'));
  const limiter = rateLimit({
    windowMs: options.loginWindowMs ?? 60_000,
    limit: options.loginLimit ?? 10,
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

  const signIn = async ({ body }: ContractInput<typeof login>, _req: Request, res: Response) => {
    const account = byName.get(body.username);
    const ok = await verifySecret(body.password, account?.passwordHash ?? (await decoyHash));
    if (!account || !ok) {
      options.onLogin?.('refused');
      res.status(401).json({ error: 'wrong user name or password', code: 'error.wrongPassword', params: {} });
      return ANSWERED;
    }
    options.onLogin?.('ok');
    const { token, expiresAt } = await options.tokens.issue({
      username: account.username,
      role: account.role,
      ...(account.sites ? { sites: account.sites } : {}),
    });
    return {
      token,
      username: account.username,
      role: account.role,
      ...(account.sites ? { sites: account.sites } : {}),
      expiresAt: new Date(expiresAt).toISOString(),
    };
  };
  contractRoute(router, login, signIn, { beforeGuard: [limiter, express.json({ limit: '4kb' })] });

  // requireRole answers 401 without a user.
  contractRoute(router, me, (_input, req) => (req as Request & { user: TokenUser }).user);
  return router;
}

/**
 * Reads `Authorization: Bearer <token>` and sets `req.user`. A request without a token goes on
 * without a user (each route decides whether it needs one); a bad or expired token is a 401.
 */
export function bearerAuth(tokens: TokenIssuer) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const header = req.headers.authorization;
    if (!header) {
      next();
      return;
    }
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const verdict = match?.[1]
      ? await tokens.verify(match[1])
      : { refused: 'expected "Authorization: Bearer <token>"' };
    if ('refused' in verdict) {
      res.status(401).json({ error: verdict.refused });
      return;
    }
    (req as Request & { user?: TokenUser }).user = verdict;
    next();
  };
}
