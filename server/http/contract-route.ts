import type { IRouter, Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import type { ApiContract, ReplyOf } from '../../core/api/contract.ts';
import { STAFF_ROLES } from '../../core/auth/roles.ts';
import { findControlCharacter } from '../../core/text/control-characters.ts';
import { requireRole } from '../auth/roles.ts';
import { badRequest, HttpError } from './errors.ts';

type Parsed<C, K extends 'params' | 'query' | 'body'> = C extends { [P in K]: infer S extends z.ZodType }
  ? z.output<S>
  : undefined;

/** A request's input, parsed by its contract's schemas. */
export interface ContractInput<C extends ApiContract> {
  params: Parsed<C, 'params'>;
  query: Parsed<C, 'query'>;
  body: Parsed<C, 'body'>;
}

/** Returned by a handler that wrote the answer itself (a proxy passing another status on). */
export const ANSWERED: unique symbol = Symbol('answered');

export type ContractHandler<C extends ApiContract> = (
  input: ContractInput<C>,
  req: Request,
  res: Response,
) => Promise<ReplyOf<C> | typeof ANSWERED> | ReplyOf<C> | typeof ANSWERED;

export interface ContractRouteOptions {
  /** Where the router is mounted; the contract's path is relative to the server's root. Default /api. */
  mount?: string;
  /** Run before the role check (authentication, rate limits). */
  beforeGuard?: RequestHandler[];
  /** Run after the role check and before the input is parsed (a body parser with its own limit). */
  beforeParse?: RequestHandler[];
  /** What an invalid part is called in the 400 (`invalid fault: ...`). Default "request". */
  names?: Partial<Record<'params' | 'query' | 'body', string>>;
}

const registry = new WeakMap<object, ApiContract[]>();

/** The contracts registered on a router or app, in registration order. */
export function contractsOf(router: object): readonly ApiContract[] {
  return registry.get(router) ?? [];
}

/**
 * Registers the express route of a contract: its roles checked, its path params, query and body
 * parsed with the contract's schemas (an invalid part is an HttpError for the one error handler: a
 * 400 naming the fields), and what the handler returns sent with the contract's status.
 */
export function contractRoute<C extends ApiContract>(
  router: IRouter,
  contract: C,
  handler: ContractHandler<C>,
  options: ContractRouteOptions = {},
): void {
  const mount = options.mount ?? '/api';
  if (!contract.path.startsWith(mount)) {
    throw new Error(`contract ${contract.method} ${contract.path} cannot be served by a router at ${mount}`);
  }
  const path = contract.path.slice(mount.length) || '/';
  const guard =
    contract.access === 'open'
      ? []
      : [requireRole(...(contract.access === 'signed-in' ? STAFF_ROLES : contract.access))];
  const serve: RequestHandler = async (req, res) => {
    const parse = (part: 'params' | 'query' | 'body', value: unknown) => {
      // Even a part the route ignores: text with NUL is refused everywhere, not sometimes.
      refuseControlCharacters(value, options.names?.[part] ?? part);
      const schema = contract[part];
      if (!schema) return undefined;
      const result = schema.safeParse(value);
      if (!result.success) throw badRequest(result.error, options.names?.[part] ?? 'request');
      return result.data;
    };
    // A body the JSON parser did not take (another content type) is not an empty object: refused, not
    // read as `{}` (a route whose fields are all optional would otherwise answer 200 to any text).
    if (contract.body && req.body === undefined && hasBody(req)) {
      const detail = `the body must be JSON (content-type: application/json), not ${req.headers['content-type'] ?? 'untyped'}`;
      throw new HttpError(
        400,
        `invalid request: ${detail}`,
        [{ path: 'body', message: detail }],
        'error.invalidRequest',
        {
          detail,
        },
      );
    }
    const input = {
      params: parse('params', req.params),
      query: parse('query', req.query),
      body: parse('body', req.body ?? {}),
    } as ContractInput<C>;
    const reply = await handler(input, req, res);
    if (reply === ANSWERED || res.headersSent) return;
    if (contract.status === 204) {
      res.status(204).end();
    } else if (contract.contentType) {
      res.status(contract.status).set('content-type', contract.contentType).send(reply);
    } else {
      res.status(contract.status).json(reply);
    }
  };
  const handlers = [...(options.beforeGuard ?? []), ...guard, ...(options.beforeParse ?? []), serve];
  const method = contract.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete';
  router[method](path, ...handlers);
  const list = registry.get(router) ?? [];
  list.push(contract);
  registry.set(router, list);
}

/** A 400 naming the field when any text of the request holds NUL or another control character. */
function refuseControlCharacters(value: unknown, part: string): void {
  const found = findControlCharacter(value);
  if (!found) return;
  const field = found.path || part;
  throw new HttpError(
    400,
    `invalid ${part}: ${field} holds the control character ${found.character}`,
    [{ path: found.path, message: `holds the control character ${found.character}` }],
    'error.controlCharacter',
    { field, character: found.character },
  );
}

/** Whether the request carries a body (a length, or a chunked one). */
function hasBody(req: { headers: Record<string, string | string[] | undefined> }): boolean {
  const length = Number(req.headers['content-length'] ?? 0);
  return length > 0 || req.headers['transfer-encoding'] !== undefined;
}
