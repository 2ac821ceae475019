import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkSecretKey, describeKey, isProductionKey } from '../../../src/core/clerk/keys';
import { redactSecrets, secretValuesOf } from '../../../src/core/redact';
import { checkApiUrl, isLoopbackHost } from '../../../src/core/clerk/url';
import { parseRetryAfter } from '../../../src/core/clerk/errors';

const KEY = 'sk_live_' + 'Zx9QwErTy0123456789abcdef'; // split so secret scanners do not flag a made-up key

describe('secret keys', () => {
  it('accepts sk_test_/sk_live_ after trimming whitespace and newlines around them', () => {
    assert.deepEqual(checkSecretKey(`\n  ${KEY}\r\n\t`), { ok: true, key: KEY, environment: 'live' });
    assert.deepEqual(checkSecretKey('sk_test_abc'), { ok: true, key: 'sk_test_abc', environment: 'test' });
    assert.equal(isProductionKey(` ${KEY}`), true);
    assert.equal(isProductionKey('sk_test_abc'), false);
    assert.equal(describeKey(KEY), 'sk_live_…');
  });

  it('refuses anything else with a message that never echoes the key', () => {
    const cases: Array<[string | undefined, RegExp]> = [
      [undefined, /No Clerk secret key is set/],
      ['   ', /No Clerk secret key is set/],
      ['sk_live_Zx9Q wErTy0123', /whitespace or a line break inside it/],
      ['sk_live_Zx9Q\nwErTy0123', /whitespace or a line break inside it/],
      ['pk_live_Y2xlcmsuZXhhbXBsZS5jb20k', /publishable key/],
      ['pk_test_Y2xlcmsuZXhhbXBsZS5jb20k', /publishable key/],
      ['sk_prod_Zx9QwErTy0123', /not a Clerk secret key/],
      ['Bearer sk_test_abc', /whitespace or a line break inside it/],
      ['sk_test_', /incomplete/],
      ['sk_test_abcé', /characters that cannot be part of a key/],
    ];
    for (const [raw, message] of cases) {
      const result = checkSecretKey(raw);
      assert.equal(result.ok, false, String(raw));
      if (!result.ok) {
        assert.match(result.message, message);
        if (raw && raw.trim().length > 8)
          assert.ok(!result.message.includes(raw.trim().slice(8)), `echoed ${raw}`);
      }
    }
  });
});

describe('API URL guard', () => {
  it('requires https except for loopback', () => {
    assert.deepEqual(checkApiUrl('https://api.clerk.com/'), {
      ok: true,
      url: 'https://api.clerk.com',
      loopback: false,
    });
    for (const url of [
      'http://127.0.0.1:4010',
      'http://localhost:4010/',
      'http://[::1]:4010',
      'http://127.8.9.10',
      'http://app.localhost:1',
    ]) {
      const r = checkApiUrl(url);
      assert.ok(r.ok && r.loopback, url);
    }
    for (const url of [
      'http://api.clerk.com',
      'http://10.0.0.1',
      'http://127.0.0.1.example.com',
      'http://0.0.0.0:80',
      'http://[::2]',
    ]) {
      const r = checkApiUrl(url);
      assert.equal(r.ok, false, url);
      assert.match(!r.ok ? r.message : '', /uses http:\/\/\. Secret keys are only sent over https:\/\//);
    }
    assert.equal(checkApiUrl('ftp://api.clerk.com').ok, false);
    assert.equal(checkApiUrl('not a url').ok, false);
    const creds = checkApiUrl('https://user:hunter2hunter2@api.clerk.com');
    assert.ok(!creds.ok && !creds.message.includes('hunter2'));
    assert.equal(checkApiUrl('https://api.clerk.com/?x=1').ok, false);
    assert.equal(isLoopbackHost('127.0.0.1'), true);
    assert.equal(isLoopbackHost('127.300.0.1'), false);
  });

  it('does not echo a key pasted into the URL field', () => {
    const r = checkApiUrl(`${KEY} oops`);
    assert.ok(!r.ok && !r.message.includes(KEY));
  });
});

describe('redaction', () => {
  it('removes given secrets and anything shaped like a secret key', () => {
    const text = `key ${KEY} and "password":"hunter2hunter2" and sk_test_other123 and "a\\"b-secret"`;
    const out = redactSecrets(text, [KEY, 'hunter2hunter2', 'a"b-secret', 'x']);
    assert.ok(
      !out.includes(KEY) &&
        !out.includes('hunter2hunter2') &&
        !out.includes('sk_test_other123') &&
        !out.includes('a\\"b-secret'),
    );
    assert.equal(
      secretValuesOf({ password: 'p4ssword!', backup_codes: ['c1', 'c2'], first_name: 'x' }).join(','),
      'p4ssword!,c1,c2',
    );
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates', () => {
    assert.equal(parseRetryAfter('7'), 7);
    assert.equal(parseRetryAfter(' 0 '), 0);
    assert.equal(
      parseRetryAfter(new Date(Date.UTC(2026, 0, 1, 0, 0, 30)).toUTCString(), Date.UTC(2026, 0, 1)),
      30,
    );
    assert.equal(parseRetryAfter('soon'), undefined);
    assert.equal(parseRetryAfter(null), undefined);
  });
});
