import type { LiveAuthorize } from '../live/live-updates.ts';
import type { TokenIssuer } from './tokens.ts';

/**
 * socket.io handshake check: every client presents `auth: { token }`, a valid bearer token from
 * sign-in; its user is kept on `socket.data.user`. Every role may watch stations; a user with
 * `sites` joins only their rooms (live-updates.ts refuses the others).
 */
export function tokenLiveAuthorize(tokens: TokenIssuer): LiveAuthorize {
  return (socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    if (token === undefined) {
      next(new Error('sign in first: connect with auth: { token }'));
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
