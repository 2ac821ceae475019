import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DiagnosticCode } from '../../../src/core/codes';
import type { ApiVersion } from '../../../src/core/versions';
import { analyze, applyEdits, only, rangeOf, rangeWithin, summary } from './helpers';

function lines(...parts: string[]): string {
  return parts.join('\n');
}

test('a valid file has no diagnostics and exposes version, user id and tree', () => {
  const text = lines(
    '{',
    '  "$user_id": "user_123",',
    '  "$api_version": "2021-02-05",',
    '  "first_name": "Ada"',
    '}',
  );
  const a = analyze(text, '2026-05-12');
  assert.deepEqual(a.diagnostics, []);
  assert.equal(a.apiVersion, '2021-02-05');
  assert.equal(a.userId, 'user_123');
  assert.equal(a.hasErrors, false);
  assert.equal(a.root?.type, 'object');
  assert.equal(a.root?.children?.length, 3);
});

test('the setting applies when $api_version is absent or not documented', () => {
  assert.equal(analyze('{}', '2024-10-01').apiVersion, '2024-10-01');
  assert.equal(analyze('{"$api_version": "1999-01-01"}', '2024-10-01').apiVersion, '2024-10-01');
  assert.equal(analyze('{"$api_version": 5}', '2024-10-01').apiVersion, '2024-10-01');
  assert.equal(analyze('{"$user_id": 5}').userId, undefined);
});

test('unknown property: range is the key, did-you-mean with a quick fix', () => {
  const text = lines('{', '  "frist_name": "Ada"', '}');
  const [d] = analyze(text).diagnostics;
  assert.equal(d.code, DiagnosticCode.UnknownProperty);
  assert.equal(d.severity, 'error');
  assert.equal(d.owner, 'payload');
  assert.equal(d.path, '/frist_name');
  assert.deepEqual(d.range, rangeOf(text, '"frist_name"'));
  assert.match(d.message, /'frist_name'.*Did you mean 'first_name'\?/);
  assert.equal(d.fixes?.length, 1);
  assert.equal(d.fixes?.[0].preferred, true);
  assert.equal(applyEdits(text, d.fixes![0].edits), lines('{', '  "first_name": "Ada"', '}'));
});

test('camelCase keys get a fix to the snake_case field', () => {
  const text = '{"firstName": "Ada", "primaryEmailAddressId": "idn_1", "skipPasswordChecks": null}';
  const ds = only(analyze(text), DiagnosticCode.UnknownProperty);
  assert.deepEqual(
    ds.map((d) => d.range),
    [
      rangeOf(text, '"firstName"'),
      rangeOf(text, '"primaryEmailAddressId"'),
      rangeOf(text, '"skipPasswordChecks"'),
    ],
  );
  assert.match(ds[0].message, /spells it 'first_name'/);
  const fixed = ds.reduce((t, d) => applyEdits(t, d.fixes![0].edits), text);
  // Edits are on offsets of the original text and do not overlap; applying from the end keeps them valid.
  assert.equal(
    applyEdits(
      text,
      ds.flatMap((d) => d.fixes![0].edits),
    ),
    '{"first_name": "Ada", "primary_email_address_id": "idn_1", "skip_password_checks": null}',
  );
  assert.ok(fixed.includes('"first_name"'));
});

test('no rename fix when the suggested field is already present', () => {
  const text = '{"first_name": "A", "firstName": "B"}';
  const [d] = only(analyze(text), DiagnosticCode.UnknownProperty);
  assert.equal(d.fixes, undefined);
});

test('unknown reserved key and unrelated unknown key', () => {
  const text = '{"$userid": "user_1", "zzzzzz": 1}';
  const ds = analyze(text).diagnostics;
  assert.deepEqual(summary(ds), [
    { code: 'unknown-property', range: rangeOf(text, '"$userid"') },
    { code: 'unknown-property', range: rangeOf(text, '"zzzzzz"') },
  ]);
  assert.match(
    ds[0].message,
    /reserved keys are '\$schema', '\$user_id', '\$api_version' and '\$metadata'.*Did you mean '\$user_id'/,
  );
  assert.equal(ds[1].fixes, undefined);
});

