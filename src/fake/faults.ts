// Injected faults: which request gets one (one-shot, counted or persistent), holds, and how each
// fault answers in place of Clerk.
import type * as http from 'node:http';
import { oneError, rayId, tooManyRequests, writeReply } from './reply';
import type { FakeFault, FakeHold, FakeRequestRecord } from './types';

/** Exact path, a prefix ending in `*`, or a RegExp; any path when undefined. */
export function matchesPath(pattern: FakeFault['path'], path: string): boolean {
  if (pattern === undefined) return true;
  if (pattern instanceof RegExp) return pattern.test(path);
  if (pattern.endsWith('*')) return path.startsWith(pattern.slice(0, -1));
  return pattern === path;
}

export class Faults {
  private readonly faults: Array<FakeFault & { remaining: number }> = [];
  private readonly releases = new Set<() => void>();

  add(fault: FakeFault): void {
    this.faults.push({
      ...fault,
      remaining: fault.persistent ? Number.POSITIVE_INFINITY : (fault.times ?? 1),
    });
  }

  clear(): void {
    this.faults.length = 0;
  }

  /** The first fault that matches, counted as used. */
  take(method: string, path: string): FakeFault | undefined {
    if (this.faults.length === 0) return undefined;
    const index = this.faults.findIndex(
      (f) =>
        (f.method === undefined || f.method.toUpperCase() === method) &&
        matchesPath(f.path, path) &&
        f.remaining > 0,
    );
    if (index < 0) return undefined;
    const fault = this.faults[index];
    fault.remaining--;
    if (fault.remaining <= 0) this.faults.splice(index, 1);
    return fault;
  }

  /** A `hold` fault for the next matching request (see `FakeClerk.hold`). */
  hold(match: { method?: string; path?: string | RegExp }): FakeHold {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    this.releases.add(release);
    let arrived!: (record: FakeRequestRecord) => void;
    const arrival = new Promise<FakeRequestRecord>((resolve) => (arrived = resolve));
    this.add({ kind: 'hold', method: match.method, path: match.path, gate: { arrived, released } });
    return {
      arrived: arrival,
      release: () => {
        this.releases.delete(release);
        release();
      },
    };
  }

  /** Let every held request go (on stop). */
  releaseAll(): void {
    for (const release of this.releases) release();
    this.releases.clear();
  }
}

/** Wait while a hold fault keeps the request: until released or the client goes away. */
export function waitForRelease(
  fault: FakeFault,
  record: FakeRequestRecord,
  res: http.ServerResponse,
): Promise<void> {
  const gate = fault.gate;
  if (!gate) return Promise.resolve();
  return new Promise<void>((resolve) => {
    res.once('close', () => resolve());
    void gate.released.then(resolve);
    gate.arrived(record);
  });
}

const HTML_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n';
const TRUNCATED_USER =
  '{"id":"user_2xhFjEI5X2qWRvtV13BzSj8H6Dk","object":"user","first_name":"Ada","email_addresses":[{"id":';

/** Answer with the fault instead of Clerk; returns the status sent (0 for a reset). */
export function sendFault(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  fault: FakeFault,
  url: URL,
): number {
  const ray = rayId();
  switch (fault.kind) {
    case 'status500':
      writeReply(
        res,
        oneError(
          500,
          'internal_clerk_error',
          'Oops, an unexpected error occurred',
          "There was an internal error on our servers. We've been notified and are working on fixing it.",
        ),
      );
      return 500;
    case 'html502':
      return sendText(res, 502, 'text/html', HTML_502, ray);
    case 'reset':
      req.socket.resetAndDestroy();
      return 0;
    case 'malformed-json':
      return sendText(res, 200, 'application/json', TRUNCATED_USER, ray);
    case 'rate-limit':
      writeReply(res, tooManyRequests(fault.retryAfterSeconds === undefined ? 1 : fault.retryAfterSeconds));
      return 429;
    case 'huge':
      sendHuge(res, fault.sizeBytes ?? 10 * 1024 * 1024, ray);
      return 200;
    case 'redirect': {
      const status = fault.redirectStatus ?? 307;
      const target =
        (fault.location ?? 'http://redirect-target.invalid').replace(/\/+$/, '') + url.pathname + url.search;
      res.writeHead(status, { Location: target, 'Content-Length': 0, 'cf-ray': ray });
      res.end();
      return status;
    }
    case 'echo-key': {
      // A misbehaving proxy (or Clerk) that repeats the request's key in its error.
      const key = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
      const reply = oneError(
        422,
        'form_param_value_invalid',
        'is invalid',
        `The key ${key} cannot do this.`,
        key,
      );
      writeReply(res, { ...reply, body: { ...(reply.body as object), clerk_trace_id: key } });
      return 422;
    }
    default:
      return 0;
  }
}

function sendText(
  res: http.ServerResponse,
  status: number,
  contentType: string,
  text: string,
  ray: string,
): number {
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(text),
    'cf-ray': ray,
  });
  res.end(text);
  return status;
}

/** A 200 JSON body of `size` bytes, streamed with backpressure and no length. */
function sendHuge(res: http.ServerResponse, size: number, ray: string): void {
  res.writeHead(200, { 'Content-Type': 'application/json', 'cf-ray': ray });
  const head = '{"id":"user_huge","object":"user","padding":"';
  const tail = '"}';
  let remaining = Math.max(0, size - head.length - tail.length);
  const chunk = Buffer.alloc(64 * 1024, 'a');
  res.write(head);
  const pump = (): void => {
    while (remaining > 0 && !res.destroyed) {
      const n = Math.min(remaining, chunk.length);
      remaining -= n;
      if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
        res.once('drain', pump);
        return;
      }
    }
    if (!res.destroyed) res.end(tail);
  };
  pump();
}
