import type { PlannedRequest } from '../payload/plan';
import { metadataPath, userPath } from '../payload/plan';
import { redactBody, redactSecrets } from '../redact';
import {
  type ClerkFailure,
  type ClerkResult,
  type RequestContext,
  failureFromException,
  failureFromResponse,
  parseErrorEnvelope,
  probablyApplied,
  statusLabel,
} from './errors';
import type { RequestGate } from './gate';
import { checkSecretKey, describeKey, isProductionKey } from './keys';
import type { ClerkTotalCount, ClerkUser } from './types';
import { checkApiUrl } from './url';

/** Plain configuration of a client; the glue builds it from settings and SecretStorage. */
export interface ClerkClientConfig {
  /** e.g. `https://api.clerk.com` or `http://127.0.0.1:4010` (checked by `checkApiUrl`). */
  apiUrl: string;
  /** `sk_test_…` or `sk_live_…`; surrounding whitespace is trimmed (checked by `checkSecretKey`). */
  secretKey: string;
  /** Sent as `Clerk-API-Version`. */
  apiVersion: string;
  /** Sent as `User-Agent`, e.g. `clerk-user-update/0.1.0 (vscode 1.139.1)` (see useragent.ts). */
  userAgent: string;
  /** Whole-request timeout (connect, headers and body). Default 30 000 ms. */
  timeoutMs?: number;
  /** Larger responses are not read to the end and fail as `too-large`. Default 5 MiB. */
  maxResponseBytes?: number;
  /** Defaults to the global `fetch` (Node's undici). */
  fetch?: typeof fetch;
  /** Every request waits here before it leaves (a bulk run's pacer); see `withGate`. */
  gate?: RequestGate;
}

/** Per-call options. */
export interface CallOptions {
  /** Aborting it cancels the request (the result is a `cancelled` failure). */
  signal?: AbortSignal;
}

/** Thrown by `new ClerkClient` for a bad key or API URL. The message never contains the key. */
export class ClerkConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClerkConfigError';
  }
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 5 * 1024 * 1024;
const MAX_REDIRECTS = 3;

/** A request as shown by `--dry-run` and logs: the key and secret values redacted. */
export interface DescribedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** The body with secret values replaced by `"[redacted]"`. */
  body?: string;
}

/**
 * Describe a planned request exactly as it would be sent, for `--dry-run` and logs. The key is
 * never included (only whether it is a test or live key); secret body values are redacted.
 */
export function describeRequest(
  config: Pick<ClerkClientConfig, 'apiUrl' | 'apiVersion' | 'userAgent'> & { secretKey?: string },
  request: Pick<PlannedRequest, 'method' | 'path' | 'body'>,
): DescribedRequest {
  const url = checkApiUrl(config.apiUrl);
  const base = url.ok ? url.url : config.apiUrl.replace(/\/+$/, '');
  const key = config.secretKey ? checkSecretKey(config.secretKey) : undefined;
  const auth = key?.ok ? `Bearer [redacted ${describeKey(key.key)} key]` : 'Bearer [no valid secret key]';
  const headers: Record<string, string> = {
    Authorization: auth,
    'Clerk-API-Version': config.apiVersion,
    'User-Agent': config.userAgent,
  };
  if (request.body !== undefined) headers['Content-Type'] = 'application/json';
  return {
    method: request.method,
    url: base + request.path,
    headers,
    body: request.body === undefined ? undefined : redactBody(request.body),
  };
}

/** Query of `GET /v1/users`. */
export interface ListUsersParams {
  /** Matches emails, phones, usernames, web3 wallets, ids and names. */
  query?: string;
  /** 1–500, default 10. */
  limit?: number;
  offset?: number;
  /** e.g. `-created_at` (Clerk's default). */
  orderBy?: string;
  /** Exact filters (repeated keys). */
  userId?: string[];
  emailAddress?: string[];
  username?: string[];
  externalId?: string[];
  /** Members of these organizations. */
  organizationId?: string[];
  /** Cursor paging: the users after this id, in `created_at` order. */
  startingAfter?: string;
}

