// The fake's user store and the semantics of the user endpoints (PATCH user, metadata PATCH/PUT).
import { randomBytes } from 'node:crypto';
import type { ClerkApiError, ClerkUser } from '../core/clerk/types';
import { fieldInfo, ROOT_KEYS } from '../core/schema';
import {
  DEFAULT_API_VERSION,
  METADATA_FIELDS,
  metadataSentSeparately,
  TIMESTAMP_FIELDS,
  type ApiVersion,
} from '../core/versions';
import { clerkError as err } from './reply';

/** Secrets the fake keeps out of the User object (Clerk never returns them). */
export interface FakeUserSecrets {
  password?: string;
  passwordDigest?: string;
  passwordHasher?: string;
  totpSecret?: string;
  backupCodes?: string[];
}

/**
 * The UpdateUser body fields of every version up to 2025-11-10: the schema's, generated from Clerk's OpenAPI
 * specs.
 */
export const UPDATE_USER_FIELDS: readonly string[] = ROOT_KEYS.filter((key) => !key.startsWith('$'));

/** The `password_hasher` values Clerk's spec lists. */
export const PASSWORD_HASHERS: readonly string[] =
  fieldInfo(DEFAULT_API_VERSION, 'password_hasher')?.enum ?? [];

/** A small breach list for `form_password_pwned`. */
export const DEFAULT_PWNED_PASSWORDS = [
  'password',
  'password1',
  'password123',
  '12345678',
  '123456789',
  'qwertyuiop',
  'iloveyou',
  'letmein1',
  'sunshine1',
  'passw0rd',
];

export function updateUserFields(version: ApiVersion): string[] {
  const all = UPDATE_USER_FIELDS;
  return metadataSentSeparately(version)
    ? all.filter((f) => !(METADATA_FIELDS as readonly string[]).includes(f))
    : [...all];
}

/** Random Clerk-looking id: `user_` + 27 base62 characters. */
export function fakeId(prefix: string): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  const bytes = randomBytes(27);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return `${prefix}_${out}`;
}

export class FakeApiError {
  constructor(
    readonly status: number,
    readonly errors: ClerkApiError[],
  ) {}
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const METADATA_LIMIT = 8 * 1024;

/** Deep merge as `PATCH /v1/users/{id}/metadata` does: objects merge, `null` deletes at any level. */
export function deepMergeMetadata(
  target: Record<string, unknown>,
  patch: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...target };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (isRecord(v) && isRecord(out[k]))
      out[k] = deepMergeMetadata(out[k] as Record<string, unknown>, v);
    else if (isRecord(v)) out[k] = deepMergeMetadata({}, v);
    else out[k] = v;
  }
  return out;
}

export interface UpdateContext {
  now: number;
  version: ApiVersion;
  pwned: ReadonlySet<string>;
  store: UserStore;
}

/**
 * Ids by a value (an email, an external id, an organization…). Most values belong to one user, so
 * one id is kept as a string and a Set made only for a second one: 100,000 users cost no Sets.
 */
export class Index {
  private readonly map = new Map<string, string | Set<string>>();

  add(key: string | null | undefined, id: string): void {
    if (key === null || key === undefined) return;
    const ids = this.map.get(key);
    if (ids === undefined || ids === id) this.map.set(key, id);
    else if (typeof ids === 'string') this.map.set(key, new Set([ids, id]));
    else ids.add(id);
  }

  remove(key: string | null | undefined, id: string): void {
    if (key === null || key === undefined) return;
    const ids = this.map.get(key);
    if (ids === id) this.map.delete(key);
    else if (typeof ids === 'object') {
      ids.delete(id);
      if (ids.size === 1) this.map.set(key, [...ids][0]);
    }
  }

  get(key: string): ReadonlySet<string> {
    const ids = this.map.get(key);
    return ids === undefined ? EMPTY : typeof ids === 'string' ? new Set([ids]) : ids;
  }

  /** Each value with how many users have it, most first. */
  sizes(): Array<{ key: string; count: number }> {
    return [...this.map]
      .map(([key, ids]) => ({ key, count: typeof ids === 'string' ? 1 : ids.size }))
      .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1));
  }
}
const EMPTY: ReadonlySet<string> = new Set();

