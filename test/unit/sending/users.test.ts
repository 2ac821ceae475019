import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClerkUser } from '../../../src/core/clerk/types';
import { editableFields, renderUpdateFile, updateFileName } from '../../../src/core/users/editable';
import { formatChanges, previewUpdate } from '../../../src/core/users/preview';
import { buildUndo, checkUndo } from '../../../src/core/users/undo';
import { DEMO_USER_IDS, demoUsers, makeUser } from '../../../src/fake/seed';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
function user(id: string): ClerkUser {
  const seed = demoUsers(NOW).find((s) => s.id === id);
  assert.ok(seed);
  return makeUser(seed, NOW).user;
}

describe('editable fields and pulled files', () => {
  it('lists the editable non-secret fields, timestamps and secrets left out', () => {
    const ada = user(DEMO_USER_IDS.ada);
    const fields = editableFields(ada);
    assert.equal(fields.first_name, 'Ada');
    assert.equal(fields.primary_web3_wallet_id, null);
    assert.deepEqual(fields.private_metadata, { crm: { tier: 'gold', since: 2019 } });
    for (const absent of ['created_at', 'legal_accepted_at', 'password', 'updated_at', 'id'])
      assert.ok(!(absent in fields), absent);
  });

  it('renders a file without null fields, $ keys first', () => {
    const text = renderUpdateFile(user(DEMO_USER_IDS.linus), '2026-05-12');
    assert.deepEqual(Object.keys(JSON.parse(text) as object), [
      '$user_id',
      '$api_version',
      '$metadata',
      'username',
      'primary_email_address_id',
      'delete_self_enabled',
      'create_organization_enabled',
      'bypass_client_trust',
      'public_metadata',
      'private_metadata',
      'unsafe_metadata',
    ]);
    assert.ok(text.endsWith('}\n'));
    assert.equal(updateFileName({ id: 'user_1', username: 'linus' }), 'linus.userupdate.json');
    assert.equal(updateFileName({ id: 'user_1', username: null }), 'user_1.userupdate.json');
  });
});

describe('previewUpdate', () => {
  it('absent = unchanged, null = cleared, "" username = removed, values set', () => {
    const ada = user(DEMO_USER_IDS.ada);
    const p = previewUpdate(ada, { first_name: 'Augusta', last_name: null, username: '', locale: 'en-GB' });
    assert.deepEqual(
      p.changes.map((c) => [c.field, c.change, c.before, c.after]),
      [
        ['first_name', 'set', 'Ada', 'Augusta'],
        ['last_name', 'cleared', 'Lovelace', null],
        ['username', 'cleared', 'ada', null],
        ['locale', 'unchanged', 'en-GB', 'en-GB'],
      ],
    );
    assert.equal(p.after.external_id, 'crm-1815', 'absent fields keep their value');
    assert.equal(p.before.first_name, 'Ada');
    assert.deepEqual(JSON.parse(p.afterText), p.after);
    assert.deepEqual(JSON.parse(p.beforeText), p.before);
    assert.equal(p.beforeText, `${JSON.stringify(p.before, null, 2)}\n`, 'two-space JSON and a newline');
  });

  it('merges metadata by default: one change per key path, null deletes a key, equal values unchanged', () => {
    const ada = user(DEMO_USER_IDS.ada);
    // Ada: public {role: admin, plan: pro}, private {crm: {tier: gold, since: 2019}}.
    const p = previewUpdate(
      ada,
      {
        public_metadata: { plan: 'team', role: null, seats: [1, 2] },
        private_metadata: { crm: { since: 2019, tier: 'gold' } },
      },
      '2026-05-12',
    );
    assert.deepEqual(p.after.public_metadata, { plan: 'team', seats: [1, 2] });
    assert.deepEqual(p.after.private_metadata, { crm: { tier: 'gold', since: 2019 } });
    assert.deepEqual(
      p.changes.map((c) => [c.field, c.change, c.before, c.after]),
      [
        ['public_metadata.plan', 'set', 'pro', 'team'],
        ['public_metadata.role', 'cleared', 'admin', undefined],
        ['public_metadata.seats', 'set', undefined, [1, 2]],
        ['private_metadata.crm.since', 'unchanged', 2019, 2019],
        ['private_metadata.crm.tier', 'unchanged', 'gold', 'gold'],
      ],
    );
    assert.equal(formatChanges(p.changes).split('\n')[0], '  public_metadata.plan: "pro" → "team"');
    assert.equal(formatChanges(p.changes).split('\n')[2], '  public_metadata.seats: (absent) → [1,2]');
    // An object where the user has a value that is not one replaces that value: one change, at that key.
    const q = previewUpdate(
      { ...ada, public_metadata: { plan: 'pro' } },
      { public_metadata: { plan: { tier: 2 } } },
    );
    assert.deepEqual(
      q.changes.map((c) => [c.field, c.before, c.after]),
      [['public_metadata.plan', 'pro', { tier: 2 }]],
    );
    // Key order does not matter.
    const r = previewUpdate(ada, { private_metadata: { crm: { since: 2019, tier: 'gold' } } });
    assert.ok(r.changes.every((c) => c.change === 'unchanged'));
  });

  it('replaces metadata whole with "$metadata": "replace" (null clears it)', () => {
    const ada = user(DEMO_USER_IDS.ada);
    const p = previewUpdate(
      ada,
      { public_metadata: { plan: 'team' }, private_metadata: null },
      '2026-05-12',
      'replace',
    );
    assert.deepEqual(p.after.public_metadata, { plan: 'team' });
    assert.deepEqual(p.after.private_metadata, {});
    assert.deepEqual(p.after.unsafe_metadata, { theme: 'dark' });
    assert.deepEqual(
      p.changes.map((c) => c.change),
      ['set', 'cleared'],
    );
  });

  it('never shows secret values', () => {
    const ada = user(DEMO_USER_IDS.ada);
    const secret = 'Sup3r-Secret-Password!';
    const p = previewUpdate(ada, {
      password: secret,
      totp_secret: null,
      backup_codes: ['abcdef12'],
      skip_password_checks: true,
      created_at: '2020-01-01T00:00:00Z',
    });
    const all = JSON.stringify(p) + formatChanges(p.changes);
    assert.ok(!all.includes(secret) && !all.includes('abcdef12'));
    assert.equal(p.after.password, '(will be set)');
    assert.equal(p.before.password, '(set)');
    assert.equal(p.after.totp_secret, '(will be cleared)');
    assert.equal(p.after.created_at, '2020-01-01T00:00:00.000Z');
    assert.equal(p.before.created_at, new Date(ada.created_at).toISOString());
    assert.ok(!('skip_password_checks' in p.after));
    assert.match(formatChanges(p.changes), /skip_password_checks: true \(option for this request\)/);
  });
});

