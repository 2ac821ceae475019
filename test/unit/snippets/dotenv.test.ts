import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readClerkDotenv } from '../../../src/core/env/dotenv';

describe('reading a dotenv file for Clerk', () => {
  it('takes CLERK_SECRET_KEY and CLERK_API_URL as dotenv parses them (quotes, export-less comments)', () => {
    const found = readClerkDotenv(
      '# Clerk\nNEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=pk_test_abc\nCLERK_SECRET_KEY="sk_test_123" # dev\nCLERK_API_URL=\'http://127.0.0.1:4000\'\n',
    );
    assert.deepEqual(found, { key: 'sk_test_123', apiUrl: 'http://127.0.0.1:4000', hint: undefined });
  });

  it('ignores NEXT_PUBLIC_ and publishable keys, with a hint when they are all there is', () => {
    const found = readClerkDotenv(
      'NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=pk_test_abc\nNEXT_PUBLIC_CLERK_SECRET_KEY=sk_test_leaked\n',
    );
    assert.equal(found.key, undefined);
    assert.match(found.hint ?? '', /^It has only publishable \(NEXT_PUBLIC_ or pk_…\) variables/);
    assert.deepEqual(readClerkDotenv('DATABASE_URL=postgres://x\n'), {
      key: undefined,
      apiUrl: undefined,
      hint: undefined,
    });
  });

  it('a publishable key in CLERK_SECRET_KEY is not used, and the hint never holds the value', () => {
    const found = readClerkDotenv('CLERK_SECRET_KEY=pk_live_secretish\n');
    assert.equal(found.key, undefined);
    assert.match(found.hint ?? '', /^CLERK_SECRET_KEY: This is a publishable key/);
    assert.ok(!found.hint?.includes('pk_live_secretish'));
  });
});