/**
 * A client of Clerk's Backend API for the user endpoints, on Node's `fetch`.
 *
 * - Every method resolves to a `ClerkResult` and never throws for HTTP, network or cancel
 *   outcomes; messages name the cause and never contain the key.
 * - Redirects are handled manually: same-origin 307/308 (and 301/302/303 for GET) are followed
 *   up to 3 times; a redirect to another origin is never followed, so the key never leaves the
 *   configured origin.
 * - Responses are read up to `maxResponseBytes`; the timeout covers the whole exchange.
 * - Nothing is retried here. Use `withRateLimitRetry` for 429s.
 */
export class ClerkClient {
  readonly apiUrl: string;
  readonly apiVersion: string;
  readonly userAgent: string;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  /** True for an `sk_live_` key. */
  readonly isProduction: boolean;
  /** `sk_test_…` or `sk_live_…`, for display. */
  readonly keyLabel: string;
  readonly #key: string;
  readonly #fetch: typeof fetch;
  readonly #gate: RequestGate | undefined;
  readonly #origin: string;
  readonly #host: string;

  /** @throws ClerkConfigError for an invalid key or API URL. */
  constructor(config: ClerkClientConfig) {
    const key = checkSecretKey(config.secretKey);
    if (!key.ok) throw new ClerkConfigError(key.message);
    const url = checkApiUrl(config.apiUrl);
    if (!url.ok) throw new ClerkConfigError(url.message);
    this.#key = key.key;
    this.isProduction = isProductionKey(key.key);
    this.keyLabel = describeKey(key.key);
    this.apiUrl = url.url;
    const parsed = new URL(url.url);
    this.#origin = parsed.origin;
    this.#host = parsed.host;
    this.apiVersion = config.apiVersion;
    this.userAgent = config.userAgent;
    this.timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxResponseBytes = config.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.#fetch = config.fetch ?? globalThis.fetch;
    this.#gate = config.gate;
  }

  /** The same client (key, URL, version, timeouts) with every request passing `gate` first. */
  withGate(gate: RequestGate): ClerkClient {
    const { apiUrl, apiVersion, userAgent, timeoutMs, maxResponseBytes } = this;
    return new ClerkClient({
      apiUrl,
      secretKey: this.#key,
      apiVersion,
      userAgent,
      timeoutMs,
      maxResponseBytes,
      fetch: this.#fetch,
      gate,
    });
  }

  /** `GET /v1/users/{id}`. A missing user is a `not-found` failure naming the id. */
  getUser(userId: string, options: CallOptions = {}): Promise<ClerkResult<ClerkUser>> {
    return this.request<ClerkUser>('GET', userPath(userId), { ...options, userId });
  }

  /** `GET /v1/users?query=…&limit=…` (a bare array, newest first). */
  listUsers(
    query: string | ListUsersParams = '',
    limit?: number,
    options: CallOptions = {},
  ): Promise<ClerkResult<ClerkUser[]>> {
    const params = typeof query === 'string' ? { query, limit } : { ...query, limit: limit ?? query.limit };
    return this.request<ClerkUser[]>('GET', `/v1/users${toSearch(params)}`, options);
  }

  /** `GET /v1/users/count`. */
  countUsers(
    query: string | ListUsersParams = '',
    options: CallOptions = {},
  ): Promise<ClerkResult<ClerkTotalCount>> {
    const params =
      typeof query === 'string'
        ? { query }
        : { ...query, limit: undefined, offset: undefined, orderBy: undefined };
    return this.request<ClerkTotalCount>('GET', `/v1/users/count${toSearch(params)}`, options);
  }

  /** `PATCH /v1/users/{id}` with `body` sent byte for byte. */
  updateUser(userId: string, body: string, options: CallOptions = {}): Promise<ClerkResult<ClerkUser>> {
    return this.request<ClerkUser>('PATCH', userPath(userId), { ...options, userId, body });
  }

  /** `PUT /v1/users/{id}/metadata`: each given metadata field is replaced whole. */
  putMetadata(userId: string, body: string, options: CallOptions = {}): Promise<ClerkResult<ClerkUser>> {
    return this.request<ClerkUser>('PUT', metadataPath(userId), { ...options, userId, body });
  }

  /** `PATCH /v1/users/{id}/metadata`: deep merge, `null` deletes a key. */
  patchMetadata(userId: string, body: string, options: CallOptions = {}): Promise<ClerkResult<ClerkUser>> {
    return this.request<ClerkUser>('PATCH', metadataPath(userId), { ...options, userId, body });
  }

