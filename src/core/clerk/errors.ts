import type { ClerkApiError } from './types';
import { errorMessage } from '../text/format';

/** A request that Clerk answered with a 2xx and a JSON body. */
export interface ClerkSuccess<T> {
  ok: true;
  status: number;
  /** The parsed JSON body. */
  data: T;
  /** The body text exactly as received (for "open the returned user as a document"). */
  bodyText: string;
  durationMs: number;
  /** `clerk_trace_id` of the body, else the `cf-ray` header. */
  traceId?: string;
}

/**
 * Why a request failed.
 * - `api`: Clerk answered with its error envelope (4xx/5xx other than 401, 404 and 429).
 * - `unauthorized`: 401, the key was refused.
 * - `not-found`: 404.
 * - `rate-limited`: 429 (the request was not applied; `retryAfterSeconds` when Clerk said).
 * - `server`: a 5xx without Clerk's JSON envelope.
 * - `bad-response`: not JSON where JSON was expected, malformed JSON, an unexpected shape.
 * - `too-large`: the response exceeded the size cap and was not read to the end.
 * - `redirect`: a redirect that is not followed (another origin, or too many).
 * - `timeout`, `cancelled`, `dns`, `connection` (refused/reset/closed), `network` (other).
 */
export type ClerkFailureKind =
  | 'api'
  | 'unauthorized'
  | 'not-found'
  | 'rate-limited'
  | 'server'
  | 'bad-response'
  | 'too-large'
  | 'redirect'
  | 'timeout'
  | 'cancelled'
  | 'dns'
  | 'connection'
  | 'network';

export interface ClerkFailure {
  ok: false;
  kind: ClerkFailureKind;
  /** HTTP status when a response arrived. */
  status?: number;
  /** Clerk's errors (empty unless Clerk sent its envelope). */
  errors: ClerkApiError[];
  /** `clerk_trace_id` of the body, else the `cf-ray` header. */
  traceId?: string;
  /** Seconds from a 429's `Retry-After` header, when present and valid. */
  retryAfterSeconds?: number;
  /** One or two sentences that name the cause. Never contains the key or secret values. */
  message: string;
  durationMs: number;
  /**
   * True when Clerk certainly did not apply the request (4xx answers, DNS failure, connection
   * refused, cancelled before sending). False when it may have been applied (timeouts, resets,
   * 5xx, unreadable answers): never repeat such a request without the user asking.
   */
  notApplied: boolean;
}

export type ClerkResult<T> = ClerkSuccess<T> | ClerkFailure;

/** What the mapping needs to know about the request. */
export interface RequestContext {
  method: string;
  path: string;
  /** host[:port] of the API URL, for messages. */
  host: string;
  /** The user the request is about, for "No user was found with id …". */
  userId?: string;
  timeoutMs: number;
  durationMs: number;
}

/**
 * Reason phrases for when a response carries none (HTTP/2): the statuses Clerk and its proxies answer with.
 */
const REASONS: Readonly<Record<number, string>> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** "502 Bad Gateway" from a status code. */
export function statusLabel(status: number, statusText?: string): string {
  const text = statusText && statusText.trim() ? statusText.trim() : REASONS[status];
  return text ? `${status} ${text}` : String(status);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Clerk's error envelope from a parsed body, or undefined when it is not one. */
export function parseErrorEnvelope(body: unknown): { errors: ClerkApiError[]; traceId?: string } | undefined {
  if (!isRecord(body) || !Array.isArray(body.errors)) return undefined;
  const errors: ClerkApiError[] = [];
  for (const e of body.errors) {
    if (!isRecord(e)) continue;
    const error: ClerkApiError = {
      code: typeof e.code === 'string' ? e.code : 'unknown',
      message: typeof e.message === 'string' ? e.message : '',
    };
    if (typeof e.long_message === 'string') error.long_message = e.long_message;
    if (isRecord(e.meta)) error.meta = e.meta as ClerkApiError['meta'];
    errors.push(error);
  }
  const traceId =
    typeof body.clerk_trace_id === 'string' && body.clerk_trace_id ? body.clerk_trace_id : undefined;
  return { errors, traceId };
}

/** `Retry-After` in seconds (delta-seconds or an HTTP date), or undefined. */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (!Number.isNaN(date)) return Math.max(0, Math.ceil((date - now) / 1000));
  return undefined;
}

