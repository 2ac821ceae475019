// Realistic seed users for the fake Clerk (tests, the `npm start` demo, benchmarks).
import type { ClerkEmailAddress, ClerkPhoneNumber, ClerkUser, ClerkWeb3Wallet } from '../core/clerk/types';
import type { FakeUserSecrets } from './users';

/** What a seed user may give; everything else gets realistic defaults. */
export type FakeUserSeed = Partial<ClerkUser> & {
  /** Strings become verified addresses; objects may set `id` and `verified`. */
  emails?: Array<string | { id?: string; email: string; verified?: boolean }>;
  phones?: Array<string | { id?: string; phone: string; verified?: boolean }>;
  wallets?: Array<string | { id?: string; wallet: string; verified?: boolean }>;
  /** Secrets the fake keeps (never returned). */
  secrets?: FakeUserSecrets;
  /** Ids of the organizations the user is a member of (kept by the store, for `organization_id` filters). */
  organizations?: string[];
};

let counter = 0;
/** A deterministic-looking id: prefix + 27 base62 characters derived from a seed text. */
export function seededId(prefix: string, seed: string): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  let h = 2166136261;
  let out = '';
  for (let i = 0; out.length < 27; i++) {
    h ^= seed.charCodeAt(i % Math.max(1, seed.length)) + i;
    h = Math.imul(h, 16777619) >>> 0;
    out += alphabet[h % alphabet.length];
  }
  return `${prefix}_${out}`;
}

// Parts many users have in common are shared, frozen (the store clones a user before changing it),
// so that 100,000 generated users do not carry 100,000 copies of each.
const VERIFICATIONS = new Map<string, NonNullable<ClerkEmailAddress['verification']>>();
function verification(verified: boolean, strategy: string): ClerkEmailAddress['verification'] {
  const key = `${verified}:${strategy}`;
  let shared = VERIFICATIONS.get(key);
  if (!shared) {
    shared = Object.freeze(
      verified
        ? { object: 'verification_otp', status: 'verified', strategy, attempts: 1, expire_at: null }
        : { object: 'verification_otp', status: 'unverified', strategy, attempts: 0, expire_at: null },
    );
    VERIFICATIONS.set(key, shared);
  }
  return shared;
}
/** A shared empty list or object (frozen). */
const none = <T>(): T[] => EMPTY_LIST as unknown as T[];
const EMPTY_LIST: readonly never[] = Object.freeze([]);
const EMPTY_OBJECT: Record<string, unknown> = Object.freeze({});

/** A complete Clerk User object from a seed. */
export function makeUser(
  seed: FakeUserSeed,
  now: number,
): { user: ClerkUser; secrets: FakeUserSecrets; organizations: string[] } {
  counter++;
  const id = seed.id ?? seededId('user', `${seed.username ?? ''}${seed.first_name ?? ''}${counter}`);
  const created: number = seed.created_at ?? now - 86_400_000 * (30 + counter);
  const emails: ClerkEmailAddress[] = (seed.emails ?? []).map((e, i) => {
    const spec = typeof e === 'string' ? { email: e } : e;
    return {
      id: spec.id ?? seededId('idn', `${id}-email-${i}`),
      object: 'email_address',
      email_address: spec.email,
      reserved: false,
      verification: verification(spec.verified ?? true, 'email_code'),
      linked_to: none(),
      matches_sso_connection: false,
      created_at: created,
      updated_at: created,
    };
  });
  const phones: ClerkPhoneNumber[] = (seed.phones ?? []).map((p, i) => {
    const spec = typeof p === 'string' ? { phone: p } : p;
    return {
      id: spec.id ?? seededId('idn', `${id}-phone-${i}`),
      object: 'phone_number',
      phone_number: spec.phone,
      reserved_for_second_factor: false,
      default_second_factor: false,
      reserved: false,
      verification: verification(spec.verified ?? true, 'phone_code'),
      linked_to: none(),
      backup_codes: null,
      created_at: created,
      updated_at: created,
    };
  });
  const wallets: ClerkWeb3Wallet[] = (seed.wallets ?? []).map((w, i) => {
    const spec = typeof w === 'string' ? { wallet: w } : w;
    const verified = spec.verified ?? true;
    return {
      id: spec.id ?? seededId('idn', `${id}-wallet-${i}`),
      object: 'web3_wallet',
      web3_wallet: spec.wallet,
      verification: {
        object: 'verification_web3',
        status: verified ? 'verified' : 'unverified',
        strategy: 'web3_metamask_signature',
        attempts: verified ? 1 : 0,
        expire_at: null,
        nonce: null,
        message: null,
      },
      created_at: created,
      updated_at: created,
    };
  });
  const firstVerified = <T extends { id: string; verification: { status: string } | null }>(
    list: T[],
  ): string | null => list.find((i) => i.verification?.status === 'verified')?.id ?? null;
  const { emails: _e, phones: _p, wallets: _w, secrets, organizations, ...rest } = seed;
  const user: ClerkUser = {
    id,
    object: 'user',
    external_id: null,
    primary_email_address_id: firstVerified(emails),
    primary_phone_number_id: firstVerified(phones),
    primary_web3_wallet_id: firstVerified(wallets),
    username: null,
    first_name: null,
    last_name: null,
    locale: null,
    profile_image_url: 'https://www.gravatar.com/avatar?d=mp',
    image_url: 'https://img.clerk.com/default-avatar',
    has_image: false,
    public_metadata: EMPTY_OBJECT,
    private_metadata: EMPTY_OBJECT,
    unsafe_metadata: EMPTY_OBJECT,
    email_addresses: emails.length ? emails : none(),
    phone_numbers: phones.length ? phones : none(),
    web3_wallets: wallets.length ? wallets : none(),
    passkeys: none(),
    password_enabled: secrets?.password !== undefined || secrets?.passwordDigest !== undefined,
    two_factor_enabled: secrets?.totpSecret !== undefined,
    totp_enabled: secrets?.totpSecret !== undefined,
    backup_code_enabled: (secrets?.backupCodes?.length ?? 0) > 0,
    mfa_enabled_at: null,
    mfa_disabled_at: null,
    password_last_updated_at: secrets?.password !== undefined ? created : null,
    external_accounts: none(),
    saml_accounts: none(),
    enterprise_accounts: none(),
    last_sign_in_at: created + 3_600_000,
    banned: false,
    locked: false,
    lockout_expires_in_seconds: null,
    verification_attempts_remaining: 100,
    created_at: created,
    updated_at: created,
    delete_self_enabled: true,
    create_organization_enabled: true,
    create_organizations_limit: null,
    last_active_at: created + 3_600_000,
    legal_accepted_at: null,
    bypass_client_trust: false,
    ...rest,
  };
  return { user, secrets: secrets ?? {}, organizations: organizations ?? [] };
}