  /** Send one planned request. `userId` names the user in a 404 message. */
  send(
    request: PlannedRequest,
    userId: string | undefined,
    options: CallOptions = {},
  ): Promise<ClerkResult<ClerkUser>> {
    return this.request<ClerkUser>(request.method, request.path, { ...options, userId, body: request.body });
  }

  /** Any request below the API URL. `path` starts with `/`. */
  async request<T>(
    method: string,
    path: string,
    options: CallOptions & { body?: string; userId?: string } = {},
  ): Promise<ClerkResult<T>> {
    if (!this.#gate) return this.#exchange<T>(method, path, options);
    const pass = await this.#gate.enter({ method, path }, options.signal);
    if (!pass) {
      return notSent({
        method,
        path,
        host: this.#host,
        userId: options.userId,
        timeoutMs: this.timeoutMs,
        durationMs: 0,
      });
    }
    let result: ClerkResult<T>;
    try {
      result = await this.#exchange<T>(method, path, options);
    } catch (error) {
      // The gate counts the request as in flight until it leaves.
      pass.leave({ durationMs: 0 });
      throw error;
    }
    pass.leave({
      status: result.status,
      retryAfterSeconds: result.ok ? undefined : result.retryAfterSeconds,
      durationMs: result.durationMs,
    });
    return result;
  }

  async #exchange<T>(
    method: string,
    path: string,
    options: CallOptions & { body?: string; userId?: string },
  ): Promise<ClerkResult<T>> {
    const started = performance.now();
    const ctx = (): RequestContext => ({
      method,
      path,
      host: this.#host,
      userId: options.userId,
      timeoutMs: this.timeoutMs,
      durationMs: Math.round(performance.now() - started),
    });
    if (options.signal?.aborted) {
      return notSent(ctx());
    }
    const controller = new AbortController();
    let reason: 'timeout' | 'cancelled' | undefined;
    const onAbort = (): void => {
      reason ??= 'cancelled';
      controller.abort();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => {
      reason ??= 'timeout';
      controller.abort();
    }, this.timeoutMs);
    let responseStarted = false;
    try {
      let url = this.apiUrl + path;
      let currentMethod = method;
      let body = options.body;
      for (let hop = 0; ; hop++) {
        const headers: Record<string, string> = {
          Authorization: `Bearer ${this.#key}`,
          Accept: 'application/json',
          'Clerk-API-Version': this.apiVersion,
          'User-Agent': this.userAgent,
        };
        if (body !== undefined) headers['Content-Type'] = 'application/json';
        const response = await this.#fetch(url, {
          method: currentMethod,
          headers,
          body,
          redirect: 'manual',
          signal: controller.signal,
        });
        responseStarted = true;
        if (response.status >= 300 && response.status < 400 && response.status !== 304) {
          await response.body?.cancel().catch(() => undefined);
          const next = this.#redirectTarget(response, url, currentMethod, hop);
          if (!next.ok) return next.failure(ctx());
          url = next.url;
          if (next.method !== currentMethod) body = undefined;
          currentMethod = next.method;
          continue;
        }
        const read = await readCapped(response, this.maxResponseBytes);
        const c = ctx();
        if (read.tooLarge) {
          return {
            ok: false,
            kind: 'too-large',
            status: response.status,
            errors: [],
            traceId: response.headers.get('cf-ray') ?? undefined,
            durationMs: c.durationMs,
            notApplied: response.status >= 400 && response.status < 500,
            message: `Clerk's response (${statusLabel(response.status, response.statusText)}) was larger than ${formatBytes(this.maxResponseBytes)} and was not read to the end.${tooLargeNote(c, response.status)}`,
          };
        }
        let parsed: unknown;
        let parseFailed = false;
        try {
          parsed = read.text === '' ? undefined : JSON.parse(read.text);
          if (read.text === '') parseFailed = true;
        } catch {
          parseFailed = true;
        }
        if (response.status >= 200 && response.status < 300 && !parseFailed) {
          const envelope = parseErrorEnvelope(parsed);
          return {
            ok: true,
            status: response.status,
            data: parsed as T,
            bodyText: read.text,
            durationMs: c.durationMs,
            traceId:
              envelope?.traceId ??
              (isObject(parsed) && typeof parsed.clerk_trace_id === 'string'
                ? parsed.clerk_trace_id
                : undefined) ??
              response.headers.get('cf-ray') ??
              undefined,
          };
        }
        return redactFailure(
          failureFromResponse(
            c,
            response.status,
            response.statusText,
            response.headers,
            read.text,
            parsed,
            parseFailed,
          ),
          this.#key,
        );
      }
    } catch (error) {
      return redactFailure(failureFromException(ctx(), error, reason, responseStarted), this.#key);
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  #redirectTarget(
    response: Response,
    from: string,
    method: string,
    hop: number,
  ):
    | { ok: true; url: string; method: string }
    | { ok: false; failure: (ctx: RequestContext) => ClerkFailure } {
    const status = response.status;
    const location = response.headers.get('location');
    const fail = (message: string) => ({
      ok: false as const,
      failure: (ctx: RequestContext): ClerkFailure => ({
        ok: false,
        kind: 'redirect',
        status,
        errors: [],
        traceId: response.headers.get('cf-ray') ?? undefined,
        durationMs: ctx.durationMs,
        notApplied: method === 'GET',
        message,
      }),
    });
    if (!location)
      return fail(`Clerk answered ${statusLabel(status, response.statusText)} without a Location header.`);
    let target: URL;
    try {
      target = new URL(location, from);
    } catch {
      return fail(
        `Clerk answered ${statusLabel(status, response.statusText)} with an invalid Location header.`,
      );
    }
    if (target.origin !== this.#origin) {
      return fail(
        `The API answered ${statusLabel(status, response.statusText)}, a redirect to another host (${target.origin}). It was not followed, so the secret key was not sent there. Check the API URL.`,
      );
    }
    if (hop + 1 > MAX_REDIRECTS) return fail(`The API redirected more than ${MAX_REDIRECTS} times; stopped.`);
    if (status === 307 || status === 308) return { ok: true, url: target.href, method };
    if (method === 'GET' || method === 'HEAD') return { ok: true, url: target.href, method };
    return fail(
      `The API answered ${statusLabel(status, response.statusText)} to ${method}; this redirect would turn it into a GET, so it was not followed.`,
    );
  }
}