test('wrong type: range is the value, plain English naming the field', () => {
  const text = lines(
    '{',
    '  "first_name": 42,',
    '  "delete_self_enabled": "true",',
    '  "backup_codes": ["ok", 7],',
    '  "public_metadata": []',
    '}',
  );
  const ds = analyze(text, '2021-02-05').diagnostics.filter((d) => d.code !== 'metadata-mode');
  assert.deepEqual(summary(ds), [
    { code: 'wrong-type', range: rangeOf(text, '42') },
    { code: 'wrong-type', range: rangeOf(text, '"true"') },
    { code: 'wrong-type', range: rangeOf(text, '7') },
    { code: 'wrong-type', range: rangeOf(text, '[]') },
  ]);
  assert.equal(ds[0].message, "'first_name' must be a string or null, not a number (42).");
  assert.equal(ds[1].message, `'delete_self_enabled' must be true or false or null, not a string ("true").`);
  assert.equal(ds[2].message, "'backup_codes[1]' must be a string, not a number.");
  assert.equal(ds[2].path, '/backup_codes/1');
  assert.equal(ds[3].message, "'public_metadata' must be an object or null, not an array.");
  assert.equal(applyEdits(text, ds[1].fixes![0].edits).includes('"delete_self_enabled": true'), true);
});

test('metadata is an object (not null) under 2026-05-12', () => {
  const text = '{"public_metadata": null}';
  const ds = analyze(text, '2026-05-12').diagnostics;
  assert.deepEqual(summary(ds), [
    { code: 'metadata-mode', range: rangeOf(text, '"public_metadata"') },
    { code: 'metadata-null', range: rangeOf(text, 'null') },
  ]);
  assert.equal(ds[1].severity, 'error');
  assert.match(
    ds[1].message,
    /^'public_metadata' cannot be null under API version 2026-05-12: it is sent with PUT \/v1\/users\/\{id\}\/metadata, which takes an object\./,
  );
  assert.equal(applyEdits(text, ds[1].fixes![0].edits), '{"public_metadata": {}}');
  assert.deepEqual(only(analyze(text, '2025-11-10'), 'metadata-null'), []);
  // Other wrong types are reported once, with the version's own types.
  const wrong = '{"private_metadata": "x", "unsafe_metadata": []}';
  const newest = analyze(wrong, '2026-05-12').diagnostics.filter((d) => d.code !== 'metadata-mode');
  assert.deepEqual(summary(newest), [
    { code: 'wrong-type', range: rangeOf(wrong, '"x"') },
    { code: 'wrong-type', range: rangeOf(wrong, '[]') },
  ]);
  assert.equal(newest[0].message, `'private_metadata' must be an object, not a string ("x").`);
  assert.equal(
    only(analyze(wrong, '2025-11-10'), 'wrong-type')[0].message,
    `'private_metadata' must be an object or null, not a string ("x").`,
  );
  // The last occurrence counts, as for every key.
  assert.deepEqual(
    only(analyze('{"public_metadata": null, "public_metadata": {}}', '2026-05-12'), 'metadata-null'),
    [],
  );
});

test('password_hasher must be a listed hasher; a close value gets a fix', () => {
  const text = '{"password_digest": "x", "password_hasher": "Argon2id"}';
  const [d] = analyze(text).diagnostics;
  assert.equal(d.code, DiagnosticCode.InvalidEnumValue);
  assert.deepEqual(d.range, rangeOf(text, '"Argon2id"'));
  assert.match(d.message, /Did you mean 'argon2id'\?/);
  assert.equal(
    applyEdits(text, d.fixes![0].edits),
    '{"password_digest": "x", "password_hasher": "argon2id"}',
  );
});

