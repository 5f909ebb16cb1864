import express, { type Response, Router } from 'express';
import { clearFault, injectFault, simFaults, simSpeed, simStations } from '../../core/api/simulator.ts';
import { ANSWERED, contractRoute } from './contract-route.ts';
import { HttpError } from './errors.ts';

export interface SimulatorProxyOptions {
  /** The simulator's control API, e.g. http://127.0.0.1:5019 (it has no CORS, so the browser goes through here). */
  controlUrl: string;
  /** How long to wait for the simulator. Default 5000 ms. */
  timeoutMs?: number;
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
    return ANSWERED;
  };

  contractRoute(router, simStations, (_input, _req, res) => forward(res, 'GET', '/stations'));
  contractRoute(router, simFaults, (_input, _req, res) => forward(res, 'GET', '/faults'));
  contractRoute(
    router,
    injectFault,
    ({ params: { id }, body }, _req, res) => forward(res, 'POST', `/stations/${id}/faults`, body),
    { beforeParse: [express.json({ limit: '16kb' })], names: { params: 'station id', body: 'fault' } },
  );
  contractRoute(
    router,
    clearFault,
    ({ params: { id, fault }, query: { pump } }, _req, res) =>
      forward(res, 'DELETE', `/stations/${id}/faults/${fault}${pump ? `?pump=${pump}` : ''}`),
    { names: { params: 'station id or fault name' } },
  );
  contractRoute(router, simSpeed, ({ body }, _req, res) => forward(res, 'PUT', '/speed', body), {
    beforeParse: [express.json({ limit: '1kb' })],
    names: { body: 'speed' },
  });
  return router;
}
