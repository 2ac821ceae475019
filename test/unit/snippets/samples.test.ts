import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { renderSnippet, SNIPPET_LANGUAGES } from '../../../src/core/snippets';
import { FIXTURES, sampleText, sendableSamples, snippet } from './helpers';

const EXTENSION = { curl: 'sh', ts: 'ts.txt', rust: 'rs.txt' } as const;

describe('Copy as… for the samples in samples/workspace', () => {
  for (const name of sendableSamples()) {
    for (const language of SNIPPET_LANGUAGES) {
      it(`${name} as ${language}`, () => {
        const expected = readFileSync(
          join(FIXTURES, 'samples', `${name.replace(/\.userupdate\.json$/, '')}.${EXTENSION[language]}`),
          'utf8',
        );
        assert.equal(snippet(language, sampleText(name)), expected);
      });
    }
  }

  it('gives no snippet for a file a send would refuse, and says why as a send does', () => {
    for (const language of SNIPPET_LANGUAGES) {
      const result = renderSnippet(language, sampleText('mistakes.userupdate.json'), {
        apiUrl: 'https://api.clerk.com',
        defaultApiVersion: '2026-05-12',
      });
      assert.ok(!result.ok);
      assert.match(result.message, /^No snippet: fix line \d+: .* \(and \d+ more\) first\.$/);
    }
  });

  it('needs a $user_id and something to send', () => {
    const options = { apiUrl: 'https://api.clerk.com', defaultApiVersion: '2026-05-12' } as const;
    assert.deepEqual(renderSnippet('curl', '{"first_name": "Ada"}', options), {
      ok: false,
      message: 'No snippet: the file has no "$user_id".',
    });
    assert.deepEqual(renderSnippet('ts', '{"$user_id": "user_1"}', options), {
      ok: false,
      message: 'No snippet: the file has no fields besides its $ keys.',
    });
  });

  it('never holds a secret value, in any language', () => {
    const texts = [
      '{"$user_id": "user_1", "password": "Orbit-Trajectory-1962!", "totp_secret": "JBSWY3DPEHPK3PXP", "backup_codes": ["alpha-1", "beta-2"]}',
      '{"$user_id": "user_1", "password_digest": "$2a$10$abcdefghijklmnopqrstuv", "password_hasher": "bcrypt"}',
    ];
    for (const language of SNIPPET_LANGUAGES) {
      const out = texts.map((text) => snippet(language, text)).join('\n');
      for (const secret of [
        'Orbit-Trajectory-1962!',
        'JBSWY3DPEHPK3PXP',
        'alpha-1',
        'beta-2',
        '$2a$10$abcdefghijklmnopqrstuv',
      ])
        assert.ok(!out.includes(secret), `${language} holds ${secret}`);
      assert.match(out, /'password' is not copied: set USER_PASSWORD to its value/);
      assert.match(out, /'backup_codes' is not copied: set USER_BACKUP_CODES to its value as a JSON array/);
    }
  });
});
