import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClerkUser } from '../../../src/core/clerk/types';
import { sendEntry, runEntry, type EntryContext } from '../../../src/core/history/build';
import { describeEntry, diffSides, fieldDiffs, matchesFilter } from '../../../src/core/history/diff';
import { SET, toHistoryJson } from '../../../src/core/history/entry';
import { undoOfEntry } from '../../../src/core/history/undo';
import type { SendReport } from '../../../src/core/send/result';
import { entry } from './helpers';

const KEY = 'sk_test_HistoryUnitKeyDistinct0123456789';
const PASSWORD = 'Penguin-Distinct-Pa55-6612';

function user(extra: Partial<ClerkUser>): ClerkUser {
  return {
    id: 'user_1',
    object: 'user',
    external_id: null,
    primary_email_address_id: 'idn_1',
    primary_phone_number_id: null,
    primary_web3_wallet_id: null,
    username: null,
    first_name: 'Ada',
    last_name: 'Lovelace',
    has_image: false,
    public_metadata: {},
    private_metadata: {},
    unsafe_metadata: {},
    email_addresses: [{ id: 'idn_1', email_address: 'ada@example.com' }],
    phone_numbers: [],
    web3_wallets: [],
    password_enabled: false,
    two_factor_enabled: false,
    totp_enabled: false,
    backup_code_enabled: false,
    delete_self_enabled: true,
    create_organization_enabled: true,
    created_at: 1000,
    updated_at: 1000,
    legal_accepted_at: null,
    last_sign_in_at: null,
    ...extra,
  } as ClerkUser;
}

const ctx: EntryContext = {
  id: 'h_1',
  time: Date.UTC(2026, 11, 2, 9, 30),
  instance: { name: 'Fake', apiUrl: 'http://127.0.0.1:9', production: false },
  apiVersion: '2025-11-10',
  source: '/w/ada.userupdate.json',
  secrets: [KEY, PASSWORD],
};

function sentReport(): SendReport {
  const before = user({});
  const after = user({ first_name: 'Augusta', password_enabled: true, updated_at: 2000 });
  const body = JSON.stringify({ first_name: 'Augusta', password: PASSWORD, skip_password_checks: true });
  return {
    status: 'sent',
    message: 'Updated Augusta Lovelace (user_1).',
    userId: 'user_1',
    plan: [
      {
        method: 'PATCH',
        path: '/v1/users/user_1',
        body,
        fields: ['$user_id', 'first_name', 'password', 'skip_password_checks'],
      },
    ],
    before,
    user: after,
    outcome: {
      ok: true,
      steps: [
        {
          request: { method: 'PATCH', path: '/v1/users/user_1', body, fields: [] },
          result: { ok: true, status: 200, data: after, traceId: 'trace-abc' } as never,
          tries: 1,
        },
      ],
      skipped: [],
      user: after,
      durationMs: 5,
    },
  };
}