/**
 * The users of a fake instance. `users` is the live map (id → User object); the indexes follow every
 * change made through `add`, `updateUser` and `updateMetadata`, so the exact filters of
 * `GET /v1/users` never scan.
 */
export class UserStore {
  readonly users = new Map<string, ClerkUser>();
  readonly secrets = new Map<string, FakeUserSecrets>();
  /** User id → ids of the organizations the user is a member of (not part of the User object). */
  readonly memberships = new Map<string, readonly string[]>();
  readonly byExternalId = new Index();
  /** Lower-cased. */
  readonly byEmail = new Index();
  /** Lower-cased. */
  readonly byUsername = new Index();
  readonly byPhone = new Index();
  readonly byOrganization = new Index();
  /** Ids ascending by (`created_at`, id), and each id's position; rebuilt when stale. */
  private order: string[] | undefined;
  private readonly rank = new Map<string, number>();

  add(user: ClerkUser, secrets: FakeUserSecrets = {}, organizations: readonly string[] = []): void {
    const previous = this.users.get(user.id);
    if (previous) this.unindex(previous);
    for (const org of this.memberships.get(user.id) ?? []) this.byOrganization.remove(org, user.id);
    this.users.set(user.id, user);
    // Only what is there: most generated users have neither secrets nor more than one organization.
    if (Object.keys(secrets).length) this.secrets.set(user.id, secrets);
    else this.secrets.delete(user.id);
    if (organizations.length) this.memberships.set(user.id, [...organizations]);
    else this.memberships.delete(user.id);
    for (const org of organizations) this.byOrganization.add(org, user.id);
    this.index(user);
    this.order = undefined;
  }

  get(id: string): ClerkUser | undefined {
    return this.users.get(id);
  }

  /** Ids ascending by `created_at`, ties by id: a total order, so cursor pages never skip or repeat. */
  createdOrder(): readonly string[] {
    if (!this.order) {
      const ids = [...this.users.keys()];
      const times = Float64Array.from(ids, (id) => this.users.get(id)!.created_at);
      const positions = Uint32Array.from(ids, (_id, i) => i).sort(
        (a, b) => times[a] - times[b] || (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0),
      );
      this.order = Array.from(positions, (i) => ids[i]);
      this.rank.clear();
      this.order.forEach((id, i) => this.rank.set(id, i));
    }
    return this.order;
  }

  /** A user's position in `createdOrder()`, or undefined for an unknown id. */
  createdRank(id: string): number | undefined {
    this.createdOrder();
    return this.rank.get(id);
  }

  /** Store a changed user, keeping the indexes and the order in step. */
  private replace(next: ClerkUser): void {
    const previous = this.users.get(next.id);
    if (previous) this.unindex(previous);
    this.users.set(next.id, next);
    this.index(next);
    if (previous?.created_at !== next.created_at) this.order = undefined;
  }

  private index(user: ClerkUser): void {
    this.byExternalId.add(user.external_id, user.id);
    this.byUsername.add(user.username?.toLowerCase(), user.id);
    for (const e of user.email_addresses) this.byEmail.add(e.email_address.toLowerCase(), user.id);
    for (const p of user.phone_numbers) this.byPhone.add(p.phone_number, user.id);
  }

  private unindex(user: ClerkUser): void {
    this.byExternalId.remove(user.external_id, user.id);
    this.byUsername.remove(user.username?.toLowerCase(), user.id);
    for (const e of user.email_addresses) this.byEmail.remove(e.email_address.toLowerCase(), user.id);
    for (const p of user.phone_numbers) this.byPhone.remove(p.phone_number, user.id);
  }

  /** True when another user than `id` has this key in `index`. */
  private takenByOther(index: Index, key: string, id: string): boolean {
    for (const other of index.get(key)) if (other !== id) return true;
    return false;
  }

