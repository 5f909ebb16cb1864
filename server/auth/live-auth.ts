import type { LiveAuthorize, LiveSocket } from '../live/live-updates.ts';
import type { SessionGate } from './session-gate.ts';

/**
 * socket.io handshake check: every client presents `auth: { token }`, a valid bearer token from
 * sign-in, checked against its account like a request (SessionGate); its user is kept on
 * `socket.data.user`. Every role may watch stations; a user with `sites` (a customer: its
 * customer's sites) joins only their rooms (live-updates.ts refuses the others).
 */
export function tokenLiveAuthorize(gate: SessionGate): LiveAuthorize {
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
    gate
      .resolve(token)
      .then((verdict) => {
        if ('refused' in verdict) next(new Error(verdict.refused));
        else {
          socket.data.user = verdict;
          socket.data.token = token;
          next();
        }
      })
      .catch((error: unknown) => next(error as Error));
  };
}

/** Reads the socket's user again (a customer's sites as they are now); false when its session ended. */
export function refreshLiveUser(gate: SessionGate) {
  return async (socket: LiveSocket): Promise<boolean> => {
    const token = socket.data.token;
    if (token === undefined) return true;
    const verdict = await gate.resolve(token);
    if ('refused' in verdict) return false;
    socket.data.user = verdict;
    return true;
  };
}
