import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as jsonc from 'jsonc-parser';
import { planRequests, requestKinds } from '../../../src/core/payload/plan';
import { metadataModeOfRoot } from '../../../src/core/metadata/mode';
import { redactBody } from '../../../src/core/redact';
import type { ApiVersion } from '../../../src/core/versions';

function plan(text: string, version: ApiVersion = '2026-05-12', userId = 'user_1') {
  const root = jsonc.parseTree(text);
  assert.ok(root);
  return planRequests(text, root, userId, version);
}

const FIXTURES = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'sending');

describe('planRequests', () => {
  it('removes $ keys wherever they are and keeps everything else byte for byte', () => {
    const text =
      '{\n  "$schema": "./x.json",\n  "first_name": "Ada",\n  "$user_id": "user_1",\n  "create_organizations_limit": 1.0e1,\n  "locale": "en\\u002DGB"\n  ,"$api_version": "2025-11-10"\n}\n';
    const [patch, ...rest] = plan(text, '2025-11-10');
    assert.equal(rest.length, 0);
    assert.equal(patch.method, 'PATCH');
    assert.equal(patch.path, '/v1/users/user_1');
    assert.equal(
      patch.body,
      '{\n  "first_name": "Ada",\n  "create_organizations_limit": 1.0e1,\n  "locale": "en\\u002DGB"\n}\n',
    );
    assert.deepEqual(patch.fields, ['first_name', 'create_organizations_limit', 'locale']);
  });

  it('keeps a compact file compact', () => {
    const [patch] = plan('{"$user_id":"user_1","last_name":null,"username":""}');
    assert.equal(patch.body, '{"last_name":null,"username":""}');
  });

  it('with "$metadata": "replace", keeps metadata in the PATCH before 2026-05-12, number spellings and key order included', () => {
    const text =
      '{\n  "$user_id": "user_1",\n  "$metadata": "replace",\n  "public_metadata": {"z": 1, "a": 12345678901234567890, "f": 1.50},\n  "first_name": "Ada"\n}';
    const requests = plan(text, '2025-11-10');
    assert.equal(requests.length, 1);
    assert.equal(
      requests[0].body,
      '{\n  "public_metadata": {"z": 1, "a": 12345678901234567890, "f": 1.50},\n  "first_name": "Ada"\n}',
    );
  });

  it('with "$metadata": "replace", moves metadata to PUT /metadata under 2026-05-12, after the PATCH', () => {
    const text =
      '{\n  "$user_id": "user_1",\n  "$metadata": "replace",\n  "public_metadata": {"role": "admin"},\n  "first_name": "Ada",\n  "private_metadata": {}\n}\n';
    const requests = plan(text);
    assert.deepEqual(
      requests.map((r) => [r.method, r.path, r.body, r.fields]),
      [
        ['PATCH', '/v1/users/user_1', '{\n  "first_name": "Ada"\n}\n', ['first_name']],
        [
          'PUT',
          '/v1/users/user_1/metadata',
          '{\n  "public_metadata": {"role": "admin"},\n  "private_metadata": {}\n}\n',
          ['public_metadata', 'private_metadata'],
        ],
      ],
    );
  });

  it('merges metadata by default under every version: PATCH /metadata with exactly the given objects, after the user PATCH', () => {
    const text =
      '{\n  "$user_id": "user_1",\n  "public_metadata": {"role": "admin", "n": 1.50},\n  "first_name": "Ada"\n}\n';
    for (const version of ['2021-02-05', '2025-11-10', '2026-05-12'] as const) {
      assert.deepEqual(
        plan(text, version).map((r) => [r.method, r.path, r.body, r.metadata]),
        [
          ['PATCH', '/v1/users/user_1', '{\n  "first_name": "Ada"\n}\n', undefined],
          [
            'PATCH',
            '/v1/users/user_1/metadata',
            '{\n  "public_metadata": {"role": "admin", "n": 1.50}\n}\n',
            'merge',
          ],
        ],
        version,
      );
    }
    // A metadata-only file: only the merge, never an empty PATCH of the user.
    assert.deepEqual(
      plan('{"$user_id": "user_1", "unsafe_metadata": {"theme": null}}', '2024-10-01').map((r) => [
        r.method,
        r.path,
        r.body,
      ]),
      [['PATCH', '/v1/users/user_1/metadata', '{"unsafe_metadata": {"theme": null}}']],
    );
    // The last $metadata wins.
    assert.equal(
      plan('{"$metadata": "replace", "$metadata": "merge", "public_metadata": {}}')[0].method,
      'PATCH',
    );
    assert.equal(
      plan('{"$metadata": "merge", "$metadata": "replace", "public_metadata": {}}')[0].method,
      'PUT',
    );
  });

  it('sends only the PUT for a file with only metadata, never an empty PATCH', () => {
    const requests = plan(
      '{"$user_id": "user_1", "$metadata": "replace", "unsafe_metadata": {"theme": "dark"}}',
    );
    assert.deepEqual(
      requests.map((r) => [r.method, r.body]),
      [['PUT', '{"unsafe_metadata": {"theme": "dark"}}']],
    );
  });

  it('plans nothing for a file with nothing to send', () => {
    assert.deepEqual(plan('{"$user_id": "user_1", "$api_version": "2026-05-12"}'), []);
    assert.deepEqual(plan('{}'), []);
    assert.deepEqual(plan('[1]'), []);
  });

  it('percent-encodes the user id in the path', () => {
    assert.equal(plan('{"first_name":"A"}', '2026-05-12', 'user_a/b?c')[0].path, '/v1/users/user_a%2Fb%3Fc');
  });

  it('drops a leading BOM from the body', () => {
    assert.equal(plan('\ufeff{"$user_id":"u","first_name":"A"}')[0].body, '{"first_name":"A"}');
  });

  it('matches the fixtures byte for byte, and JSON.parse of the bodies equals the file without $ keys', () => {
    for (const [file, version] of [
      ['rename.userupdate.json', '2026-05-12'],
      ['metadata-2025.userupdate.json', '2025-11-10'],
      ['metadata-2026.userupdate.json', '2026-05-12'],
    ] as const) {
      const text = readFileSync(join(FIXTURES, file), 'utf8');
      const requests = plan(text, version);
      const expected = JSON.parse(
        readFileSync(join(FIXTURES, file.replace('.userupdate.json', '.expected.json')), 'utf8'),
      ) as Array<{ method: string; body: string }>;
      assert.deepEqual(
        requests.map((r) => ({ method: r.method, body: r.body })),
        expected,
        file,
      );
      const merged = Object.assign({}, ...requests.map((r) => JSON.parse(r.body) as object)) as Record<
        string,
        unknown
      >;
      const original = JSON.parse(text) as Record<string, unknown>;
      for (const key of Object.keys(original)) if (key.startsWith('$')) delete original[key];
      assert.deepEqual(merged, original, file);
    }
  });
});

