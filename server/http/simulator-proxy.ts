import express, { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { requireRole } from '../auth/roles.ts';
import { badRequest, HttpError } from './errors.ts';

export interface SimulatorProxyOptions {
  /** The simulator's control API, e.g. http://127.0.0.1:5019 (it has no CORS, so the browser goes through here). */
  controlUrl: string;
  /** How long to wait for the simulator. Default 5000 ms. */
  timeoutMs?: number;
}

const stationId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a station id of 1-64 letters, digits, _ or -');
const faultName = z.string().regex(/^[a-z_]{1,64}$/, 'a fault name such as pump_trip');
const faultBody = z
  .object({
    fault: faultName,
    pump: z.number().int().min(1).max(9).optional(),
    params: z.record(z.string(), z.union([z.number(), z.string().max(200)])).optional(),
  })
  .strict();
const speedBody = z.object({ speed: z.number().min(0).max(1_000_000) }).strict();
const pumpQuery = z.object({ pump: z.coerce.number().int().min(1).max(9).optional() });

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw badRequest(result.error, what);
  return result.data;
}

/**
 * The engineer's dashboard reaches the simulator's control API through the server: GET
 * /sim/stations, GET /sim/faults, POST /sim/stations/:id/faults, DELETE
 * /sim/stations/:id/faults/:fault?pump=N, PUT /sim/speed. Engineers and admins only; mount under /api.
 */
export function simulatorProxy(options: SimulatorProxyOptions): Router {
  const router = Router();
  const base = options.controlUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 5000;
  const engineer = requireRole('engineer', 'admin');

  const forward = async (res: Response, method: string, path: string, body?: unknown) => {
    let answer: globalThis.Response;
    try {
      answer = await fetch(`${base}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new HttpError(
        502,
        `simulator control API at ${base} is unreachable (${(error as Error).message}): is the simulator running?`,
        undefined,
        'error.simulatorDown',
      );
    }
    const text = await answer.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new HttpError(
        502,
        `simulator control API answered ${answer.status} without JSON`,
        undefined,
        'error.simulatorDown',
      );
    }
    res.status(answer.status).json(json);
  };

  router.get('/sim/stations', engineer, async (_req: Request, res: Response) => {
    await forward(res, 'GET', '/stations');
  });
  router.get('/sim/faults', engineer, async (_req: Request, res: Response) => {
    await forward(res, 'GET', '/faults');
  });
  router.post('/sim/stations/:id/faults', engineer, express.json({ limit: '16kb' }), async (req, res) => {
    const id = parse(stationId, req.params.id, 'station id');
    await forward(res, 'POST', `/stations/${id}/faults`, parse(faultBody, req.body, 'fault'));
  });
  router.delete('/sim/stations/:id/faults/:fault', engineer, async (req: Request, res: Response) => {
    const id = parse(stationId, req.params.id, 'station id');
    const fault = parse(faultName, req.params.fault, 'fault name');
    const { pump } = parse(pumpQuery, req.query, 'query');
    await forward(res, 'DELETE', `/stations/${id}/faults/${fault}${pump ? `?pump=${pump}` : ''}`);
  });
  router.put('/sim/speed', engineer, express.json({ limit: '1kb' }), async (req, res) => {
    await forward(res, 'PUT', '/speed', parse(speedBody, req.body, 'speed'));
  });
  return router;
}
