/** Verification of an identifier, as in Clerk's User object (only the fields the extension reads). */
export interface ClerkVerification {
  status: 'unverified' | 'verified' | 'transferable' | 'failed' | 'expired' | string;
  strategy: string;
  [key: string]: unknown;
}

export interface ClerkEmailAddress {
  id: string;
  object: 'email_address';
  email_address: string;
  verification: ClerkVerification | null;
  [key: string]: unknown;
}

export interface ClerkPhoneNumber {
  id: string;
  object: 'phone_number';
  phone_number: string;
  verification: ClerkVerification | null;
  [key: string]: unknown;
}

export interface ClerkWeb3Wallet {
  id: string;
  object: 'web3_wallet';
  web3_wallet: string;
  verification: ClerkVerification | null;
  [key: string]: unknown;
}

/** Clerk's User object (the `User` schema of the Backend API). Timestamps are Unix milliseconds. */
export interface ClerkUser {
  id: string;
  object: 'user';
  external_id: string | null;
  primary_email_address_id: string | null;
  primary_phone_number_id: string | null;
  primary_web3_wallet_id: string | null;
  username: string | null;
  first_name: string | null;
  last_name: string | null;
  locale?: string | null;
  image_url?: string;
  has_image: boolean;
  public_metadata: Record<string, unknown>;
  private_metadata?: Record<string, unknown> | null;
  unsafe_metadata?: Record<string, unknown>;
  email_addresses: ClerkEmailAddress[];
  phone_numbers: ClerkPhoneNumber[];
  web3_wallets: ClerkWeb3Wallet[];
  password_enabled: boolean;
  two_factor_enabled: boolean;
  totp_enabled: boolean;
  backup_code_enabled: boolean;
  delete_self_enabled: boolean;
  create_organization_enabled: boolean;
  create_organizations_limit?: number | null;
  bypass_client_trust?: boolean;
  created_at: number;
  updated_at: number;
  legal_accepted_at: number | null;
  last_sign_in_at: number | null;
  [key: string]: unknown;
}

/** `GET /v1/users/count`. */
export interface ClerkTotalCount {
  object: 'total_count';
  total_count: number;
}

/** One entry of Clerk's error envelope `{"errors":[…],"clerk_trace_id":"…"}`. */
export interface ClerkApiError {
  code: string;
  message: string;
  long_message?: string;
  meta?: { param_name?: string; [key: string]: unknown };
}

/** A display name for a user: "First Last", else the username, else the primary email, else the id. */
export function userDisplayName(
  user: Pick<ClerkUser, 'id' | 'first_name' | 'last_name' | 'username'> & Partial<ClerkUser>,
): string {
  const name = [user.first_name, user.last_name]
    .filter((s) => typeof s === 'string' && s.trim() !== '')
    .join(' ');
  if (name) return name;
  if (user.username) return user.username;
  const primary =
    user.email_addresses?.find((e) => e.id === user.primary_email_address_id) ?? user.email_addresses?.[0];
  if (primary) return primary.email_address;
  return user.id;
}

/** The primary email address of a user, if any. */
export function primaryEmail(user: Partial<ClerkUser>): string | undefined {
  const primary =
    user.email_addresses?.find((e) => e.id === user.primary_email_address_id) ?? user.email_addresses?.[0];
  return primary?.email_address;
}
