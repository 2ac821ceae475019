import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { snippet } from './helpers';

// first_name null (clear it), last_name absent (leave it), username set.
const TEXT = '{\n  "$user_id": "user_1",\n  "first_name": null,\n  "username": "ada"\n}\n';

describe('null and absent in every language', () => {
  it('curl: null is sent as null, an absent field is not in the body', () => {
    const out = snippet('curl', TEXT);
    assert.ok(out.includes(`--data-raw '{\n  "first_name": null,\n  "username": "ada"\n}\n'`));
    assert.ok(!out.includes('last_name'));
  });

  it('TypeScript: null is written as null (the SDK sends it), an absent field is left out', () => {
    const out = snippet('ts', TEXT);
    assert.ok(
      out.includes(
        "  firstName: null as never, // null clears 'first_name' (the SDK's type has no null; it sends null)\n  username: 'ada',\n",
      ),
    );
    assert.ok(!out.includes('lastName'));
  });

  it('Rust: null is Some(None), a value Some(Some(…)), an absent field None (from ..UpdateUserRequest::new())', () => {
    const out = snippet('rust', TEXT);
    assert.ok(
      out.includes(
        'let request = UpdateUserRequest {\n    first_name: Some(None),\n    username: Some(Some("ada".into())),\n    ..UpdateUserRequest::new()\n};\n',
      ),
    );
    assert.ok(!out.includes('last_name'));
  });

  it('Rust: a field clerk-rs types as Option<T> cannot be null there, and says so instead of sending a value', () => {
    const out = snippet(
      'rust',
      '{"$user_id": "user_1", "primary_email_address_id": null, "locale": "en-GB"}',
    );
    assert.ok(
      out.includes(
        "    // null cannot be written as clerk-rs's Option<String>: 'primary_email_address_id' is not sent.\n",
      ),
    );
    assert.ok(out.includes("    // 'locale' is not a field of clerk-rs's UpdateUserRequest: not sent.\n"));
    assert.ok(!out.includes('primary_email_address_id: '));
  });

  it('metadata null before 2026-05-12: null in curl and Rust (serde_json::Value::Null)', () => {
    const text =
      '{"$user_id": "user_1", "$api_version": "2025-11-10", "$metadata": "replace", "unsafe_metadata": null}';
    assert.ok(snippet('curl', text).includes(`--data-raw '{"unsafe_metadata": null}'`));
    assert.ok(snippet('rust', text).includes('    unsafe_metadata: Some(serde_json::Value::Null),\n'));
    assert.ok(
      snippet('ts', text).includes("replaceUserMetadata('user_1', {\n  unsafeMetadata: null as never,"),
    );
  });

  it('strings are escaped for each language', () => {
    const text = '{"$user_id": "user_1", "first_name": "O\'Neil \\"Q\\"\\n\\u0001"}';
    assert.ok(snippet('ts', text).includes("  firstName: 'O\\'Neil \"Q\"\\n\\u0001',\n"));
    assert.ok(
      snippet('rust', text).includes('    first_name: Some(Some("O\'Neil \\"Q\\"\\n\\u{1}".into())),\n'),
    );
    assert.ok(
      snippet('curl', text).includes(
        `--data-raw '{"$user_id": "user_1", "first_name": "O'\\''Neil \\"Q\\"\\n\\u0001"}'`.replace(
          '"$user_id": "user_1", ',
          '',
        ),
      ),
    );
  });
});