  /**
   * Apply a `PATCH /v1/users/{id}` body. Validates first (nothing changes on error), then
   * applies: absent = unchanged, `null` = cleared. Bumps `updated_at` when something changed.
   * @throws FakeApiError (422) for invalid bodies
   */
  updateUser(user: ClerkUser, body: Record<string, unknown>, ctx: UpdateContext): ClerkUser {
    const allowed = new Set(updateUserFields(ctx.version));
    const errors: ClerkApiError[] = [];
    for (const key of Object.keys(body)) {
      if (!allowed.has(key))
        errors.push(
          err('form_param_unknown', 'is unknown', `${key} is not a valid parameter for this request.`, key),
        );
    }
    if (errors.length) throw new FakeApiError(422, errors);

    const str = (key: string, nullable = true): void => {
      if (!(key in body)) return;
      const v = body[key];
      if (v === null && nullable) return;
      if (typeof v !== 'string')
        errors.push(
          err(
            'form_param_format_invalid',
            'is invalid',
            `${key} must be a string${nullable ? ' or null' : ''}.`,
            key,
          ),
        );
    };
    const bool = (key: string): void => {
      if (key in body && body[key] !== null && typeof body[key] !== 'boolean') {
        errors.push(err('form_param_format_invalid', 'is invalid', `${key} must be a boolean.`, key));
      }
    };
    for (const key of [
      'external_id',
      'first_name',
      'last_name',
      'locale',
      'primary_email_address_id',
      'primary_phone_number_id',
      'primary_web3_wallet_id',
      'username',
      'profile_image_id',
      'password',
      'totp_secret',
      'legal_accepted_at',
      'created_at',
    ])
      str(key);
    str('password_digest', false);
    str('password_hasher', false);
    for (const key of [
      'notify_primary_email_address_changed',
      'skip_password_checks',
      'sign_out_of_other_sessions',
      'delete_self_enabled',
      'create_organization_enabled',
      'skip_legal_checks',
      'bypass_client_trust',
    ])
      bool(key);
    if (
      'backup_codes' in body &&
      !(Array.isArray(body.backup_codes) && body.backup_codes.every((c) => typeof c === 'string'))
    ) {
      errors.push(
        err(
          'form_param_format_invalid',
          'is invalid',
          'backup_codes must be an array of strings.',
          'backup_codes',
        ),
      );
    }
    if ('create_organizations_limit' in body) {
      const v = body.create_organizations_limit;
      if (v !== null && !(typeof v === 'number' && Number.isInteger(v) && v >= 0)) {
        errors.push(
          err(
            'form_param_format_invalid',
            'is invalid',
            'create_organizations_limit must be a non-negative integer or null.',
            'create_organizations_limit',
          ),
        );
      }
    }
    for (const key of METADATA_FIELDS) {
      if (!(key in body)) continue;
      const v = body[key];
      if (v !== null && !isRecord(v))
        errors.push(err('form_param_format_invalid', 'is invalid', `${key} must be an object.`, key));
      else if (v !== null && JSON.stringify(v).length > METADATA_LIMIT) {
        errors.push(
          err(
            'form_param_max_length_exceeded',
            'is too long',
            `${key} exceeds the maximum allowed size of 8KB.`,
            key,
          ),
        );
      }
    }
    for (const key of TIMESTAMP_FIELDS) {
      const v = body[key];
      if (typeof v === 'string' && !isRfc3339(v)) {
        errors.push(
          err(
            'form_param_format_invalid',
            'is invalid',
            `${key} must be a valid date/time in RFC3339 format (e.g. 2012-10-20T07:15:20.902Z).`,
            key,
          ),
        );
      }
    }
    if (typeof body.password_hasher === 'string' && !PASSWORD_HASHERS.includes(body.password_hasher)) {
      errors.push(
        err(
          'form_param_value_invalid',
          'is invalid',
          `password_hasher ${body.password_hasher} is not supported.`,
          'password_hasher',
        ),
      );
    }
    if ('password_digest' in body && !('password_hasher' in body)) {
      errors.push(
        err(
          'form_param_missing',
          'is missing',
          'password_hasher must be included when password_digest is.',
          'password_hasher',
        ),
      );
    }
    if (typeof body.password === 'string' && body.skip_password_checks !== true) {
      if (body.password.length < 8) {
        errors.push(
          err(
            'form_password_length_too_short',
            'Passwords must be 8 characters or more.',
            'Passwords must be 8 characters or more.',
            'password',
          ),
        );
      } else if (ctx.pwned.has(body.password.toLowerCase())) {
        errors.push(
          err(
            'form_password_pwned',
            'Password has been found in an online data breach. For account safety, please use a different password.',
            'Password has been found in an online data breach. For account safety, please use a different password.',
            'password',
          ),
        );
      }
    }
    // A username sent back unchanged (a pulled file) is not a new identifier: nothing to check.
    if (typeof body.username === 'string' && body.username !== '' && body.username !== user.username) {
      const u = body.username;
      if (u.length < 4 || u.length > 64) {
        errors.push(
          err(
            'form_username_invalid_length',
            'Username must be between 4 and 64 characters long.',
            'Username must be between 4 and 64 characters long.',
            'username',
          ),
        );
      } else if (!/^[a-zA-Z0-9_-]+$/.test(u)) {
        errors.push(
          err(
            'form_username_invalid_character',
            'Username can only contain letters, numbers and - or _.',
            'Username can only contain letters, numbers and - or _.',
            'username',
          ),
        );
      } else if (this.takenByOther(this.byUsername, u.toLowerCase(), user.id)) {
        errors.push(
          err(
            'form_identifier_exists',
            'That username is taken. Please try another.',
            'That username is taken. Please try another.',
            'username',
          ),
        );
      }
    }
    if (
      typeof body.external_id === 'string' &&
      this.takenByOther(this.byExternalId, body.external_id, user.id)
    ) {
      errors.push(
        err(
          'form_identifier_exists',
          'That external ID is taken.',
          'That external ID is taken. It must be unique across your instance.',
          'external_id',
        ),
      );
    }
    const primary = (
      key: 'primary_email_address_id' | 'primary_phone_number_id' | 'primary_web3_wallet_id',
      list: Array<{ id: string; verification: { status: string } | null }>,
      what: string,
    ): void => {
      const v = body[key];
      if (typeof v !== 'string') return;
      const found = list.find((i) => i.id === v);
      if (!found)
        errors.push(
          err('form_param_value_invalid', 'is invalid', `No ${what} with id ${v} belongs to this user.`, key),
        );
      else if (found.verification?.status !== 'verified')
        errors.push(
          err(
            'form_param_value_invalid',
            'is invalid',
            `The ${what} ${v} is not verified; only verified identifiers can be primary.`,
            key,
          ),
        );
    };
    primary('primary_email_address_id', user.email_addresses, 'email address');
    primary('primary_phone_number_id', user.phone_numbers, 'phone number');
    primary('primary_web3_wallet_id', user.web3_wallets, 'web3 wallet');
    if (errors.length) throw new FakeApiError(422, errors);

    const before = JSON.stringify(user);
    const next: ClerkUser = structuredClone(user);
    const secrets = { ...(this.secrets.get(user.id) ?? {}) };
    for (const key of ['external_id', 'first_name', 'last_name', 'locale'] as const) {
      if (key in body) next[key] = (body[key] as string | null) ?? null;
    }
    if ('username' in body)
      next.username = body.username === '' || body.username === null ? null : (body.username as string);
    for (const key of [
      'primary_email_address_id',
      'primary_phone_number_id',
      'primary_web3_wallet_id',
    ] as const) {
      if (key in body) next[key] = (body[key] as string | null) ?? null;
    }
    for (const key of ['delete_self_enabled', 'create_organization_enabled'] as const) {
      if (key in body && body[key] !== null) next[key] = body[key] as boolean;
    }
    if ('bypass_client_trust' in body) next.bypass_client_trust = body.bypass_client_trust === true;
    if ('create_organizations_limit' in body)
      next.create_organizations_limit = (body.create_organizations_limit as number | null) ?? null;
    if ('created_at' in body && typeof body.created_at === 'string')
      next.created_at = Date.parse(body.created_at);
    if ('legal_accepted_at' in body)
      next.legal_accepted_at =
        typeof body.legal_accepted_at === 'string' ? Date.parse(body.legal_accepted_at) : null;
    if ('profile_image_id' in body) {
      next.has_image = body.profile_image_id !== null;
      next.image_url =
        body.profile_image_id === null
          ? 'https://img.clerk.com/default-avatar'
          : `https://img.clerk.com/${String(body.profile_image_id)}`;
    }
    for (const key of METADATA_FIELDS) {
      if (key in body) next[key] = (body[key] as Record<string, unknown> | null) ?? {};
    }
    if ('password' in body) {
      if (typeof body.password === 'string') {
        secrets.password = body.password;
        delete secrets.passwordDigest;
        next.password_enabled = true;
        next.password_last_updated_at = ctx.now;
      } else {
        delete secrets.password;
        next.password_enabled = secrets.passwordDigest !== undefined;
      }
    }
    if (typeof body.password_digest === 'string') {
      secrets.passwordDigest = body.password_digest;
      secrets.passwordHasher = body.password_hasher as string;
      next.password_enabled = true;
      next.password_last_updated_at = ctx.now;
    }
    if ('totp_secret' in body) {
      if (typeof body.totp_secret === 'string') secrets.totpSecret = body.totp_secret;
      else delete secrets.totpSecret;
      next.totp_enabled = typeof body.totp_secret === 'string';
    }
    if ('backup_codes' in body) {
      secrets.backupCodes = [...(body.backup_codes as string[])];
      next.backup_code_enabled = secrets.backupCodes.length > 0;
    }
    next.two_factor_enabled =
      next.totp_enabled ||
      next.backup_code_enabled ||
      next.phone_numbers.some((p) => p.reserved_for_second_factor === true);
    const secretsChanged = JSON.stringify(secrets) !== JSON.stringify(this.secrets.get(user.id) ?? {});
    if (secretsChanged || JSON.stringify(next) !== before)
      next.updated_at = Math.max(ctx.now, user.updated_at + 1);
    this.replace(next);
    this.secrets.set(user.id, secrets);
    return next;
  }