/** A request cancelled before it left: certainly not applied. */
function notSent(ctx: RequestContext): ClerkFailure {
  return {
    ...failureFromException(ctx, undefined, 'cancelled', false),
    notApplied: true,
    message: 'The request was cancelled before it was sent.',
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function redactFailure(failure: ClerkFailure, key: string): ClerkFailure {
  const message = redactSecrets(failure.message, [key]);
  return message === failure.message ? failure : { ...failure, message };
}

/** What an unread answer means for a change: applied (2xx), maybe applied (5xx), or not (4xx). */
function tooLargeNote(ctx: RequestContext, status: number): string {
  if (status >= 200 && status < 300) return probablyApplied(ctx);
  if (status >= 500 && ctx.method !== 'GET' && ctx.method !== 'HEAD')
    return ' The change may or may not have been applied.';
  return '';
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`
    : `${Math.round(bytes / 1024)} KB`;
}

function toSearch(params: ListUsersParams): string {
  const search = new URLSearchParams();
  if (params.query) search.set('query', params.query);
  if (params.limit !== undefined) search.set('limit', String(params.limit));
  if (params.offset !== undefined) search.set('offset', String(params.offset));
  if (params.orderBy) search.set('order_by', params.orderBy);
  for (const v of params.userId ?? []) search.append('user_id', v);
  for (const v of params.emailAddress ?? []) search.append('email_address', v);
  for (const v of params.username ?? []) search.append('username', v);
  for (const v of params.externalId ?? []) search.append('external_id', v);
  for (const v of params.organizationId ?? []) search.append('organization_id', v);
  if (params.startingAfter) search.set('starting_after', params.startingAfter);
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** Read a response body as UTF-8, stopping (and cancelling the stream) past `cap` bytes. */
async function readCapped(
  response: Response,
  cap: number,
): Promise<{ tooLarge: false; text: string } | { tooLarge: true }> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > cap) {
    await response.body?.cancel().catch(() => undefined);
    return { tooLarge: true };
  }
  if (!response.body) return { tooLarge: false, text: '' };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > cap) {
      await reader.cancel().catch(() => undefined);
      return { tooLarge: true };
    }
    chunks.push(value);
  }
  const all = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return { tooLarge: false, text: new TextDecoder('utf-8').decode(all) };
}