test('a wrong type and an enum on the same value give one diagnostic', () => {
  const text = '{"password_digest": "x", "password_hasher": 3}';
  assert.deepEqual(summary(analyze(text).diagnostics), [{ code: 'wrong-type', range: rangeOf(text, '3') }]);
});

test('$api_version not documented: error with a fix per version', () => {
  const text = '{"$api_version": "2025-01-01"}';
  const [d] = analyze(text).diagnostics;
  assert.equal(d.code, DiagnosticCode.UnknownApiVersion);
  assert.equal(d.severity, 'error');
  assert.deepEqual(d.range, rangeOf(text, '"2025-01-01"'));
  assert.equal(d.fixes?.length, 5);
  assert.equal(d.fixes?.find((f) => f.preferred)?.title, 'Use API version 2026-05-12');
});

test('skip_password_checks / sign_out_of_other_sessions without password', () => {
  const text = lines(
    '{',
    '  "skip_password_checks": true,',
    '  "sign_out_of_other_sessions": false,',
    '  "password": null',
    '}',
  );
  const ds = analyze(text).diagnostics;
  assert.deepEqual(summary(ds), [
    { code: 'password-required', range: rangeOf(text, '"skip_password_checks"') },
    { code: 'password-required', range: rangeOf(text, '"sign_out_of_other_sessions"') },
  ]);
  assert.equal(ds[0].severity, 'error');
  assert.deepEqual(analyze('{"password": "longenough", "skip_password_checks": true}').diagnostics, []);
  assert.deepEqual(analyze('{"skip_password_checks": null}').diagnostics, []);
});

test('password shorter than 8 characters (counted in code points)', () => {
  const text = '{"password": "1234567"}';
  const [d] = analyze(text).diagnostics;
  assert.equal(d.code, DiagnosticCode.PasswordTooShort);
  assert.deepEqual(d.range, rangeOf(text, '"1234567"'));
  assert.deepEqual(analyze('{"password": "12345678"}').diagnostics, []);
  assert.equal(analyze('{"password": "😀😀😀😀"}').diagnostics[0].code, DiagnosticCode.PasswordTooShort);
});

test('password_digest without password_hasher, and with password', () => {
  const text = '{"password_digest": "$2a$10$x", "password": "longenough"}';
  assert.deepEqual(summary(analyze(text).diagnostics), [
    { code: 'password-hasher-required', range: rangeOf(text, '"password_digest"') },
    { code: 'password-and-digest', range: rangeOf(text, '"password_digest"') },
  ]);
});

test('created_at / legal_accepted_at must be RFC 3339', () => {
  const text = '{"created_at": "2012-10-20 07:15", "legal_accepted_at": "2024-02-30T00:00:00Z"}';
  const ds = analyze(text).diagnostics;
  assert.deepEqual(summary(ds), [
    { code: 'invalid-timestamp', range: rangeOf(text, '"2012-10-20 07:15"') },
    { code: 'invalid-timestamp', range: rangeOf(text, '"2024-02-30T00:00:00Z"') },
  ]);
  assert.equal(ds[0].severity, 'error');
  assert.deepEqual(
    analyze('{"created_at": "2012-10-20T07:15:20.902Z", "legal_accepted_at": "2024-02-29T23:59:59-05:30"}')
      .diagnostics,
    [],
  );
});

test('locale not BCP-47 is a warning, with a fix for en_US', () => {
  const text = '{"locale": "en_US"}';
  const [d] = analyze(text).diagnostics;
  assert.equal(d.code, DiagnosticCode.InvalidLocale);
  assert.equal(d.severity, 'warning');
  assert.deepEqual(d.range, rangeOf(text, '"en_US"'));
  assert.equal(applyEdits(text, d.fixes![0].edits), '{"locale": "en-US"}');
  for (const ok of ['en', 'en-US', 'fr-FR', 'zh-Hant-TW', 'de-CH-1901', 'es-419', 'x-private']) {
    assert.deepEqual(analyze(JSON.stringify({ locale: ok })).diagnostics, [], ok);
  }
  assert.equal(analyze('{"locale": "english language"}').diagnostics[0].code, DiagnosticCode.InvalidLocale);
});

