import type { Result } from '../../result';
import type { ClerkClient, ListUsersParams } from '../../clerk/client';
import type { ClerkFailure } from '../../clerk/errors';
import type { ClerkUser } from '../../clerk/types';
import { type RowTarget, type TargetKind, formatTarget } from '../format/types';
import type { Slots } from '../../pacing/slots';

/** Values per `GET /v1/users` request (Clerk's list filters take at most 100). */
export const VALUES_PER_REQUEST = 100;
/** Tries of one lookup that Clerk answers with 429 (the pacer waits for `Retry-After` in between). */
export const MAX_RATE_LIMITED_TRIES = 20;
/** The code of a target that no user matches. */
const NOT_FOUND = 'target_not_found';

/**
 * What a target resolved to: its user (as Clerk has it now), or why none. `lookupFailed`: the lookup request
 * itself failed (no answer, a 5xx, 429s past its tries…), so nothing is known of the user: a later read looks
 * again.
 */
export type Resolution =
  | { ok: true; user: ClerkUser }
  | {
      ok: false;
      code: string;
      message: string;
      httpStatus: number | null;
      traceId: string | null;
      lookupFailed?: true;
    };

/**
 * A resolution a later read may reuse: a user, or Clerk's answer that several users match. Not Clerk's answer
 * that no user matches (one may be created before the row is sent), nor a failed lookup: those are looked up
 * again.
 */
export function isReusable(resolution: Resolution): boolean {
  return resolution.ok || (resolution.lookupFailed !== true && resolution.code !== NOT_FOUND);
}

export interface Resolved {
  /** By `formatTarget` of each target asked for. */
  byTarget: Map<string, Resolution>;
  /** A failure that will fail every request (401): the run stops. */
  fatal?: ClerkFailure;
}

const FILTER: Readonly<
  Record<TargetKind, keyof Pick<ListUsersParams, 'userId' | 'externalId' | 'emailAddress'>>
> = {
  user_id: 'userId',
  external_id: 'externalId',
  email: 'emailAddress',
};

const normalize = (kind: TargetKind, value: string): string =>
  kind === 'email' ? value.toLowerCase() : value;

/** The values of `user` that a filter of `kind` matches. */
function keysOf(kind: TargetKind, user: ClerkUser): string[] {
  if (kind === 'user_id') return [user.id];
  if (kind === 'external_id') return user.external_id ? [user.external_id] : [];
  return user.email_addresses.map((e) => e.email_address.toLowerCase());
}

/**
 * Find the users of `targets` with `GET /v1/users`: one filter kind per request (how Clerk
 * combines different filters is not documented), at most 100 values per request and `limit`
 * set to match (ids match one user each; an email or external id may match several, so those
 * ask for twice as many and read the next page when one comes back full). The users come back
 * whole, so they are also the current values the run compares and keeps for undo. The requests
 * go out together (the pacer spaces them), so a window of many rows costs one round trip. `keep`:
 * what is kept of each user found, as each answer arrives; `slots`: how many requests may be out at once.
 */