/** The text of one Clerk error: its long message, else its message, with the field. */
export function describeApiError(error: ClerkApiError): string {
  const text = error.long_message || error.message || error.code;
  const param = error.meta?.param_name;
  return param && !text.includes(param) ? `${param}: ${text}` : text;
}

function describeContentType(contentType: string, bodyText: string): string {
  const ct = contentType.toLowerCase();
  if (ct.includes('html') || /^\s*<(!doctype|html)/i.test(bodyText)) return 'an HTML page';
  if (bodyText.trim() === '') return 'an empty body';
  if (ct.includes('json')) return 'a malformed JSON body';
  if (ct) return `a ${ct.split(';')[0].trim()} body`;
  return 'a body that is not JSON';
}

/**
 * Map a complete HTTP response to a failure. `parsed` is the JSON body, or undefined when the
 * body is not JSON (then `bodyText` and `contentType` describe it).
 */
export function failureFromResponse(
  ctx: RequestContext,
  status: number,
  statusText: string,
  headers: { get(name: string): string | null },
  bodyText: string,
  parsed: unknown,
  parseFailed: boolean,
): ClerkFailure {
  const envelope = parseFailed ? undefined : parseErrorEnvelope(parsed);
  const traceId = envelope?.traceId ?? headers.get('cf-ray') ?? undefined;
  const errors = envelope?.errors ?? [];
  const label = statusLabel(status, statusText);
  const base = { ok: false as const, status, errors, traceId, durationMs: ctx.durationMs };
  // Each error's text without its final stop, joined; `sentence` ends the whole with one stop.
  const detail = errors.length ? errors.map((e) => describeApiError(e).replace(/\.+$/, '')).join('; ') : '';
  const codes = errors.length ? ` (${[...new Set(errors.map((e) => e.code))].join(', ')})` : '';

  if (status === 429) {
    const retryAfterSeconds = parseRetryAfter(headers.get('retry-after'));
    const wait =
      retryAfterSeconds === undefined
        ? 'without saying when to retry'
        : `asking to retry after ${retryAfterSeconds} s`;
    return {
      ...base,
      kind: 'rate-limited',
      retryAfterSeconds,
      notApplied: true,
      message: `Clerk rate-limited the request (429 Too Many Requests), ${wait}. It was not applied.`,
    };
  }
  if (!envelope && (status >= 500 || parseFailed || parsed === undefined)) {
    const what = parseFailed
      ? describeContentType(headers.get('content-type') ?? '', bodyText)
      : "a body without Clerk's error list";
    const suffix = what.includes('JSON') || what.includes('error list') ? '' : ' instead of JSON';
    return {
      ...base,
      kind: status >= 500 ? 'server' : 'bad-response',
      notApplied: status >= 400 && status < 500,
      message: `Clerk returned ${label} with ${what}${suffix}.${status >= 500 ? maybeApplied(ctx) : status < 300 ? probablyApplied(ctx) : ''}`,
    };
  }
  if (status === 401) {
    return {
      ...base,
      kind: 'unauthorized',
      notApplied: true,
      message: `${sentence(`Clerk refused the secret key (${label})${codes}: ${detail || 'the key is invalid for this instance'}`)} Check that the key belongs to this instance.`,
    };
  }
  if (status === 404) {
    const message = ctx.userId
      ? `No user was found with id ${ctx.userId}`
      : `Clerk found nothing at ${ctx.method} ${ctx.path}`;
    return { ...base, kind: 'not-found', notApplied: true, message: `${message} (404${codes}).` };
  }
  if (status >= 500) {
    return {
      ...base,
      kind: 'server',
      notApplied: false,
      message: `${sentence(`Clerk returned ${label}${codes}${detail ? `: ${detail}` : ''}`)}${maybeApplied(ctx)}`,
    };
  }
  return {
    ...base,
    kind: 'api',
    notApplied: true,
    message: sentence(`Clerk rejected the request with ${label}${codes}${detail ? `: ${detail}` : ''}`),
  };
}

/** `text` ending with exactly one full stop (none added after `!` or `?`). */
function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function maybeApplied(ctx: RequestContext): string {
  return ctx.method === 'GET' ? '' : ' The change may or may not have been applied.';
}

