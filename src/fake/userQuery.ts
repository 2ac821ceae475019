// `GET /v1/users` and `GET /v1/users/count`: their filters, order and paging (GetUserList and
// GetUsersCount in Clerk's OpenAPI spec), run on the store's indexes so exact filters never scan.
import type { ClerkUser } from '../core/clerk/types';
import { invalidParam, type Reply } from './reply';
import type { UserStore } from './users';

/** At most this many values per repeated filter (`user_id`, `email_address`…), as the spec says. */
export const MAX_FILTER_VALUES = 100;

const ORDER_FIELDS = [
  'created_at',
  'updated_at',
  'email_address',
  'web3wallet',
  'first_name',
  'last_name',
  'phone_number',
  'username',
  'last_active_at',
  'last_sign_in_at',
] as const;
type OrderField = (typeof ORDER_FIELDS)[number];

type Predicate = (u: ClerkUser) => boolean;

/** The filters of a request: candidate id sets from the indexes (the smallest is walked) and predicates. */
export interface UserFilter {
  /** Each set narrows the users to its ids (from an index); empty when no include filter was given. */
  candidates: Array<ReadonlySet<string>>;
  predicates: Predicate[];
}

export interface UserPage {
  filter: UserFilter;
  field: OrderField;
  desc: boolean;
  limit: number;
  offset: number;
  /** Position in the store's created order of the `starting_after` user. */
  after?: number;
}

/** Values of a repeated parameter (`name=a&name=b`, also `name[]=`), trimmed, empty ones dropped. */
function values(params: URLSearchParams, name: string): string[] | Reply {
  const all = params
    .getAll(name)
    .concat(params.getAll(`${name}[]`))
    .map((v) => v.trim())
    .filter(Boolean);
  return all.length > MAX_FILTER_VALUES
    ? invalidParam(name, `${name} accepts at most ${MAX_FILTER_VALUES} values; ${all.length} were given.`)
    : all;
}

/**
 * `+id` includes, `-id` excludes, a bare id includes (a raw `+` in a query decodes as a space, trimmed away).
 */
function signed(list: string[]): { include: Set<string>; exclude: Set<string> } {
  const include = new Set<string>();
  const exclude = new Set<string>();
  for (const v of list) {
    if (v.startsWith('-')) exclude.add(v.slice(1));
    else include.add(v.startsWith('+') ? v.slice(1) : v);
  }
  return { include, exclude };
}

function union(ids: Iterable<string>, lookup: (key: string) => ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  for (const key of ids) for (const id of lookup(key)) out.add(id);
  return out;
}

const lower = (s: string | null | undefined): string => (s ?? '').toLowerCase();
const fullName = (u: ClerkUser): string => [u.first_name, u.last_name].filter(Boolean).join(' ');
const lastActive = (u: ClerkUser): number | null =>
  typeof u.last_active_at === 'number' ? u.last_active_at : null;

