import {
  type ApiContract,
  type BodyOf,
  fillPath,
  type ParamsOf,
  type QueryOf,
  type ResponseOf,
} from '../../../core/api/contract.ts';
import { renderOr } from '../../../core/i18n/render.ts';
import type { Locale } from './format.ts';
import type { Session } from './types.ts';

/**
 * An API answer that was not 2xx: its message is the server's refusal in the reader's language
 * (its `code` rendered), or the server's English `error` sentence when the code is unknown.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly english = message,

    /** The fields at fault (a 400's `issues`), each in the reader's language when the server coded it. */
    readonly issues: readonly FieldIssue[] = [],
    /** The refusal's parameters; `field` names the field a coded refusal is about. */
    readonly params: Record<string, unknown> = {},
    /** The server's message code (`command.refused.last_running_pump`), when it sent one. */
    readonly code?: string,
  ) {
    super(message);
  }
}

/** One field of a refused request: its dotted path, and the server's sentence (`coded`: in the reader's language). */
export interface FieldIssue {
  path: string;
  text: string;
  coded: boolean;
}

/** What a call by contract sends: path parameters, query values and the JSON body, as the contract types them. */
export type CallInput<C extends ApiContract> = (ParamsOf<C> extends undefined
  ? { params?: undefined }
  : { params: { [K in keyof ParamsOf<C>]: string | number } }) & {
  query?: QueryOf<C> extends undefined
    ? undefined
    : { [K in keyof QueryOf<C>]?: string | number | undefined };
} & (BodyOf<C> extends undefined ? { body?: undefined } : { body: BodyOf<C> });
/** An API error answer as an ApiError, its sentence in `locale`. */
export function refusalText(
  locale: Locale,
  status: number,
  json: { error?: string; code?: unknown; params?: unknown; issues?: unknown },
) {
  const english = json.error ?? `HTTP ${status}`;
  // English readers get the server's own sentence, which names more than the code's template.
  const text = locale === 'en' ? english : renderOr(locale, json.code, json.params, english);

  const issues = (Array.isArray(json.issues) ? json.issues : []).map(
    (issue: { path?: unknown; message?: unknown; code?: unknown; params?: unknown }) => ({
      path: String(issue.path ?? ''),
      text:
        locale === 'en'
          ? String(issue.message ?? '')
          : renderOr(locale, issue.code, issue.params, String(issue.message ?? '')),
      coded: typeof issue.code === 'string',
    }),
  );
  const params = typeof json.params === 'object' && json.params !== null ? json.params : {};
  return new ApiError(
    status,
    text,
    english,
    issues,
    params as Record<string, unknown>,
    typeof json.code === 'string' ? json.code : undefined,
  );
}

export interface Api {
  /** A route by its core/api contract: its path filled in, its answer typed by the response schema. */
  call<C extends ApiContract>(
    contract: C,
    ...input: Record<never, never> extends CallInput<C> ? [CallInput<C>?] : [CallInput<C>]
  ): Promise<ResponseOf<C>>;
  get<T>(path: string): Promise<T>;
  send<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T>;
}

/** `?a=1&b=x` of the defined values, or ''. */
function queryString(query: Record<string, string | number | undefined> | undefined): string {
  const entries = Object.entries(query ?? {}).filter(
    (entry): entry is [string, string | number] => entry[1] !== undefined,
  );
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)]))}`;
}

/**
 * JSON over fetch with the session's bearer token. A 401 means the token expired or was refused:
 * `onUnauthorized` signs the user out.
 */
export function createApi(session: Session, onUnauthorized: () => void, locale: () => Locale): Api {
  const request = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`/api${path}`, {
      method,
      headers: {
        authorization: `Bearer ${session.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status === 401) onUnauthorized();
    if (response.status === 204) return undefined as T;
    const json = (await response.json().catch(() => ({}))) as { error?: string };
    if (!response.ok) throw refusalText(locale(), response.status, json);
    return json as T;
  };
  return {
    call: (contract, ...[input]) => {
      const { params, query, body } = (input ?? {}) as {
        params?: Record<string, string | number>;
        query?: Record<string, string | number | undefined>;
        body?: unknown;
      };
      // Contract paths start at the server's root (/api/...); request() adds /api.
      const path = fillPath(contract.path, params).replace(/^\/api/, '');
      return request(contract.method, `${path}${queryString(query)}`, body);
    },
    get: (path) => request('GET', path),
    send: (method, path, body) => request(method, path, body),
  };
}

export async function signIn(username: string, password: string, locale: Locale): Promise<Session> {
  const response = await fetch('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const json = (await response.json().catch(() => ({}))) as Partial<Session> & { error?: string };
  if (!response.ok || !json.token) throw refusalText(locale, response.status, json);
  return json as Session;
}

const SESSION_KEY = 'aftercare.session';

/** The session kept across reloads, unless it has expired. */
export function loadSession(storage: Storage, now: number): Session | undefined {
  try {
    const session = JSON.parse(storage.getItem(SESSION_KEY) ?? 'null') as Session | null;
    if (session && Date.parse(session.expiresAt) > now) return session;
  } catch {
    // A damaged entry is the same as none.
  }
  return undefined;
}

export function saveSession(storage: Storage, session: Session | undefined): void {
  if (session) storage.setItem(SESSION_KEY, JSON.stringify(session));
  else storage.removeItem(SESSION_KEY);
}
