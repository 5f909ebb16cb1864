import { z } from 'zod';
import { errorSchema, sessionSchema } from '../core/api/index.ts';

/** How the CLI reaches a running server: its URL and a bearer token, or a user to sign in as. */
export interface ServerAccess {
  /** Default http://127.0.0.1:8080 (the server's default port). */
  server: string;
  /** A token (env AFTERCARE_TOKEN), else the user signs in with env AFTERCARE_PASSWORD. */
  token?: string | undefined;
  user?: string | undefined;
  password?: string | undefined;
}

/** A refusal by the server, with its status and sentence; retrying the same request will not help. */
export class ServerError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function answer(response: Response): Promise<string> {
  const text = await response.text();
  if (response.ok) return text;
  const parsed = errorSchema.safeParse(
    (() => {
      try {
        return JSON.parse(text);
      } catch {
        return {};
      }
    })(),
  );
  throw new ServerError(response.status, parsed.success ? parsed.data.error : `HTTP ${response.status}`);
}

/** A bearer token: the one given, or a sign-in with the user and password. */
export async function tokenFor(access: ServerAccess): Promise<string> {
  if (access.token) return access.token;
  if (!access.user || !access.password) {
    throw new ServerError(
      0,
      'no credentials: set AFTERCARE_TOKEN, or give --user and set AFTERCARE_PASSWORD',
    );
  }
  const response = await fetch(new URL('/api/auth/login', access.server), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: access.user, password: access.password }),
  });
  return sessionSchema.parse(JSON.parse(await answer(response))).token;
}

/** Calls `method path` with the token; the answer's text, or a ServerError. */
export async function request(
  access: ServerAccess,
  token: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<string> {
  const response = await fetch(new URL(path, access.server), {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return await answer(response);
}

export const accessFlagsSchema = z.object({
  server: z.url({ error: '--server is not a URL' }),
  user: z.string().min(1).optional(),
});
