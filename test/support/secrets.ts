// The distinctive secrets that leak tests search for: the fake's keys and the secret field values
// of test/fixtures/faults/secrets-*.userupdate.json (password, password_digest, totp_secret,
// backup_codes). Listed literally, so the checks do not depend on the redaction code under test.
import { FAKE_LIVE_KEY, FAKE_TEST_KEY } from '../../src/fake/server';

export const SECRET_FIELD_VALUES: Readonly<Record<string, string>> = {
  password: 'Penguin-Distinct-Pa55-6612',
  password_digest: '$2a$10$DistinctDigestN9xQ0mW7bLkJ3vT5rY8pE1uI4oA6sD2fG',
  totp_secret: 'JBSWY3DPDISTINCTTOTP7QXZ',
  'backup_codes[0]': 'bkp-5521-distinct',
  'backup_codes[1]': 'bkp-8830-distinct',
};

/**
 * Every secret to search for, by label. Each key is listed whole and also without its
 * `sk_test_`/`sk_live_` prefix: the redactor masks anything shaped like a key, so the part after
 * the prefix is what would show a leak that slipped past it.
 */
export const ALL_SECRETS: ReadonlyArray<{ label: string; value: string }> = [
  { label: 'the test key', value: FAKE_TEST_KEY },
  { label: 'the test key without its prefix', value: FAKE_TEST_KEY.slice('sk_test_'.length) },
  { label: 'the live key', value: FAKE_LIVE_KEY },
  { label: 'the live key without its prefix', value: FAKE_LIVE_KEY.slice('sk_live_'.length) },
  ...Object.entries(SECRET_FIELD_VALUES).map(([field, value]) => ({ label: `the ${field} value`, value })),
];

/** Labels of the secrets found in `content` (never the secrets themselves, so reports stay clean). */
export function secretsIn(content: string | Buffer): string[] {
  return ALL_SECRETS.filter((s) => content.includes(s.value)).map((s) => s.label);
}