/**
 * For a change that Clerk answered with a 2xx whose body could not be used (malformed, too
 * large): the change was most likely applied, so the user must not simply send it again.
 */
export function probablyApplied(ctx: Pick<RequestContext, 'method'>): string {
  return ctx.method === 'GET' || ctx.method === 'HEAD'
    ? ''
    : ' Clerk answered with success, so the change was probably applied; check the user before sending it again.';
}

/** Node error codes, walking `cause` chains (fetch wraps them in `TypeError: fetch failed`). */
function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 6; depth++) {
    if (typeof current === 'object') {
      const code = (current as { code?: unknown }).code;
      if (typeof code === 'string') codes.push(code);
      const errors = (current as { errors?: unknown }).errors;
      if (Array.isArray(errors)) for (const e of errors) codes.push(...errorCodes(e));
      current = (current as { cause?: unknown }).cause;
    } else break;
  }
  return codes;
}

/** Map an exception from fetch (or from reading the body) to a failure. */
export function failureFromException(
  ctx: RequestContext,
  error: unknown,
  reason: 'timeout' | 'cancelled' | undefined,
  responseStarted: boolean,
): ClerkFailure {
  const base = { ok: false as const, errors: [], durationMs: ctx.durationMs };
  if (reason === 'cancelled') {
    const note =
      ctx.method === 'GET'
        ? ''
        : ' If Clerk had already received it, the change may still have been applied.';
    return { ...base, kind: 'cancelled', notApplied: false, message: `The request was cancelled.${note}` };
  }
  if (reason === 'timeout') {
    const seconds = ctx.timeoutMs / 1000;
    return {
      ...base,
      kind: 'timeout',
      notApplied: false,
      message: `Clerk did not answer within ${seconds} s (timeout).${maybeApplied(ctx)}`,
    };
  }
  const codes = errorCodes(error);
  const hostname = ctx.host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  if (codes.some((c) => c === 'ENOTFOUND' || c === 'EAI_AGAIN' || c === 'EAI_NONAME' || c === 'EAI_FAIL')) {
    return {
      ...base,
      kind: 'dns',
      notApplied: true,
      message: `Could not resolve host ${hostname}. Check the API URL and your network.`,
    };
  }
  if (codes.includes('ECONNREFUSED')) {
    return {
      ...base,
      kind: 'connection',
      notApplied: true,
      message: `Could not connect to ${ctx.host} (connection refused).`,
    };
  }
  if (
    codes.some((c) => c === 'ECONNRESET' || c === 'UND_ERR_SOCKET' || c === 'EPIPE' || c === 'UND_ERR_CLOSED')
  ) {
    const when = responseStarted ? 'while Clerk was answering' : 'before Clerk answered';
    return {
      ...base,
      kind: 'connection',
      notApplied: false,
      message: `The connection to ${ctx.host} was reset ${when}.${maybeApplied(ctx)}`,
    };
  }
  if (
    codes.some((c) => c.startsWith('ERR_TLS') || c.includes('CERT') || c === 'DEPTH_ZERO_SELF_SIGNED_CERT')
  ) {
    return {
      ...base,
      kind: 'network',
      notApplied: true,
      message: `The TLS connection to ${ctx.host} failed (${codes.find((c) => c.includes('CERT') || c.startsWith('ERR_TLS'))}).`,
    };
  }
  const first = codes[0];
  const text = errorMessage(error);
  return {
    ...base,
    kind: 'network',
    notApplied: false,
    message: `The request to ${ctx.host} failed: ${first ? `${first}, ` : ''}${text}.`,
  };
}

/**
 * A multi-line description of a failure for the CLI and logs: the message, then each Clerk
 * error with its code and field, then the trace id.
 */
export function formatFailure(failure: ClerkFailure): string {
  const lines = [failure.message];
  for (const e of failure.errors) {
    const param = e.meta?.param_name ? ` [${e.meta.param_name}]` : '';
    lines.push(`  ${e.code}${param}: ${e.long_message || e.message}`);
  }
  if (failure.traceId) lines.push(`  trace id: ${failure.traceId}`);
  return lines.join('\n');
}
