/**
 * The portal's one way to the gateway: same-origin fetch with the session cookie, the CSRF token on writes, and
 * every failure turned into an {@link ApiProblem} carrying the API's stable `code` and its `detail` (never a stack
 * trace, peer address or anything else of the network's internals).
 */

/** A failed API call: the problem document's code and explanation, and the HTTP status. */
export class ApiProblem extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly fields: { field: string; messages: string[] }[];

  constructor(
    status: number,
    code: string,
    detail: string,
    fields: { field: string; messages: string[] }[] = [],
  ) {
    super(detail);
    this.name = 'ApiProblem';
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.fields = fields;
  }
}

let csrfToken: string | null = null;

/** Remembers the session's CSRF token (from the login or session answer). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** A JSON answer `{data, ...}`. */
export interface Answer<T> {
  data: T;
  page?: {
    bookmark?: string;
    fetchedCount?: number;
    page?: number;
    pageSize?: number;
    total?: number;
    hasMore?: boolean;
  };
  tx?: { txId: string; blockNumber: number; timestamp?: string; committedAt?: string };
}

/** Calls the API; resolves to the parsed JSON body (undefined for 204). */
export async function api<T = unknown>(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  init: { signal?: AbortSignal; accept?: string; cache?: RequestCache } = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: init.accept ?? 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal: init.signal,
      ...(init.cache ? { cache: init.cache } : {}),
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiProblem(0, 'NETWORK', 'the service cannot be reached; check the connection and try again');
  }
  if (res.status === 204 || res.status === 304) return undefined as T;
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!res.ok) {
    const problem = (parsed ?? {}) as { code?: unknown; detail?: unknown; details?: { fields?: unknown } };
    const code = typeof problem.code === 'string' ? problem.code : `HTTP_${res.status}`;
    const detail = typeof problem.detail === 'string' ? problem.detail : res.statusText || 'request failed';
    const fields = Array.isArray(problem.details?.fields)
      ? (problem.details.fields as { field: string; messages: string[] }[])
      : [];
    throw new ApiProblem(res.status, code, detail, fields);
  }
  return parsed as T;
}

/** GET a JSON answer. */
export function get<T>(path: string, signal?: AbortSignal): Promise<T> {
  return api<T>('GET', path, undefined, { signal });
}

/** POST a JSON body. */
export function post<T>(path: string, body: unknown = {}): Promise<T> {
  return api<T>('POST', path, body);
}

/** A query string from the defined, non-empty values. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** A path segment (lot IDs hold a colon and GS1 characters). */
export function seg(value: string): string {
  return encodeURIComponent(value);
}
