// Export users to a bulk file: paged with starting_after and
// limit=500, and what it writes is a valid bulk file whose rows, sent back unchanged, are skipped.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { exportUsers } from '../../../src/core/bulk/export/export';
import { checkBulkText } from '../../../src/core/bulk/format/checkFile';
import type { BulkFormat } from '../../../src/core/bulk/format/types';
import { ClerkClient } from '../../../src/core/clerk/client';
import { DEMO_ORGANIZATION_IDS } from '../../../src/fake/seed';
import { input } from '../../support/bulk';
import { FAKE_TEST_KEY, type FakeClerk, startFake } from '../../support/fake-clerk';
import { run, summaryOf } from './runHelpers';

const USERS = 1_234;

describe('exporting users to a bulk file', () => {
  let fake: FakeClerk;
  let client: ClerkClient;
  before(async () => {
    fake = await startFake({ users: { generate: USERS, seed: 7, base: 'demo' } });
    client = new ClerkClient({
      apiUrl: fake.url,
      secretKey: FAKE_TEST_KEY,
      apiVersion: '2026-05-12',
      userAgent: 'test',
    });
  });
  after(() => fake.stop());

  async function exported(
    format: BulkFormat,
    selection: Parameters<typeof exportUsers>[1] = { kind: 'all' },
  ): Promise<{ text: string; users: number; progress: Array<[number, number | undefined]> }> {
    let text = '';
    const progress: Array<[number, number | undefined]> = [];
    const result = await exportUsers(client, selection, format, {
      write: (t) => void (text += t),
      progress: (n, total) => progress.push([n, total]),
    });
    assert.ok(result.ok, JSON.stringify(result));
    return { text, users: result.users, progress };
  }

  for (const format of ['jsonl', 'csv'] as const) {
    it(`writes every user once as a valid ${format} bulk file, page by page`, async () => {
      const total = fake.users.size;
      fake.requests.length = 0;
      const { text, users, progress } = await exported(format);
      assert.equal(users, total);
      const pages = fake.requests.filter((r) => r.path === '/v1/users');
      assert.equal(pages.length, Math.ceil(total / 500) + (total % 500 === 0 ? 1 : 0));
      assert.ok(
        pages.every((r) => new URLSearchParams(r.query).get('limit') === '500'),
        'limit=500 on every page',
      );
      assert.deepEqual(
        pages.slice(1).map((r) => new URLSearchParams(r.query).has('starting_after')),
        pages.slice(1).map(() => true),
        'pages after the first use starting_after',
      );
      assert.deepEqual(progress.at(-1), [total, total]);
      const checked = checkBulkText(text, format, { defaultApiVersion: '2026-05-12' });
      assert.deepEqual(
        checked.diagnostics.filter((d) => d.severity === 'error'),
        [],
      );
      assert.equal(checked.rows.length, total);
      assert.equal(new Set(checked.rows.map((r) => r.target.value)).size, total, 'each user once');
    });
  }

  it('exports, then a run of the unchanged file sends nothing', async () => {
    const { text } = await exported('csv');
    const rows = checkBulkText(text, 'csv', { defaultApiVersion: '2026-05-12' }).rows;
    fake.requests.length = 0;
    const ran = await run(fake, rows, { input: input(rows, 200) });
    const summary = summaryOf(ran);
    assert.equal(summary.unchanged, rows.length);
    assert.equal(summary.updated, 0);
    assert.deepEqual(
      fake.requests.filter((r) => r.method !== 'GET'),
      [],
      'no write',
    );
  });

  it('exports the members of an organization, and a search', async () => {
    const org = DEMO_ORGANIZATION_IDS.analytical;
    const count = await client.countUsers({ organizationId: [org] });
    const members = count.ok ? count.data.total_count : -1;
    assert.ok(members > 0);
    assert.equal((await exported('jsonl', { kind: 'organization', organizationId: org })).users, members);
    const found = await exported('jsonl', { kind: 'query', query: 'ada' });
    assert.ok(found.users >= 1 && found.users < fake.users.size);
    assert.match(found.text, /"\$user_id":"user_/);
  });
});
