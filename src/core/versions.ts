/** Clerk Backend API versions documented for PATCH /v1/users/{user_id}, oldest first. */
export const API_VERSIONS = ['2021-02-05', '2024-10-01', '2025-04-10', '2025-11-10', '2026-05-12'] as const;
export type ApiVersion = (typeof API_VERSIONS)[number];

/** The newest documented version: the default of the `clerkUserUpdate.apiVersion` setting. */
export const DEFAULT_API_VERSION: ApiVersion = '2026-05-12';

/** Versions in which the metadata fields left the PATCH body and go through PUT /v1/users/{id}/metadata. */
export const METADATA_FIELDS = ['public_metadata', 'private_metadata', 'unsafe_metadata'] as const;
export type MetadataField = (typeof METADATA_FIELDS)[number];

/** Fields holding a date-time: RFC 3339 in the body, Unix milliseconds in the User object. */
export const TIMESTAMP_FIELDS = ['created_at', 'legal_accepted_at'] as const;

export function isApiVersion(value: unknown): value is ApiVersion {
  return typeof value === 'string' && (API_VERSIONS as readonly string[]).includes(value);
}

/** True when the metadata fields must be sent with PUT /v1/users/{id}/metadata after the PATCH. */
export function metadataSentSeparately(version: ApiVersion): boolean {
  return version >= '2026-05-12';
}

/** Field values that must never be written to logs, notifications, documents or errors. */
export const SECRET_FIELDS = ['password', 'password_digest', 'totp_secret', 'backup_codes'] as const;