/** Parse the filters shared by the list and the count, or the 422 for a bad one. */
export function parseFilter(params: URLSearchParams, store: UserStore): UserFilter | Reply {
  const filter: UserFilter = { candidates: [], predicates: [] };
  const lists: Record<string, string[]> = {};
  for (const name of [
    'user_id',
    'external_id',
    'organization_id',
    'email_address',
    'username',
    'phone_number',
    'web3_wallet',
  ]) {
    const list = values(params, name);
    if (!Array.isArray(list)) return list;
    lists[name] = list;
  }
  const add = (candidates: ReadonlySet<string> | undefined, predicate: Predicate): void => {
    if (candidates) filter.candidates.push(candidates);
    filter.predicates.push(predicate);
  };

  const ids = signed(lists.user_id);
  if (ids.include.size) add(ids.include, (u) => ids.include.has(u.id));
  if (ids.exclude.size) add(undefined, (u) => !ids.exclude.has(u.id));
  const ext = signed(lists.external_id);
  if (ext.include.size)
    add(
      union(ext.include, (k) => store.byExternalId.get(k)),
      (u) => u.external_id !== null && ext.include.has(u.external_id),
    );
  if (ext.exclude.size) add(undefined, (u) => u.external_id === null || !ext.exclude.has(u.external_id));
  const orgs = signed(lists.organization_id);
  const memberOf = (u: ClerkUser, set: Set<string>): boolean =>
    (store.memberships.get(u.id) ?? []).some((o) => set.has(o));
  if (orgs.include.size)
    add(
      union(orgs.include, (k) => store.byOrganization.get(k)),
      (u) => memberOf(u, orgs.include),
    );
  if (orgs.exclude.size) add(undefined, (u) => !memberOf(u, orgs.exclude));
  const exact = (
    name: string,
    index: (k: string) => ReadonlySet<string>,
    of: (u: ClerkUser) => string[],
    fold: (s: string) => string,
  ): void => {
    if (!lists[name].length) return;
    const wanted = new Set(lists[name].map(fold));
    add(union(wanted, index), (u) => of(u).some((v) => wanted.has(fold(v))));
  };
  exact(
    'email_address',
    (k) => store.byEmail.get(k),
    (u) => u.email_addresses.map((e) => e.email_address),
    lower,
  );
  exact(
    'username',
    (k) => store.byUsername.get(k),
    (u) => (u.username ? [u.username] : []),
    lower,
  );
  exact(
    'phone_number',
    (k) => store.byPhone.get(k),
    (u) => u.phone_numbers.map((p) => p.phone_number),
    (s) => s,
  );
  if (lists.web3_wallet.length) {
    const wanted = new Set(lists.web3_wallet.map(lower));
    add(undefined, (u) => u.web3_wallets.some((w) => wanted.has(lower(w.web3_wallet))));
  }

  const partial = (name: string, of: (u: ClerkUser) => Array<string | null | undefined>): void => {
    const q = params.get(name)?.trim().toLowerCase();
    if (q) add(undefined, (u) => of(u).some((h) => typeof h === 'string' && h.toLowerCase().includes(q)));
  };
  partial('query', (u) => [
    u.id,
    u.first_name,
    u.last_name,
    fullName(u),
    u.username,
    u.external_id,
    ...u.email_addresses.map((e) => e.email_address),
    ...u.phone_numbers.map((p) => p.phone_number),
    ...u.web3_wallets.map((w) => w.web3_wallet),
  ]);
  partial('email_address_query', (u) => u.email_addresses.map((e) => e.email_address));
  partial('phone_number_query', (u) => u.phone_numbers.map((p) => p.phone_number));
  partial('username_query', (u) => [u.username]);
  partial('name_query', (u) => [u.first_name, u.last_name, fullName(u)]);

  const banned = params.get('banned');
  if (banned !== null) {
    if (banned !== 'true' && banned !== 'false')
      return invalidParam('banned', 'banned must be true or false.');
    add(undefined, (u) => u.banned === (banned === 'true'));
  }
  const bounds: Array<[string, (u: ClerkUser) => number | null, (t: number, bound: number) => boolean]> = [
    ['created_at_before', (u) => u.created_at, (t, b) => t < b],
    ['created_at_after', (u) => u.created_at, (t, b) => t > b],
    ['last_active_at_before', (u) => lastActive(u), (t, b) => t < b],
    ['last_active_at_after', (u) => lastActive(u), (t, b) => t > b],
    ['last_active_at_since', (u) => lastActive(u), (t, b) => t >= b],
    ['last_sign_in_at_before', (u) => u.last_sign_in_at, (t, b) => t < b],
    ['last_sign_in_at_after', (u) => u.last_sign_in_at, (t, b) => t > b],
  ];
  for (const [name, of, test] of bounds) {
    const text = params.get(name);
    if (text === null) continue;
    if (!/^\d+$/.test(text)) return invalidParam(name, `${name} must be a Unix timestamp in milliseconds.`);
    const bound = Number(text);
    add(undefined, (u) => {
      const t = of(u);
      return t !== null && t !== undefined && test(t, bound);
    });
  }
  return filter;
}

/** Parse the filters, order and paging of `GET /v1/users`, or the 422. */
export function parsePage(params: URLSearchParams, store: UserStore): UserPage | Reply {
  const limitText = params.get('limit');
  const offsetText = params.get('offset');
  const limit = limitText === null ? 10 : Number(limitText);
  const offset = offsetText === null ? 0 : Number(offsetText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500)
    return invalidParam('limit', 'limit must be an integer between 1 and 500.');
  if (!Number.isInteger(offset) || offset < 0)
    return invalidParam('offset', 'offset must be a non-negative integer.');
  const orderBy = (params.get('order_by') ?? '-created_at').trim();
  const desc = orderBy.startsWith('-');
  const field = orderBy.replace(/^[+-]/, '') as OrderField;
  if (!ORDER_FIELDS.includes(field))
    return invalidParam(
      'order_by',
      `order_by must be one of ${ORDER_FIELDS.join(', ')}, optionally prefixed with + or -.`,
    );
  const filter = parseFilter(params, store);
  if ('status' in filter) return filter;
  const page: UserPage = { filter, field, desc, limit, offset };
  const cursor = params.get('starting_after')?.trim();
  if (cursor) {
    if (field !== 'created_at')
      return invalidParam('starting_after', 'starting_after can only be used when ordering by created_at.');
    if (offset !== 0)
      return invalidParam('starting_after', 'starting_after cannot be combined with a non-zero offset.');
    page.after = store.createdRank(cursor);
    if (page.after === undefined)
      return invalidParam('starting_after', `No user was found with id ${cursor}.`);
  }
  return page;
}

