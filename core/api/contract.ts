import type { z } from 'zod';
import type { Role } from '../auth/roles.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * Who may call a route: anyone, any signed-in staff role (STAFF_ROLES: every role but `customer`),
 * or only the listed roles.
 */
export type Access = 'open' | 'signed-in' | readonly Role[];

/**
 * One HTTP route as both ends see it: the server registers its handler from this (roles checked,
 * input parsed), the OpenAPI document is generated from it, and the dashboards call by it.
 */
export interface ApiContract {
  method: HttpMethod;
  /** Express-style path from the server's root, e.g. `/api/alarms/:id`. */
  path: string;
  summary: string;
  access: Access;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** The success status; 204 answers have no body. */
  status: 200 | 201 | 204;
  /** The success answer (JSON unless `contentType` says otherwise). */
  response?: z.ZodType;
  /** Content type of an answer that is not JSON (Prometheus text at /metrics). */
  contentType?: string;
}

/** Keeps the literal types of a contract, so callers infer its schemas. */
export function defineContract<const C extends ApiContract>(contract: C): C {
  return contract;
}

type Schema<C, K extends keyof ApiContract> = C extends { [P in K]: infer S extends z.ZodType } ? S : never;

/** The parsed success answer of a contract (undefined for 204). */
export type ResponseOf<C extends ApiContract> = [Schema<C, 'response'>] extends [never]
  ? undefined
  : z.output<Schema<C, 'response'>>;
/** What a handler may hand back for the answer (before the schema's defaults). */
export type ReplyOf<C extends ApiContract> = [Schema<C, 'response'>] extends [never]
  ? undefined
  : z.input<Schema<C, 'response'>>;
export type QueryOf<C extends ApiContract> = [Schema<C, 'query'>] extends [never]
  ? undefined
  : z.input<Schema<C, 'query'>>;
export type BodyOf<C extends ApiContract> = [Schema<C, 'body'>] extends [never]
  ? undefined
  : z.input<Schema<C, 'body'>>;
export type ParamsOf<C extends ApiContract> = [Schema<C, 'params'>] extends [never]
  ? undefined
  : z.input<Schema<C, 'params'>>;

/** `/api/alarms/:id` with `{ id: 3 }` to `/api/alarms/3` (each value URI-encoded). */
export function fillPath(path: string, params: Record<string, string | number> = {}): string {
  return path.replace(/:([A-Za-z]+)/g, (_match, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`path ${path} needs the parameter ${name}`);
    return encodeURIComponent(String(value));
  });
}