describe('undo', () => {
  it('restores previous values of changed non-secret fields and names what it cannot restore', () => {
    const before = user(DEMO_USER_IDS.ada);
    const after: ClerkUser = {
      ...before,
      first_name: 'Augusta',
      username: null,
      public_metadata: { plan: 'team' },
      updated_at: before.updated_at + 5,
    };
    const plan = buildUndo(
      before,
      after,
      ['first_name', 'username', 'locale', 'password', 'sign_out_of_other_sessions', 'public_metadata'],
      '2026-05-12',
    );
    assert.deepEqual(
      plan.requests.map((r) => [r.method, r.path, JSON.parse(r.body)]),
      [
        ['PATCH', `/v1/users/${before.id}`, { first_name: 'Ada', username: 'ada' }],
        ['PUT', `/v1/users/${before.id}/metadata`, { public_metadata: { role: 'admin', plan: 'pro' } }],
      ],
    );
    assert.deepEqual(plan.notRestorable, ['password']);
    assert.match(plan.summary, /cannot restore password/);
    assert.deepEqual(checkUndo(after, plan), { ok: true });
    const moved = checkUndo({ ...after, updated_at: after.updated_at + 1000 }, plan);
    assert.equal(moved.ok, false);
    assert.match(!moved.ok ? moved.message : '', /changed after the update \(updated_at moved/);
  });

  it('puts metadata in the PATCH before 2026-05-12, and restores timestamps as RFC 3339', () => {
    const before = user(DEMO_USER_IDS.katherine);
    const after: ClerkUser = {
      ...before,
      public_metadata: {},
      legal_accepted_at: null,
      updated_at: before.updated_at + 1,
    };
    const plan = buildUndo(before, after, ['public_metadata', 'legal_accepted_at'], '2025-11-10');
    assert.equal(plan.requests.length, 1);
    assert.deepEqual(JSON.parse(plan.requests[0].body), {
      public_metadata: { role: 'member', team: 'trajectories' },
      legal_accepted_at: new Date(before.legal_accepted_at ?? 0).toISOString(),
    });
  });

  it('has nothing to undo when only secrets were sent', () => {
    const before = user(DEMO_USER_IDS.ada);
    const plan = buildUndo(
      before,
      { ...before, updated_at: before.updated_at + 1 },
      ['password'],
      '2026-05-12',
    );
    assert.deepEqual(plan.requests, []);
    assert.equal(checkUndo(before, plan).ok, false);
  });
});