test('create_organizations_limit negative', () => {
  const text = '{"create_organizations_limit": -1}';
  const [d] = analyze(text).diagnostics;
  assert.equal(d.code, DiagnosticCode.NegativeLimit);
  assert.deepEqual(d.range, rangeOf(text, '-1'));
  assert.deepEqual(analyze('{"create_organizations_limit": 0}').diagnostics, []);
});

test('id prefixes: $user_id expects user_, primary_*_id expect idn_ (warnings)', () => {
  const text =
    '{"$user_id": "usr_1", "primary_email_address_id": "user_1", "primary_phone_number_id": "idn_1", "primary_web3_wallet_id": "w_1"}';
  const ds = analyze(text).diagnostics;
  assert.deepEqual(summary(ds), [
    { code: 'id-prefix-mismatch', range: rangeOf(text, '"usr_1"') },
    { code: 'id-prefix-mismatch', range: rangeOf(text, '"user_1"') },
    { code: 'id-prefix-mismatch', range: rangeOf(text, '"w_1"') },
  ]);
  assert.ok(ds.every((d) => d.severity === 'warning'));
});

test('username null or "" warns that it deletes the username for good', () => {
  for (const value of ['null', '""']) {
    const text = `{"username": ${value}}`;
    const [d] = analyze(text).diagnostics;
    assert.equal(d.code, DiagnosticCode.UsernameDeletion);
    assert.equal(d.severity, 'warning');
    assert.deepEqual(d.range, rangeOf(text, value));
    assert.match(d.message, /for good/);
  }
});

test('metadata larger than 8 KB (compact UTF-8 size)', () => {
  const okText = JSON.stringify({ public_metadata: { s: 'x'.repeat(8192 - 8) } }, null, 8);
  assert.deepEqual(only(analyze(okText), 'metadata-too-large'), []);
  const text = JSON.stringify({ private_metadata: { s: 'é'.repeat(4093) } });
  const [d] = only(analyze(text), 'metadata-too-large');
  assert.equal(d.code, DiagnosticCode.MetadataTooLarge);
  assert.deepEqual(d.range, rangeOf(text, '"private_metadata"'));
  assert.match(d.message, /8194 bytes/);
});

test('numbers that do not fit: 1e400 anywhere, fractions and overflow for integers', () => {
  const text = lines(
    '{',
    '  "create_organizations_limit": 2.5,',
    '  "public_metadata": {"deep": [1, -1e400]},',
    '  "unsafe_metadata": {"n": 1e-400}',
    '}',
  );
  const ds = analyze(text).diagnostics.filter((d) => d.code !== 'metadata-mode');
  assert.deepEqual(summary(ds), [
    { code: 'number-does-not-fit', range: rangeOf(text, '2.5') },
    { code: 'number-does-not-fit', range: rangeOf(text, '-1e400') },
  ]);
  assert.equal(ds[1].path, '/public_metadata/deep/1');
  assert.equal(ds[0].message, "'create_organizations_limit' must be a whole number, not 2.5.");
  const t2 = '{"create_organizations_limit": 1e400}';
  assert.deepEqual(summary(analyze(t2).diagnostics), [
    { code: 'number-does-not-fit', range: rangeOf(t2, '1e400') },
  ]);
  const t3 = '{"create_organizations_limit": 3.0}';
  const [d3] = analyze(t3).diagnostics;
  assert.equal(d3.code, 'number-does-not-fit');
  assert.equal(applyEdits(t3, d3.fixes![0].edits), '{"create_organizations_limit": 3}');
  const t4 = '{"create_organizations_limit": 99999999999999999999}';
  assert.deepEqual(summary(analyze(t4).diagnostics), [
    { code: 'number-does-not-fit', range: rangeOf(t4, '99999999999999999999') },
  ]);
});