describe('history entries', () => {
  it('a send becomes an entry: environment without the key, user, fields before and after, steps with trace id, source', () => {
    const e = sendEntry(sentReport(), ctx)!;
    assert.deepEqual(toHistoryJson(e), {
      id: 'h_1',
      time: '2026-12-02T09:30:00.000Z',
      environment: { name: 'Fake', api_url: 'http://127.0.0.1:9' },
      user_id: 'user_1',
      kind: 'send',
      fields: { first_name: { before: 'Ada', after: 'Augusta' }, password: { before: null, after: SET } },
      steps: [{ method: 'PATCH', path: '/v1/users/user_1', status: 200, trace_id: 'trace-abc' }],
      source: '/w/ada.userupdate.json',
      status: 'sent',
    });
    assert.equal(e.user_name, 'Augusta Lovelace');
    assert.equal(e.email, 'ada@example.com');
    assert.equal(e.updated_at, 2000);
    assert.equal(e.ok, true);
  });

  it('never keeps the key or a secret value, even where a message or a failed send carries them', () => {
    const report: SendReport = {
      ...sentReport(),
      status: 'failed',
      user: undefined,
      message: `Clerk said ${PASSWORD} is weak (key ${KEY})`,
    };
    const e = sendEntry(report, ctx)!;
    const text = JSON.stringify(e);
    assert.ok(!text.includes(PASSWORD), 'no password');
    assert.ok(!text.includes(KEY.slice(8)), 'no key');
    assert.deepEqual(e.fields.password, { before: null, after: SET });
    assert.deepEqual(
      e.fields.first_name,
      { before: 'Ada', after: 'Augusta' },
      'a failed send keeps what it tried',
    );
    assert.equal(e.ok, false);
  });

  it('nothing sent, no entry', () => {
    assert.equal(sendEntry({ status: 'declined', message: 'no', userId: 'user_1' }, ctx), undefined);
    assert.equal(
      sendEntry({ status: 'refused', message: 'no', userId: 'user_1', before: user({}) }, ctx),
      undefined,
    );
  });

  it('a bulk run is one entry whose rows link to its journal', () => {
    const e = runEntry(
      {
        status: 'finished',
        message: 'Finished.',
        summary: {
          total: 2,
          updated: 1,
          unchanged: 0,
          failed: 1,
          skipped: 0,
          failuresByCode: [],
          requests: 4,
          rateLimited: 0,
          durationMs: 10,
          cancelled: false,
        },
        journal: '/w/a.userupdates.jsonl.journal.jsonl',
        fields: ['first_name'],
        rows: [
          {
            row: 1,
            target: '$user_id:user_1',
            user_id: 'user_1',
            status: 'updated',
            http_status: 200,
            code: null,
            message: null,
            trace_id: 't',
          },
          {
            row: 2,
            target: '$email:x@example.com',
            user_id: null,
            status: 'failed',
            http_status: null,
            code: 'target_not_found',
            message: 'm',
            trace_id: null,
          },
        ],
      },
      { ...ctx, source: '/w/a.userupdates.jsonl' },
    );
    assert.equal(e.kind, 'run');
    assert.equal(e.ok, false);
    assert.equal(e.run?.journal, '/w/a.userupdates.jsonl.journal.jsonl');
    assert.deepEqual(
      e.run?.rows.map((r) => [r.row, r.user_id, r.status]),
      [
        [1, 'user_1', 'updated'],
        [2, null, 'failed'],
      ],
    );
    assert.ok(matchesFilter(e, 'user_1'), "found by a row's user");
    assert.match(
      describeEntry(e),
      /Run a\.userupdates\.jsonl: 1 updated, 1 failed, 0 unchanged \(first_name\)$/,
    );
  });
});

describe('history diff model', () => {
  it('lines up before and after field by field, secrets as (set)', () => {
    const e = sendEntry(sentReport(), ctx)!;
    assert.deepEqual(diffSides(e), {
      before: '{\n  "first_name": "Ada",\n  "password": null\n}\n',
      after: '{\n  "first_name": "Augusta",\n  "password": "(set)"\n}\n',
    });
    assert.deepEqual(
      fieldDiffs(
        entry({ fields: { a: { before: 1, after: 1 }, b: { before: { x: 1 }, after: { x: 2 } } } }),
      ).map((d) => [d.field, d.changed]),
      [
        ['a', false],
        ['b', true],
      ],
    );
  });

  it('filters by user id, email or field, case-insensitively', () => {
    const e = entry();
    for (const f of ['USER_1', 'ada@EXAMPLE', 'first_name', '']) assert.ok(matchesFilter(e, f), f);
    assert.ok(!matchesFilter(e, 'last_name'));
  });

  it("an entry's undo restores the changed fields and names the secret ones it cannot", () => {
    const undo = undoOfEntry(sendEntry(sentReport(), ctx)!);
    assert.ok(undo.ok);
    const { plan } = undo;
    assert.deepEqual(plan.restores, [{ field: 'first_name', value: 'Ada' }]);
    assert.deepEqual(plan.notRestorable, ['password']);
    assert.equal(plan.expectedUpdatedAt, 2000);
    assert.equal(
      plan.summary,
      'Undo restores first_name. It cannot restore password (write-only); those stay as sent.',
    );
    assert.deepEqual(undoOfEntry(entry({ ok: false })), {
      ok: false,
      message: 'This change was not applied, so there is nothing to undo.',
    });
  });
});
