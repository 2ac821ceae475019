import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClerkUser } from '../../../src/core/clerk/types';
import { droppedKeys, mergeKeyChanges, mergeMetadata, patchOf } from '../../../src/core/metadata/merge';
import { fieldOfPath, isKeyPath, joinPath, splitPath } from '../../../src/core/metadata/paths';
import { sentKeysOf } from '../../../src/core/metadata/sent';
import { planRequests } from '../../../src/core/payload/plan';
import { deepEqual } from '../../../src/core/payload/equal';
import { buildUndo, checkUndo } from '../../../src/core/users/undo';
import * as jsonc from 'jsonc-parser';

const USER = {
  id: 'user_1',
  updated_at: 100,
  public_metadata: { role: 'member', plan: 'pro', team: { name: 'A', size: 3 } },
  private_metadata: {},
  unsafe_metadata: {},
} as unknown as ClerkUser;

describe('metadata merge rules', () => {
  it('deep merges as Clerk documents: nested objects merge, null deletes at any level, arrays are replaced', () => {
    const current = { a: 1, nested: { x: 1, y: { z: 2, keep: true } }, list: [1, 2, 3] };
    const out = mergeMetadata(current, {
      a: null,
      nested: { y: { z: null, w: 'new' } },
      list: [9],
      fresh: { deep: null, k: 1 },
    });
    assert.deepEqual(out, { nested: { x: 1, y: { keep: true, w: 'new' } }, list: [9], fresh: { k: 1 } });
    assert.deepEqual(
      current,
      { a: 1, nested: { x: 1, y: { z: 2, keep: true } }, list: [1, 2, 3] },
      'the argument is not changed',
    );
  });

  it('lists the key paths a merge touches, with before and after; absent is undefined', () => {
    const changes = mergeKeyChanges('public_metadata', USER.public_metadata, {
      role: 'admin',
      team: { size: 4, region: 'eu' },
      gone: null,
      plan: 'pro',
    });
    assert.deepEqual(
      changes.map((c) => [c.path, c.before, c.after]),
      [
        ['public_metadata.role', 'member', 'admin'],
        ['public_metadata.team.size', 3, 4],
        ['public_metadata.team.region', undefined, 'eu'],
        ['public_metadata.gone', undefined, undefined],
        ['public_metadata.plan', 'pro', 'pro'],
      ],
    );
  });

  it('compares structurally: key order does not matter, arrays by position', () => {
    assert.ok(deepEqual({ a: 1, b: { c: [1, { d: 2, e: 3 }] } }, { b: { c: [1, { e: 3, d: 2 }] }, a: 1 }));
    assert.ok(!deepEqual({ a: [1, 2] }, { a: [2, 1] }));
    assert.ok(!deepEqual({ a: 1 }, { a: 1, b: undefined }));
  });

  it('key paths escape dots and backslashes in keys, and split back', () => {
    const keys = ['public_metadata', 'a.b', 'c\\d', 'e'];
    assert.equal(joinPath(keys), 'public_metadata.a\\.b.c\\\\d.e');
    assert.deepEqual(splitPath(joinPath(keys)), keys);
  });

  it('splits plain paths and fields the same way, and tells key paths from fields', () => {
    assert.deepEqual(splitPath('first_name'), ['first_name']);
    assert.deepEqual(splitPath('public_metadata.team.name'), ['public_metadata', 'team', 'name']);
    assert.deepEqual(splitPath('public_metadata..x'), ['public_metadata', '', 'x']);
    assert.deepEqual(splitPath('public_metadata.a\\.b'), ['public_metadata', 'a.b']);
    assert.equal(isKeyPath('first_name'), false);
    assert.equal(isKeyPath('public_metadata.role'), true);
    assert.equal(isKeyPath('public_metadata\\.role'), false);
    assert.equal(fieldOfPath('first_name'), 'first_name');
    assert.equal(fieldOfPath('private_metadata.billing.plan'), 'private_metadata');
    assert.equal(fieldOfPath('a\\.b.c'), 'a.b');
  });

  it('names the keys a replace drops (leaves, nested paths)', () => {
    assert.deepEqual(
      droppedKeys('public_metadata', USER.public_metadata, { role: 'admin', team: { name: 'B' } }),
      ['public_metadata.plan', 'public_metadata.team.size'],
    );
    assert.deepEqual(droppedKeys('public_metadata', {}, { role: 'admin' }), []);
  });

  it('builds merge bodies from key paths: null (or undefined) deletes', () => {
    assert.deepEqual(
      patchOf([
        { keys: ['public_metadata', 'role'], value: 'member' },
        { keys: ['public_metadata', 'team', 'size'], value: undefined },
        { keys: ['private_metadata', 'x'], value: { y: 1 } },
      ]),
      { public_metadata: { role: 'member', team: { size: null } }, private_metadata: { x: { y: 1 } } },
    );
  });
});