test('each metadata key says whether it is merged or replaced, with a quick fix that switches', () => {
  const text = lines(
    '{',
    '  "$api_version": "2026-05-12",',
    '  "public_metadata": {},',
    '  "unsafe_metadata": {"a": 1}',
    '}',
  );
  const analysis = analyze(text, '2021-02-05');
  const ds = analysis.diagnostics;
  assert.equal(analysis.metadataMode, 'merge');
  assert.deepEqual(summary(ds), [
    { code: 'metadata-mode', range: rangeOf(text, '"public_metadata"') },
    { code: 'metadata-mode', range: rangeOf(text, '"unsafe_metadata"') },
  ]);
  assert.ok(ds.every((d) => d.severity === 'information' && d.owner === 'payload'));
  assert.equal(
    ds[0].message,
    "'public_metadata' is merged into the user's public_metadata (PATCH /v1/users/{id}/metadata); null deletes a key, keys not given are kept.",
  );
  assert.equal(analysis.hasErrors, false);
  // The quick fix adds "$metadata": "replace" before the key, indented as it is.
  const replaced = applyEdits(text, ds[0].fixes![0].edits);
  assert.equal(ds[0].fixes![0].title, 'Replace the whole metadata fields instead ("$metadata": "replace")');
  assert.equal(
    replaced,
    lines(
      '{',
      '  "$api_version": "2026-05-12",',
      '  "$metadata": "replace",',
      '  "public_metadata": {},',
      '  "unsafe_metadata": {"a": 1}',
      '}',
    ),
  );
  const back = analyze(replaced);
  assert.equal(back.metadataMode, 'replace');
  const [r] = only(back, 'metadata-mode');
  assert.equal(
    r.message,
    `'public_metadata' replaces the user's whole public_metadata (with PUT /v1/users/{id}/metadata, after the user update, "$metadata": "replace"); keys not given are removed.`,
  );
  assert.match(
    only(analyze(replaced.replace('2026-05-12', '2025-11-10')), 'metadata-mode')[0].message,
    /in the PATCH \/v1\/users\/\{id\} body/,
  );
  // Switching back rewrites the value.
  assert.equal(
    applyEdits(replaced, r.fixes![0].edits),
    replaced.replace('"$metadata": "replace"', '"$metadata": "merge"'),
  );
  // A value that is not a mode is an error (the schema's enum).
  assert.ok(analyze('{"$metadata": "patch"}').hasErrors);
});

test('each problem once: several errors in one file, sorted by offset', () => {
  const text = lines(
    '{',
    '  "firstName": 1,',
    '  "last_name": 42,',
    '  "password_hasher": 1,',
    '  "create_organizations_limit": -0.5',
    '}',
  );
  const ds = analyze(text).diagnostics;
  assert.deepEqual(summary(ds), [
    { code: 'unknown-property', range: rangeOf(text, '"firstName"') },
    { code: 'wrong-type', range: rangeOf(text, '42') },
    { code: 'wrong-type', range: rangeOf(text, '1', 2) },
    { code: 'number-does-not-fit', range: rangeOf(text, '-0.5') },
    { code: 'negative-limit', range: rangeOf(text, '-0.5') },
  ]);
  const keys = ds.map((d) => `${d.code}@${d.offset}`);
  assert.equal(new Set(keys).size, keys.length);
});

test('duplicate keys: the last occurrence is validated', () => {
  const text = '{"first_name": 1, "first_name": "Ada"}';
  const ds = analyze(text).diagnostics;
  assert.deepEqual(summary(ds), [{ code: 'duplicate-key', range: rangeOf(text, '"first_name"', 2) }]);
});

test('every diagnostic has consistent offset/length and range, path and owner', () => {
  const text = lines('{', '  "firstName": 1, // c', '  "username": "",', '  "locale": "??",', '}');
  for (const d of analyze(text).diagnostics) {
    assert.deepEqual(d.range, { start: posOf(text, d.offset), end: posOf(text, d.offset + d.length) });
    assert.equal(typeof d.path, 'string');
    assert.ok(d.owner === 'syntax' || d.owner === 'payload');
  }
});

