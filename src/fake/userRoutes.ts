// The users routes of the Backend API: list, count, get, PATCH user, PATCH/PUT metadata.
import type * as http from 'node:http';
import type { ApiVersion } from '../core/versions';
import type { UserLimits } from './ratelimit';
import { errorReply, oneError, type Reply } from './reply';
import { RouteTable } from './routes';
import type { FakeClock } from './types';
import { countUsers, listUsers, parseFilter, parsePage } from './userQuery';
import { FakeApiError, type UserStore } from './users';

/** An authenticated API request, its version settled. */
export interface ApiRequest {
  method: string;
  url: URL;
  headers: http.IncomingHttpHeaders;
  bodyText: string;
  version: ApiVersion;
}

export interface UserRoutesDeps {
  store: UserStore;
  clock: FakeClock;
  userLimits: UserLimits;
  pwned: ReadonlySet<string>;
}

function userNotFound(id: string): Reply {
  return oneError(404, 'resource_not_found', 'not found', `No user was found with id ${id}`);
}

/** The JSON object body of a write, or Clerk's 415/400. */
function jsonBody(req: ApiRequest): { body: Record<string, unknown> } | { error: Reply } {
  const contentType = String(req.headers['content-type'] ?? '').toLowerCase();
  if (!/^application\/(.+\+)?json\b/.test(contentType.trim())) {
    return {
      error: oneError(
        415,
        'unsupported_content_type',
        'Unsupported content type',
        `The request body must be JSON (Content-Type: application/json), not ${contentType || 'nothing'}.`,
      ),
    };
  }
  let body: unknown;
  try {
    body = req.bodyText.trim() === '' ? {} : JSON.parse(req.bodyText);
  } catch {
    return {
      error: oneError(
        400,
        'request_body_invalid',
        'Request body invalid',
        'The request body is not valid JSON.',
      ),
    };
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return {
      error: oneError(
        400,
        'request_body_invalid',
        'Request body invalid',
        'The request body must be a JSON object.',
      ),
    };
  }
  return { body: body as Record<string, unknown> };
}

export function userRoutes(deps: UserRoutesDeps): RouteTable<ApiRequest, Reply> {
  const { store, clock, userLimits, pwned } = deps;

  /** A write: the per-user limit, the body, the user, then `apply` (which throws FakeApiError for 422s). */
  const write =
    (apply: (req: ApiRequest, userId: string, body: Record<string, unknown>) => void) =>
    (req: ApiRequest, params: Record<string, string>): Reply => {
      const userId = params.user_id;
      const limited = userLimits.check(userId, `${req.method} ${req.url.pathname}`, clock.now());
      if (limited) return limited;
      const parsed = jsonBody(req);
      if ('error' in parsed) return parsed.error;
      const before = store.get(userId);
      if (!before) return userNotFound(userId);
      try {
        apply(req, userId, parsed.body);
      } catch (error) {
        if (error instanceof FakeApiError) return errorReply(error.status, error.errors);
        throw error;
      }
      const after = store.get(userId)!;
      return { status: 200, body: after, applied: true, changed: after.updated_at !== before.updated_at };
    };
  const metadata = (merge: boolean) =>
    write((_req, userId, body) => {
      store.updateMetadata(store.get(userId)!, body, merge, clock.now());
    });

  return new RouteTable<ApiRequest, Reply>()
    .add('GET', '/v1/users', (req) => {
      const page = parsePage(req.url.searchParams, store);
      return 'status' in page ? page : { status: 200, body: listUsers(store, page) };
    })
    .add('GET', '/v1/users/count', (req) => {
      const filter = parseFilter(req.url.searchParams, store);
      return 'status' in filter
        ? filter
        : { status: 200, body: { object: 'total_count', total_count: countUsers(store, filter) } };
    })
    .add('GET', '/v1/users/:user_id', (_req, params) => {
      const user = store.get(params.user_id);
      return user ? { status: 200, body: user } : userNotFound(params.user_id);
    })
    .add(
      'PATCH',
      '/v1/users/:user_id',
      write((req, userId, body) => {
        store.updateUser(store.get(userId)!, body, { now: clock.now(), version: req.version, pwned, store });
      }),
      { write: true },
    )
    .add('PATCH', '/v1/users/:user_id/metadata', metadata(true), { write: true })
    .add('PUT', '/v1/users/:user_id/metadata', metadata(false), { write: true });
}