export async function resolveTargets(
  client: ClerkClient,
  targets: readonly RowTarget[],
  probe = true,
  keep: (user: ClerkUser) => ClerkUser = (user) => user,
  slots?: Slots,
): Promise<Resolved> {
  const byTarget = new Map<string, Resolution>();
  const kinds: TargetKind[] = ['user_id', 'external_id', 'email'];
  const chunks: Array<{ kind: TargetKind; chunk: string[] }> = [];
  for (const kind of kinds) {
    const values = [...new Set(targets.filter((t) => t.kind === kind).map((t) => t.value))];
    for (let i = 0; i < values.length; i += VALUES_PER_REQUEST)
      chunks.push({ kind, chunk: values.slice(i, i + VALUES_PER_REQUEST) });
  }
  // The first alone (a refused key then costs one request), the others together; all together once the
  // key worked (`probe` false).
  const head =
    chunks.length > 0 && probe ? [await lookUp(client, chunks[0].kind, chunks[0].chunk, keep, slots)] : [];
  const unauthorized = head.length > 0 && !head[0].ok && head[0].failure.kind === 'unauthorized';
  const rest = unauthorized
    ? []
    : await Promise.all(
        chunks.slice(head.length).map(({ kind, chunk }) => lookUp(client, kind, chunk, keep, slots)),
      );
  const answers = [...head, ...rest];
  let fatal: ClerkFailure | undefined;
  {
    for (let c = 0; c < answers.length; c++) {
      const { kind, chunk } = chunks[c];
      const found = answers[c];
      if (!found.ok) {
        const f = found.failure;
        for (const value of chunk) {
          byTarget.set(formatTarget({ kind, value }), {
            ok: false,
            code: f.errors[0]?.code ?? f.kind,
            message: `Could not look up the user: ${f.message}`,
            httpStatus: f.status ?? null,
            traceId: f.traceId ?? null,
            lookupFailed: true,
          });
        }
        if (f.kind === 'unauthorized') fatal ??= f;
        continue;
      }
      for (const value of chunk) {
        const users = found.matches.get(normalize(kind, value)) ?? [];
        const key = formatTarget({ kind, value });
        if (users.length === 1) byTarget.set(key, { ok: true, user: users[0] });
        else if (users.length === 0)
          byTarget.set(key, {
            ok: false,
            code: NOT_FOUND,
            message: `No user has ${describe(kind)} '${value}'.`,
            httpStatus: null,
            traceId: null,
          });
        else {
          const ids = users.map((u) => u.id);
          const shown =
            ids.length > 3 ? `${ids.slice(0, 3).join(', ')} and ${ids.length - 3} more` : ids.join(', ');
          byTarget.set(key, {
            ok: false,
            code: 'target_ambiguous',
            message: `${users.length} users have ${describe(kind)} '${value}' (${shown}); name the user with $user_id instead.`,
            httpStatus: null,
            traceId: null,
          });
        }
      }
    }
  }
  return fatal ? { byTarget, fatal } : { byTarget };
}

/**
 * False when `user` (read by id) no longer has the email or external id that named it when the run was
 * planned.
 */
export function stillNamedBy(target: RowTarget, user: ClerkUser): Resolution {
  if (target.kind === 'user_id' || keysOf(target.kind, user).includes(normalize(target.kind, target.value)))
    return { ok: true, user };
  const message = `${user.id} no longer has ${describe(target.kind)} '${target.value}' that named it when the run was planned; not sent.`;
  return { ok: false, code: 'target_changed', message, httpStatus: null, traceId: null };
}

function describe(kind: TargetKind): string {
  return kind === 'user_id' ? 'the id' : kind === 'external_id' ? 'the external id' : 'the email address';
}

async function lookUp(
  client: ClerkClient,
  kind: TargetKind,
  values: string[],
  keep: (user: ClerkUser) => ClerkUser,
  slots: Slots | undefined,
): Promise<Result<{ matches: Map<string, ClerkUser[]> }, { failure: ClerkFailure }>> {
  await slots?.acquire();
  try {
    return await lookUpPages(client, kind, values, keep);
  } finally {
    slots?.release();
  }
}

async function lookUpPages(
  client: ClerkClient,
  kind: TargetKind,
  values: string[],
  keep: (user: ClerkUser) => ClerkUser,
): Promise<Result<{ matches: Map<string, ClerkUser[]> }, { failure: ClerkFailure }>> {
  const wanted = new Set(values.map((v) => normalize(kind, v)));
  const matches = new Map<string, ClerkUser[]>();
  const limit = kind === 'user_id' ? values.length : Math.min(500, values.length * 2);
  for (let offset = 0; ; offset += limit) {
    let result = await client.listUsers({ [FILTER[kind]]: values, offset: offset || undefined }, limit);
    for (
      let tries = 1;
      !result.ok && result.kind === 'rate-limited' && tries < MAX_RATE_LIMITED_TRIES;
      tries++
    ) {
      result = await client.listUsers({ [FILTER[kind]]: values, offset: offset || undefined }, limit);
    }
    if (!result.ok) return { ok: false, failure: result };
    for (const user of result.data) {
      for (const key of new Set(keysOf(kind, user))) {
        if (!wanted.has(key)) continue;
        const list = matches.get(key);
        if (!list) matches.set(key, [keep(user)]);
        else if (!list.some((u) => u.id === user.id)) list.push(keep(user));
      }
    }
    if (kind === 'user_id' || result.data.length < limit) return { ok: true, matches };
  }
}