  /**
   * Apply a metadata body: `merge` (PATCH, deep merge, null deletes) or replace (PUT, each given
   * field replaced whole, `{}` or null clears it).
   * @throws FakeApiError (422)
   */
  updateMetadata(user: ClerkUser, body: Record<string, unknown>, merge: boolean, now: number): ClerkUser {
    const errors: ClerkApiError[] = [];
    for (const [key, value] of Object.entries(body)) {
      if (!(METADATA_FIELDS as readonly string[]).includes(key)) {
        errors.push(
          err('form_param_unknown', 'is unknown', `${key} is not a valid parameter for this request.`, key),
        );
      } else if (value !== null && !isRecord(value)) {
        errors.push(err('form_param_format_invalid', 'is invalid', `${key} must be an object.`, key));
      }
    }
    if (errors.length) throw new FakeApiError(422, errors);
    const next: ClerkUser = structuredClone(user);
    for (const key of METADATA_FIELDS) {
      if (!(key in body)) continue;
      const value = body[key] as Record<string, unknown> | null;
      const current = (next[key] as Record<string, unknown> | null | undefined) ?? {};
      const result = value === null ? {} : merge ? deepMergeMetadata(current, value) : value;
      if (JSON.stringify(result).length > METADATA_LIMIT) {
        errors.push(
          err(
            'form_param_max_length_exceeded',
            'is too long',
            `${key} exceeds the maximum allowed size of 8KB.`,
            key,
          ),
        );
      }
      next[key] = result;
    }
    if (errors.length) throw new FakeApiError(422, errors);
    if (JSON.stringify(next) !== JSON.stringify(user)) next.updated_at = Math.max(now, user.updated_at + 1);
    this.replace(next);
    return next;
  }
}

/** RFC 3339 date-time, e.g. 2012-10-20T07:15:20.902Z or 2012-10-20T07:15:20+02:00. */
export function isRfc3339(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.exec(text);
  if (!m) return false;
  const [, , mo, d, h, mi, s] = m.map(Number);
  return (
    mo >= 1 &&
    mo <= 12 &&
    d >= 1 &&
    d <= 31 &&
    h <= 23 &&
    mi <= 59 &&
    s <= 60 &&
    !Number.isNaN(Date.parse(text))
  );
}