function matches(filter: UserFilter, user: ClerkUser): boolean {
  for (const p of filter.predicates) if (!p(user)) return false;
  return true;
}

/** The smallest candidate set, or undefined when every user is a candidate. */
function smallest(filter: UserFilter): ReadonlySet<string> | undefined {
  let best: ReadonlySet<string> | undefined;
  for (const set of filter.candidates) if (!best || set.size < best.size) best = set;
  return best;
}

export function countUsers(store: UserStore, filter: UserFilter): number {
  if (filter.predicates.length === 0) return store.users.size;
  const candidates = smallest(filter);
  let n = 0;
  for (const id of candidates ?? store.users.keys()) {
    const user = store.get(id);
    if (user && matches(filter, user)) n++;
  }
  return n;
}

/** One page: walks the created order from the cursor and stops once the page is full. */
export function listUsers(store: UserStore, page: UserPage): ClerkUser[] {
  const ordered = page.field === 'created_at' ? byCreated(store, page) : byValue(store, page);
  const out: ClerkUser[] = [];
  let skip = page.offset;
  for (const user of ordered) {
    if (!matches(page.filter, user)) continue;
    if (skip > 0) {
      skip--;
      continue;
    }
    out.push(user);
    if (out.length === page.limit) break;
  }
  return out;
}

/** The candidates in created order (`desc`: newest first), after the cursor, lazily. */
function* byCreated(store: UserStore, page: UserPage): Generator<ClerkUser> {
  const candidates = smallest(page.filter);
  let ids: readonly string[];
  if (candidates) {
    const ranked = [...candidates]
      .filter((id) => store.get(id))
      .map((id) => ({ id, rank: store.createdRank(id) ?? 0 }));
    ranked.sort((a, b) => a.rank - b.rank);
    ids = ranked
      .filter((r) => page.after === undefined || (page.desc ? r.rank < page.after : r.rank > page.after))
      .map((r) => r.id);
    if (page.desc) ids = [...ids].reverse();
    for (const id of ids) yield store.get(id)!;
    return;
  }
  ids = store.createdOrder();
  if (page.desc) {
    for (let i = (page.after ?? ids.length) - 1; i >= 0; i--) yield store.get(ids[i])!;
  } else {
    for (let i = (page.after ?? -1) + 1; i < ids.length; i++) yield store.get(ids[i])!;
  }
}

/** The value a non-created ordering sorts by (lower-cased strings; null sorts last ascending). */
function sortValue(u: ClerkUser, field: OrderField): string | number | null {
  const primary = <T extends { id: string }>(list: T[], id: string | null): T | undefined =>
    list.find((i) => i.id === id) ?? list[0];
  switch (field) {
    case 'updated_at':
    case 'last_sign_in_at':
      return u[field] ?? null;
    case 'last_active_at':
      return lastActive(u);
    case 'email_address':
      return primary(u.email_addresses, u.primary_email_address_id)?.email_address.toLowerCase() ?? null;
    case 'phone_number':
      return primary(u.phone_numbers, u.primary_phone_number_id)?.phone_number ?? null;
    case 'web3wallet':
      return primary(u.web3_wallets, u.primary_web3_wallet_id)?.web3_wallet.toLowerCase() ?? null;
    default:
      return (u[field] as string | null)?.toLowerCase() ?? null;
  }
}

/** Every candidate sorted by a value, ties by the created order: a total order too. */
function byValue(store: UserStore, page: UserPage): ClerkUser[] {
  const candidates = smallest(page.filter);
  const users = [...(candidates ?? store.users.keys())]
    .flatMap((id) => store.get(id) ?? [])
    .filter((u) => matches(page.filter, u));
  const keyed = users.map((u) => ({ u, v: sortValue(u, page.field), r: store.createdRank(u.id) ?? 0 }));
  keyed.sort((a, b) => {
    if (a.v !== b.v) {
      if (a.v === null) return 1;
      if (b.v === null) return -1;
      return a.v < b.v ? -1 : 1;
    }
    return a.r - b.r;
  });
  if (page.desc) keyed.reverse();
  return keyed.map((k) => k.u);
}
