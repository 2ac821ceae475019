// What a route answers, Clerk's error envelope, and writing an answer the way Clerk does.
import { randomBytes } from 'node:crypto';
import type * as http from 'node:http';
import type { ClerkApiError } from '../core/clerk/types';

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** The store applied the request (PATCH user, metadata). */
  applied?: boolean;
  /** …and the user changed. */
  changed?: boolean;
}

/** Clerk's `clerk_trace_id`: 32 hex digits. */
export function traceId(): string {
  return randomBytes(16).toString('hex');
}

/** A Cloudflare `cf-ray` header value, as Clerk's answers carry. */
export function rayId(): string {
  return `${randomBytes(8).toString('hex')}-LHR`;
}

export function errorReply(status: number, errors: ClerkApiError[], headers?: Record<string, string>): Reply {
  return { status, body: { errors, clerk_trace_id: traceId() }, headers };
}

export function clerkError(
  code: string,
  message: string,
  longMessage: string,
  param?: string,
): ClerkApiError {
  const e: ClerkApiError = { code, message, long_message: longMessage };
  if (param) e.meta = { param_name: param };
  return e;
}

export function oneError(
  status: number,
  code: string,
  message: string,
  longMessage: string,
  param?: string,
): Reply {
  return errorReply(status, [clerkError(code, message, longMessage, param)]);
}

/** 422 for a query or body parameter whose value is not accepted. */
export function invalidParam(param: string, longMessage: string): Reply {
  return oneError(422, 'form_param_value_invalid', 'is invalid', longMessage, param);
}

export function notFoundRoute(): Reply {
  return oneError(404, 'resource_not_found', 'not found', 'The requested resource was not found.');
}

/** 429 with Clerk's envelope and, unless `null`, `Retry-After` in whole seconds. */
export function tooManyRequests(
  retryAfterSeconds: number | null,
  longMessage = 'Too many requests, please try again later.',
): Reply {
  const reply = errorReply(429, [
    { code: 'too_many_requests', message: 'Too many requests', long_message: longMessage },
  ]);
  if (retryAfterSeconds !== null) reply.headers = { 'Retry-After': String(retryAfterSeconds) };
  return reply;
}

/**
 * Write a reply as Clerk does: `Content-Type: application/json` exactly (Clerk's own SDK parses a body
 * as JSON only then), a length, and a `cf-ray`.
 */
export function writeReply(res: http.ServerResponse, reply: Reply): void {
  const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'cf-ray': rayId(),
    ...reply.headers,
  });
  res.end(text);
}
