import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Logger } from '../core/log.ts';
import { FAULT_HELP, FAULT_NAMES, FaultError } from './model/faults.ts';
import type { StationRuntime } from './station-runtime.ts';

/** What the control API needs from a running simulator. */
export interface ControlTarget {
  stations(): Array<{ id: string; host: string; port: number; unitId: number; runtime: StationRuntime }>;
  speed(): number;
  setSpeed(speed: number): void;
}

export interface ControlApiOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  target: ControlTarget;
  logger: Logger;
}

export interface RunningControlApi {
  url: string;
  close(): Promise<void>;
}

const faultBodySchema = z
  .object({
    fault: z.string().min(1),
    pump: z.number().int().min(1).max(9).optional(),
    params: z.record(z.string(), z.union([z.number(), z.string()])).optional(),
  })
  .strict();

const speedBodySchema = z.object({ speed: z.number().min(0).max(1_000_000) }).strict();
const pumpQuerySchema = z.coerce.number().int().min(1).max(9).optional();

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.map(String).join('.') || 'body'}: ${i.message}`);
  throw new HttpError(400, `bad request body: ${problems.join('; ')}`);
}

/**
 * Small JSON API for fault injection and simulated time:
 * GET /stations, GET /stations/:id, POST /stations/:id/faults, DELETE /stations/:id/faults/:fault?pump=N,
 * PUT /speed, GET /faults.
 */
export async function startControlApi(options: ControlApiOptions): Promise<RunningControlApi> {
  const { target } = options;
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '16kb' }));

  const find = (id: string) => {
    const entry = target.stations().find((s) => s.id === id);
    if (!entry)
      throw new HttpError(
        404,
        `unknown station "${id}" (known: ${target
          .stations()
          .map((s) => s.id)
          .join(', ')})`,
      );
    return entry;
  };
  const describe = (entry: ReturnType<typeof find>) => ({
    id: entry.id,
    host: entry.host,
    port: entry.port,
    unitId: entry.unitId,
    simulatedSeconds: entry.runtime.time,
    faults: entry.runtime.faults(),
  });

  app.get('/faults', (_req, res) => {
    res.json({ faults: FAULT_NAMES.map((name) => ({ name, description: FAULT_HELP[name] })) });
  });
  app.get('/stations', (_req, res) => {
    res.json({ speed: target.speed(), stations: target.stations().map(describe) });
  });
  app.get('/stations/:id', (req, res) => {
    const entry = find(req.params.id);
    res.json({ ...describe(entry), readings: entry.runtime.readings() });
  });
  app.post('/stations/:id/faults', (req, res) => {
    const entry = find(req.params.id);
    const body = parseBody(faultBodySchema, req.body);
    const active = entry.runtime.inject(body);
    res.status(201).json({ injected: active, faults: entry.runtime.faults() });
  });
  app.delete('/stations/:id/faults/:fault', (req, res) => {
    const entry = find(req.params.id);
    const pump = pumpQuerySchema.safeParse(req.query.pump);
    if (!pump.success) throw new HttpError(400, `bad pump "${String(req.query.pump)}": a pump number 1..9`);
    const cleared = entry.runtime.clear(req.params.fault, pump.data);
    res.json({ cleared, faults: entry.runtime.faults() });
  });
  app.put('/speed', (req, res) => {
    const { speed } = parseBody(speedBodySchema, req.body);
    target.setSpeed(speed);
    res.json({ speed: target.speed() });
  });
  app.use((req, _res, next) => next(new HttpError(404, `no route ${req.method} ${req.path}`)));
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const { status, message } = toHttp(error);
    if (status >= 500) options.logger.error({ err: error }, 'control API request failed');
    res.status(status).json({ error: message });
  });

  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(options.port, options.host, (error?: Error) => (error ? reject(error) : resolve(s)));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function toHttp(error: unknown): { status: number; message: string } {
  if (error instanceof HttpError) return { status: error.status, message: error.message };
  if (error instanceof FaultError)
    return { status: error.kind === 'not_found' ? 404 : 400, message: error.message };
  const withStatus = error as { status?: number; type?: string; message?: string };
  if (withStatus.type === 'entity.parse.failed')
    return { status: 400, message: 'request body is not valid JSON' };
  if (typeof withStatus.status === 'number' && withStatus.status < 500) {
    return { status: withStatus.status, message: withStatus.message ?? 'bad request' };
  }
  return { status: 500, message: `internal error: ${withStatus.message ?? String(error)}` };
}
