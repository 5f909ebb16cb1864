import type { Server } from 'node:http';
import express, { type Router } from 'express';
import { silentLogger } from '../../core/log.ts';
import { freePort } from '../../core/net.ts';
import { errorHandler } from '../../server/http/errors.ts';

/** Routers under /api on a loopback port, signed in by a header instead of a token. */
export interface RoleApi {
  /** Calls `/api<path>` as `role` (null: anonymous); `raw` sends that body as it is. */
  call(
    method: string,
    path: string,
    role: string | null,
    body?: unknown,
    raw?: string,
    // biome-ignore lint/suspicious/noExplicitAny: tests read the answers field by field, as JSON.parse gives them
  ): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
  /** The server's origin, for answers that are not text (a PDF, a zip). */
  base: string;
}

/**
 * Serves `routers` at /api behind a stand-in for the server's auth middleware: the role named in the
 * `x-test-role` header signs in, username = role.
 */
export async function serveWithTestRoles(routers: readonly Router[]): Promise<RoleApi> {
  const app = express();
  app.use((req, _res, next) => {
    const role = req.header('x-test-role');
    if (role) (req as unknown as { user: unknown }).user = { username: role, role };
    next();
  });
  for (const router of routers) app.use('/api', router);
  app.use(errorHandler(silentLogger()));
  const port = await freePort();
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(port, '127.0.0.1', () => resolve(listening));
  });
  const base = `http://127.0.0.1:${port}`;
  return {
    async call(method, path, role, body, raw) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (role) headers['x-test-role'] = role;
      const response = await fetch(`${base}/api${path}`, {
        method,
        headers,
        ...(raw !== undefined ? { body: raw } : body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      const json = (response.headers.get('content-type') ?? '').includes('json');
      return { status: response.status, body: text ? (json ? JSON.parse(text) : text) : null };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    base,
  };
}