/** Stable ids of the demo users, for tests and the sample workspace. */
export const DEMO_USER_IDS = {
  ada: 'user_2xhFjEI5X2qWRvtV13BzSj8H6Dk',
  grace: 'user_2yGmR8cQkT4vNw7PzL1aXbE9sHd',
  alan: 'user_2zKpW3nVfY6tQr8MxC5bJ2uLgAe',
  katherine: 'user_30AbCdEfGhJkLmNpQrStUvWxYz1',
  linus: 'user_31QwErTyUiOpAsDfGhJkLzXcVb2',
} as const;

/** Organizations the demo users are members of. */
export const DEMO_ORGANIZATION_IDS = {
  analytical: 'org_2xAnalyticalEngineSociety01',
  navy: 'org_2yNavyComputingLaboratory02',
  nasa: 'org_30LangleyResearchCenter0003',
} as const;

/** The demo instance: a handful of realistic users with identifiers, metadata and history. */
export function demoUsers(now: number): FakeUserSeed[] {
  const day = 86_400_000;
  return [
    {
      id: DEMO_USER_IDS.ada,
      first_name: 'Ada',
      last_name: 'Lovelace',
      username: 'ada',
      external_id: 'crm-1815',
      locale: 'en-GB',
      emails: [
        { id: 'idn_2xhFjG0aLovelaceMain0001', email: 'ada@analytical.engine' },
        { id: 'idn_2xhFjG0aLovelaceWork0002', email: 'ada.lovelace@example.com', verified: false },
      ],
      phones: [{ id: 'idn_2xhFjG0aLovelacePhone003', phone: '+441632960001' }],
      public_metadata: { role: 'admin', plan: 'pro' },
      private_metadata: { crm: { tier: 'gold', since: 2019 } },
      unsafe_metadata: { theme: 'dark' },
      created_at: now - 400 * day,
      updated_at: now - 3 * day,
      secrets: { password: 'correct-horse-battery-staple' },
      organizations: [DEMO_ORGANIZATION_IDS.analytical, DEMO_ORGANIZATION_IDS.navy],
    },
    {
      id: DEMO_USER_IDS.grace,
      first_name: 'Grace',
      last_name: 'Hopper',
      username: 'grace_h',
      locale: 'en-US',
      emails: [{ id: 'idn_2yGmR9GraceHopperMail0001', email: 'grace@navy.example.mil' }],
      public_metadata: { role: 'member' },
      created_at: now - 300 * day,
      updated_at: now - 30 * day,
      create_organizations_limit: 3,
      organizations: [DEMO_ORGANIZATION_IDS.navy],
    },
    {
      id: DEMO_USER_IDS.alan,
      first_name: 'Alan',
      last_name: 'Turing',
      username: null,
      emails: [{ id: 'idn_2zKpW4AlanTuringMail00001', email: 'alan@bletchley.example.org' }],
      wallets: [
        { id: 'idn_2zKpW4AlanTuringWallet001', wallet: '0x71C7656EC7ab88b098defB751B7401B5f6d8976F' },
        {
          id: 'idn_2zKpW4AlanTuringWallet002',
          wallet: '0x1f9840a85d5aF5bf1D1762F925BDADdC4201F984',
          verified: false,
        },
      ],
      created_at: now - 200 * day,
      updated_at: now - 200 * day,
      delete_self_enabled: false,
      organizations: [DEMO_ORGANIZATION_IDS.analytical],
    },
    {
      id: DEMO_USER_IDS.katherine,
      first_name: 'Katherine',
      last_name: 'Johnson',
      username: 'kjohnson',
      external_id: 'crm-1918',
      emails: [{ id: 'idn_30AbCeKatherineMail000001', email: 'katherine@langley.example.gov' }],
      phones: [
        { id: 'idn_30AbCeKatherinePhone00001', phone: '+15555550123' },
        { id: 'idn_30AbCeKatherinePhone00002', phone: '+15555550199', verified: false },
      ],
      public_metadata: { role: 'member', team: 'trajectories' },
      created_at: now - 100 * day,
      updated_at: now - 10 * day,
      legal_accepted_at: now - 100 * day,
      secrets: { password: 'orbital-mechanics-1962', totpSecret: 'JBSWY3DPEHPK3PXP' },
      organizations: [DEMO_ORGANIZATION_IDS.nasa],
    },
    {
      id: DEMO_USER_IDS.linus,
      first_name: null,
      last_name: null,
      username: 'linus',
      emails: [{ id: 'idn_31QwErLinusMail0000000001', email: 'linus@kernel.example.org' }],
      created_at: now - 10 * day,
      updated_at: now - 10 * day,
      create_organization_enabled: false,
    },
  ];
}