describe('requestKinds', () => {
  it('names the requests planRequests makes, in order, for every mode and version', () => {
    const documents = [
      '{"$user_id":"user_1","first_name":"Ada"}',
      '{"$user_id":"user_1","public_metadata":{"a":1}}',
      '{"$user_id":"user_1","$metadata":"replace","public_metadata":{"a":1}}',
      '{"$user_id":"user_1","$metadata":"replace","first_name":"Ada","private_metadata":{}}',
      '{"$user_id":"user_1","first_name":"Ada","unsafe_metadata":null}',
      '{"$user_id":"user_1","$api_version":"2025-11-10"}',
      '{}',
    ];
    for (const text of documents)
      for (const version of ['2025-11-10', '2026-05-12'] as const) {
        const root = jsonc.parseTree(text);
        assert.ok(root);
        const keys = Object.keys(JSON.parse(text) as object).filter((k) => !k.startsWith('$'));
        const planned = planRequests(text, root, 'user_1', version).map((r) => ({
          method: r.method,
          metadata: r.path.endsWith('/metadata'),
        }));
        assert.deepEqual(
          requestKinds(keys, metadataModeOfRoot(root), version),
          planned,
          `${text} ${version}`,
        );
      }
  });
});

describe('redactBody', () => {
  it('redacts secret values in text, keeping the rest', () => {
    const text =
      '{\n  "password": "hunter2hunter2",\n  "first_name": "Ada",\n  "backup_codes": ["a1", "b2"],\n  "totp_secret": null,\n  "password_digest": "$2a$10$x"\n}';
    assert.equal(
      redactBody(text),
      '{\n  "password": "[redacted]",\n  "first_name": "Ada",\n  "backup_codes": "[redacted]",\n  "totp_secret": "[redacted]",\n  "password_digest": "[redacted]"\n}',
    );
  });

  it('redacts text that is not valid JSON by pattern', () => {
    const out = redactBody('{"password": "hunter2hunter2", "first_name": "Ada",');
    assert.ok(!out.includes('hunter2'));
    assert.ok(out.includes('"first_name": "Ada"'));
  });

  it('redacts objects deeply without changing the argument', () => {
    const body = { password: 'hunter2hunter2', nested: { totp_secret: 'JBSW' }, first_name: 'Ada' };
    assert.deepEqual(redactBody(body), {
      password: '[redacted]',
      nested: { totp_secret: '[redacted]' },
      first_name: 'Ada',
    });
    assert.equal(body.password, 'hunter2hunter2');
  });
});
