/**
 * The console's one way to the API: same origin, the session cookie (HttpOnly, set by the server)
 * sent by the browser, JSON both ways (a CSV import sends its text as it is), and every error
 * turned into an ApiError carrying the problem (RFC 9457) the API answered.
 */

export interface ProblemBody {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: { field: string; message: string }[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: ProblemBody,
    /** Seconds from the Retry-After header (429, 503), when given. */
    readonly retryAfter: number | undefined,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
  }

  /** The problem's type without its `/problems/` prefix: `action-rejected`, `forbidden`… */
  get type(): string {
    return (this.problem.type ?? '').replace(/^\/problems\//, '');
  }
}

/** The request never got an answer: the network, or the service is down. */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('network error', { cause });
    this.name = 'NetworkError';
  }
}

let unauthenticated: (() => void) | undefined;

/**
 * Who is told when the API answers 401 (the session ended or was signed out elsewhere): the
 * session provider, which sends the person back to sign-in. Returns the unsubscribe.
 */
export function onUnauthenticated(handler: () => void): () => void {
  unauthenticated = handler;
  return () => {
    if (unauthenticated === handler) unauthenticated = undefined;
  };
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as it is in place of a JSON body: a file's text or bytes, with its content type (`text/csv`). */
  raw?: { text: string | Blob; type: string };
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** A 401 is the answer itself (a wrong password), not a session that ended. */
  expect401?: boolean;
}

function isProblem(value: unknown): value is ProblemBody {
  return typeof value === 'object' && value !== null && ('type' in value || 'title' in value);
}

function retryAfterOf(response: Response): number | undefined {
  const value = Number(response.headers.get('retry-after'));
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

export async function request<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, options: RequestOptions = {}): Promise<T> {
  let response: Response;
  const type = options.raw?.type ?? (options.body !== undefined ? 'application/json' : undefined);
  const body = options.raw?.text ?? (options.body !== undefined ? JSON.stringify(options.body) : undefined);
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: { accept: 'application/json', ...(type ? { 'content-type': type } : {}), ...options.headers },
      ...(body !== undefined ? { body } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new NetworkError(error);
  }
  return answerOf<T>(response, options);
}

/** The answer's JSON, or the ApiError carrying its problem; a 401 tells the session provider. */
export async function answerOf<T>(response: Response, options: Pick<RequestOptions, 'expect401'> = {}): Promise<T> {
  const text = await response.text();
  let json: unknown = undefined;
  try {
    json = text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    // Not JSON (a proxy's error page): the status alone tells what happened.
  }
  if (!response.ok) {
    const problem = isProblem(json) ? json : { status: response.status, title: response.statusText };
    if (response.status === 401 && !options.expect401) unauthenticated?.();
    throw new ApiError(response.status, problem, retryAfterOf(response));
  }
  return json as T;
}

export const get = <T>(path: string, signal?: AbortSignal) => request<T>('GET', path, signal ? { signal } : {});

/** A query string of the values given; empty ones are left out. */
export function query(values: Record<string, string | number | boolean | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * A fresh Idempotency-Key. `crypto.randomUUID` exists only in secure contexts (https, loopback);
 * a bureau's intranet may serve the console over plain http, where getRandomValues still works.
 */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