describe('undo of a merge', () => {
  const text =
    '{"$user_id": "user_1", "public_metadata": {"role": "admin", "team": {"size": 4}, "flag": null}}';
  const plan = planRequests(text, jsonc.parseTree(text)!, 'user_1', '2026-05-12');
  const after = {
    ...USER,
    updated_at: 200,
    public_metadata: { role: 'admin', plan: 'pro', team: { name: 'A', size: 4 } },
  } as unknown as ClerkUser;
  const before = {
    ...USER,
    public_metadata: { ...USER.public_metadata, flag: true },
  } as unknown as ClerkUser;
  const undo = buildUndo(before, after, sentKeysOf(plan, before), '2026-05-12');

  it('restores exactly the keys the change touched: their old value, or null where the key was absent', () => {
    assert.deepEqual(sentKeysOf(plan, before), [
      'public_metadata.role',
      'public_metadata.team.size',
      'public_metadata.flag',
    ]);
    assert.deepEqual(
      undo.requests.map((r) => [r.method, r.path, JSON.parse(r.body)]),
      [
        [
          'PATCH',
          '/v1/users/user_1/metadata',
          { public_metadata: { role: 'member', team: { size: 3 }, flag: true } },
        ],
      ],
    );
    assert.equal(
      undo.summary,
      'Undo restores public_metadata.role, public_metadata.team.size, public_metadata.flag.',
    );
  });

  it('is not refused when another key changed since (updated_at moved): the merge does not touch it', () => {
    const now = {
      ...after,
      updated_at: 300,
      public_metadata: { ...after.public_metadata, plan: 'enterprise' },
    } as unknown as ClerkUser;
    assert.deepEqual(checkUndo(now, undo), { ok: true });
  });

  it('leaves alone a key that no longer holds the value the change wrote, and says so', () => {
    const now = {
      ...after,
      updated_at: 300,
      public_metadata: { ...after.public_metadata, role: 'owner' },
    } as unknown as ClerkUser;
    const check = checkUndo(now, undo);
    assert.ok(check.ok && check.plan);
    assert.deepEqual(JSON.parse(check.plan[0].body), { public_metadata: { team: { size: 3 }, flag: true } });
    assert.equal(check.note, 'Left alone, changed since: public_metadata.role (now "owner").');
    // Every key changed since: nothing to send.
    const all = {
      ...now,
      public_metadata: { role: 'owner', team: { size: 9 }, flag: 1 },
    } as unknown as ClerkUser;
    const refused = checkUndo(all, undo);
    assert.ok(!refused.ok);
    assert.match(
      refused.message,
      /^Undo was not sent: every key it would restore was changed since\. Left alone, changed since: public_metadata\.role \(now "owner"\), /,
    );
  });

  it('keeps the updated_at check for fields outside metadata', () => {
    const mixed = buildUndo(
      USER,
      { ...after, first_name: 'X' } as ClerkUser,
      ['first_name', 'public_metadata.role'],
      '2026-05-12',
    );
    const moved = checkUndo({ ...after, updated_at: 999 } as ClerkUser, mixed);
    assert.ok(!moved.ok);
    assert.match(moved.message, /changed after the update \(updated_at moved/);
  });
});