function posOf(text: string, offset: number) {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

test('messages and quick-fix titles quote names with single quotes, never backticks (the editor shows them as plain text)', () => {
  const texts: Array<[string, ApiVersion]> = [
    [
      '{"firstName": 1, "frist_name": "A", "$userid": "u", "zzzzzz": true, "last_name": true, "backup_codes": [1]}',
      '2025-11-10',
    ],
    [
      '{"password_digest": "x", "password_hasher": "Argon2id", "skip_password_checks": true, "password": "short"}',
      '2025-11-10',
    ],
    [
      '{"$api_version": "2026-05-12", "public_metadata": null, "private_metadata": "x", "created_at": "now", "locale": "en_US"}',
      '2026-05-12',
    ],
    [
      '{"$user_id": "usr_1", "sign_out_of_other_sessions": true, "username": null, "create_organizations_limit": -2.5, "unsafe_metadata": {"n": 1e400}}',
      '2025-11-10',
    ],
  ];
  const ds = texts.flatMap(([text, version]) => analyze(text, version).diagnostics);
  assert.ok(ds.length >= 20, `${ds.length} diagnostics`);
  for (const d of ds) {
    assert.ok(!d.message.includes('`'), d.message);
    for (const f of d.fixes ?? []) assert.ok(!f.title.includes('`'), f.title);
  }
  const titles = ds.flatMap((d) => (d.fixes ?? []).map((f) => f.title));
  assert.ok(titles.includes("Rename to 'first_name'"), titles.join(' | '));
  assert.ok(titles.includes("Use 'argon2id'"), titles.join(' | '));
  assert.ok(titles.includes("Write {} (clears 'public_metadata')"), titles.join(' | '));
  const messages = ds.map((d) => d.message);
  assert.ok(
    messages.includes("'firstName' is not a field: Clerk's API spells it 'first_name' (snake_case)."),
    messages.join('\n'),
  );
  assert.ok(messages.includes("'last_name' must be a string or null, not 'true'."), messages.join('\n'));
  assert.ok(
    messages.includes(
      "'sign_out_of_other_sessions' can only be used together with 'password'; add a 'password' or remove 'sign_out_of_other_sessions'.",
    ),
    messages.join('\n'),
  );
  assert.ok(
    messages.includes("'password' must be at least 8 characters long; this one has 5."),
    messages.join('\n'),
  );
  assert.ok(
    messages.includes(
      "'unsafe_metadata.n' is 1e400, too large for a JSON number (it overflows a 64-bit float).",
    ),
    messages.join('\n'),
  );
});

test('a secret written without quotes is not echoed in a fix title; the fix still quotes it', () => {
  const text = '{"password": 12345678, "backup_codes": [123456, "ok"], "totp_secret": 1e400}';
  const ds = analyze(text).diagnostics;
  assert.deepEqual(summary(ds), [
    { code: 'wrong-type', range: rangeOf(text, '12345678') },
    { code: 'wrong-type', range: rangeWithin(text, '123456,', 0, 6) },
    { code: 'number-does-not-fit', range: rangeOf(text, '1e400') },
  ]);
  for (const d of ds) {
    for (const secret of ['12345678', '123456', '1e400']) assert.ok(!d.message.includes(secret), d.message);
    for (const f of d.fixes ?? []) assert.equal(f.title, 'Put the value in quotes');
  }
  assert.equal(ds[2].message, "'totp_secret' is too large for a JSON number (it overflows a 64-bit float).");
  assert.equal(applyEdits(text, ds[0].fixes![0].edits), text.replace('12345678', '"12345678"'));
  assert.equal(applyEdits(text, ds[1].fixes![0].edits), text.replace('[123456,', '["123456",'));
  // Not a secret: the value is shown.
  assert.equal(analyze('{"first_name": 42}').diagnostics[0].fixes?.[0].title, 'Put 42 in quotes');
});
