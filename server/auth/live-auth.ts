import type { LiveAuthorize } from '../live/live-updates.ts';
import type { TokenIssuer } from './tokens.ts';

/**
 * socket.io handshake check: a client that presents `auth: { token }` must present a valid one
 * (its user is kept on `socket.data.user`); a client without a token is admitted to the public
 * station stream.
 */
export function tokenLiveAuthorize(tokens: TokenIssuer): LiveAuthorize {
  return (socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    if (token === undefined) {
      next();
      return;
    }
    if (typeof token !== 'string') {
      next(new Error('auth.token must be a string'));
      return;
    }
    tokens
      .verify(token)
      .then((verdict) => {
        if ('refused' in verdict) next(new Error(verdict.refused));
        else {
          socket.data.user = verdict;
          next();
        }
      })
      .catch((error: unknown) => next(error as Error));
  };
}
