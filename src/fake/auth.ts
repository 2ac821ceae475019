// Who is calling (the secret key) and in which API version, with Clerk's 401 and 400 answers.
import type * as http from 'node:http';
import { API_VERSIONS, type ApiVersion, isApiVersion } from '../core/versions';
import { oneError, type Reply } from './reply';
import type { FakeRequestRecord } from './types';

/** The key the fake accepts by default. Distinctive, so leak tests can search for it. */
export const FAKE_TEST_KEY = 'sk_test_FAKEclerkKEY0123456789abcdefABCDEF';
/** A production-looking key the fake also accepts by default (for confirmation tests). */
// Split so secret scanners do not take this made-up key for a real one.
export const FAKE_LIVE_KEY = 'sk_live_' + 'FAKEclerkLIVE0123456789abcdefABCDEF';

/** `live` for `sk_live_…` keys (a production instance), `test` for any other key. */
export type KeyKind = 'test' | 'live';

export interface Authentication {
  auth: FakeRequestRecord['auth'];
  kind?: KeyKind;
  /** The 401 to answer when the key is missing, malformed or unknown. */
  error?: Reply;
}

const FORMAT_INVALID = [
  'authorization_header_format_invalid',
  'Invalid Authorization header format',
  "Invalid Authorization header format. Must be 'Bearer <YOUR_API_KEY>'",
] as const;

export class Keys {
  private readonly labels: Map<string, string>;

  constructor(
    keys: Array<string | { key: string; label: string }> = [
      { key: FAKE_TEST_KEY, label: 'test' },
      { key: FAKE_LIVE_KEY, label: 'live' },
    ],
  ) {
    this.labels = new Map(keys.map((k, i) => (typeof k === 'string' ? [k, `key${i}`] : [k.key, k.label])));
  }

  /** Check the `Authorization` header. The key itself is never kept. */
  authenticate(headers: http.IncomingHttpHeaders): Authentication {
    const header = headers.authorization;
    if (header === undefined) return { auth: { status: 'missing' }, error: oneError(401, ...FORMAT_INVALID) };
    const bearer = /^Bearer ([^\s]+)$/.exec(header);
    if (!bearer) return { auth: { status: 'malformed' }, error: oneError(401, ...FORMAT_INVALID) };
    const label = this.labels.get(bearer[1]);
    if (label === undefined) {
      return {
        auth: { status: 'invalid' },
        error: oneError(
          401,
          'clerk_key_invalid',
          'Secret Key is invalid',
          'The provided Clerk Secret Key is invalid. Make sure that your Clerk Secret Key is correct.',
        ),
      };
    }
    return {
      auth: { status: 'ok', keyLabel: label },
      kind: bearer[1].startsWith('sk_live_') ? 'live' : 'test',
    };
  }
}

/**
 * The version a request asks for (`Clerk-API-Version` or `__clerk_api_version`, not both), or Clerk's 400.
 */
export function requestedVersion(
  headers: http.IncomingHttpHeaders,
  url: URL,
  defaultVersion: ApiVersion,
): ApiVersion | Reply {
  const headerVersion = headers['clerk-api-version'];
  const queryVersion = url.searchParams.get('__clerk_api_version');
  if (headerVersion !== undefined && queryVersion !== null) {
    return oneError(
      400,
      'api_version_invalid',
      'Invalid API version',
      'Specify the API version either in the Clerk-API-Version header or in the __clerk_api_version query parameter, not both.',
    );
  }
  const requested =
    (Array.isArray(headerVersion) ? headerVersion[0] : headerVersion) ?? queryVersion ?? defaultVersion;
  if (!isApiVersion(requested)) {
    return oneError(
      400,
      'api_version_invalid',
      'Invalid API version',
      `${requested} is not a valid API version. Supported versions: ${API_VERSIONS.join(', ')}.`,
    );
  }
  return requested;
}
