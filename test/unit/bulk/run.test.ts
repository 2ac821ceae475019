import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { ProductionConfirmation } from '../../../src/core/send/production';
import { appliedWrites, input, row } from '../../support/bulk';
import { type FakeClerk, startFake } from '../../support/fake-clerk';
import { SECRET_FIELD_VALUES, secretsIn } from '../../support/secrets';
import { run, seedUsers, summaryOf } from './runHelpers';

const PASSWORD = SECRET_FIELD_VALUES.password;

const writes = (fake: FakeClerk) => fake.requests.filter((r) => r.method !== 'GET');

describe('bulk run (fake Clerk)', () => {
  let fake: FakeClerk;
  before(async () => {
    fake = await startFake({ users: 'none' });
  });
  after(() => fake.stop());
  beforeEach(() => {
    fake.users.clear();
    fake.requests.length = 0;
    fake.clearFaults();
    fake.resetRateLimits();
    seedUsers(fake, 40);
    fake.addUser({ id: 'user_twin1', emails: ['twin@example.com'] });
    fake.addUser({ id: 'user_twin2', emails: ['twin@example.com'] });
  });

  const mixed = () => [
    row(1, { kind: 'user_id', value: 'user_b0' }, { first_name: 'Ada' }),
    row(2, { kind: 'email', value: 'b1@example.com' }, { public_metadata: { plan: 'pro' } }),
    row(4, { kind: 'external_id', value: 'ext-2' }, { first_name: 'Cy', private_metadata: { tier: 1 } }),
    row(5, { kind: 'user_id', value: 'user_b3' }, { first_name: 'B3', last_name: 'Before' }),
    row(6, { kind: 'email', value: 'nobody@example.com' }, { first_name: 'X' }),
    row(7, { kind: 'email', value: 'twin@example.com' }, { first_name: 'X' }),
    row(8, { kind: 'user_id', value: 'user_b4' }, { last_name: null }),
    row(9, { kind: 'user_id', value: 'user_b5' }, { password: PASSWORD, skip_password_checks: true }),
  ];

  it('sends each row like a single file, skips unchanged rows, fails unknown and ambiguous targets before sending', async () => {
    let writesWhenPlanned = -1;
    const plans: number[][] = [];
    const ran = await run(
      fake,
      mixed(),
      {},
      {
        planned: (p) => {
          writesWhenPlanned = writes(fake).length;
          plans.push([p.total, p.toChange, p.unchanged, p.failing]);
        },
      },
    );
    assert.equal(ran.result.status, 'finished', ran.result.message);
    assert.equal(writesWhenPlanned, 0, 'the plan (with its failing rows) comes before any write');
    assert.deepEqual(plans, [[8, 5, 1, 2]]);
    const s = summaryOf(ran);
    assert.deepEqual(
      [s.total, s.updated, s.unchanged, s.failed, s.skipped, s.cancelled],
      [8, 5, 1, 2, 0, false],
    );
    assert.deepEqual(s.failuresByCode.map((f) => [f.code, f.count]).sort(), [
      ['target_ambiguous', 1],
      ['target_not_found', 1],
    ]);
    assert.match(
      ran.result.message,
      /^Updated 5, unchanged 1, failed 2 of 8 rows \(1 target_(not_found|ambiguous), 1 target_(not_found|ambiguous)\); \d+ requests, 0 rate-limited, in [\d.]+ s\.$/,
    );

    assert.deepEqual(
      writes(fake)
        .map((r) => `${r.method} ${r.path} ${r.body}`)
        .sort(),
      [
        'PATCH /v1/users/user_b0 {"first_name":"Ada"}',
        'PATCH /v1/users/user_b1/metadata {"public_metadata":{"plan":"pro"}}',
        'PATCH /v1/users/user_b2 {"first_name":"Cy"}',
        'PATCH /v1/users/user_b2/metadata {"private_metadata":{"tier":1}}',
        'PATCH /v1/users/user_b4 {"last_name":null}',
        `PATCH /v1/users/user_b5 {"password":"${PASSWORD}","skip_password_checks":true}`,
      ],
    );
    const [patch, put] = fake.requests.filter((r) => r.path.startsWith('/v1/users/user_b2'));
    assert.ok(
      patch.method === 'PATCH' &&
        put.path.endsWith('/metadata') &&
        patch.seqWhenFinished !== undefined &&
        put.seq > patch.seqWhenFinished,
      'PATCH, then PUT …/metadata',
    );
    assert.equal(fake.users.get('user_b0')?.first_name, 'Ada');
    assert.equal(fake.users.get('user_b4')?.last_name, null);

    const byRow = new Map(ran.reports.map((l) => [l.row, l]));
    assert.deepEqual(
      [...byRow.keys()].sort((a, b) => a - b),
      [1, 2, 4, 5, 6, 7, 8, 9],
    );
    assert.deepEqual(
      [...byRow.values()].map((l) => [l.row, l.status, l.code]).sort((a, b) => Number(a[0]) - Number(b[0])),
      [
        [1, 'updated', null],
        [2, 'updated', null],
        [4, 'updated', null],
        [5, 'unchanged', null],
        [6, 'failed', 'target_not_found'],
        [7, 'failed', 'target_ambiguous'],
        [8, 'updated', null],
        [9, 'updated', null],
      ],
    );
    const updated = byRow.get(4);
    assert.ok(
      updated &&
        updated.http_status === 200 &&
        updated.trace_id &&
        updated.user_id === 'user_b2' &&
        updated.target === '$external_id:ext-2',
    );
    assert.equal(byRow.get(6)?.message, "No user has the email address 'nobody@example.com'.");

    const lines = ran.journal.lines().map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines[0].journal, 'clerk-user-update/journal');
    assert.equal(lines[0].input_sha256, 'hash-1');
    const sent = lines.find((l) => l.state === 'sent' && l.row === 4);
    // The journal keeps the before-values per field and per key path of a merge, and what the row writes
    // there.
    assert.deepEqual(sent?.before, { first_name: 'B2', 'private_metadata.tier': null });
    assert.deepEqual(sent?.after, { first_name: 'Cy', 'private_metadata.tier': 1 });
    const secret = lines.find((l) => l.state === 'sent' && l.row === 9);
    assert.deepEqual([secret?.before, secret?.secret_fields], [{}, ['password']]);
    const phases = ran.progress.map((p) => p.phase).filter((p, i, all) => p !== all[i - 1]);
    assert.deepEqual(phases, ['planning', 'sending', 'reporting']);
    const last = ran.progress.filter((p) => p.phase === 'sending').at(-1);
    assert.deepEqual(
      [last?.done, last?.total, last?.failed],
      [8, 8, 2],
      'the last progress of the sending phase is exact',
    );
    const everything = [
      ran.journal.text,
      JSON.stringify(ran.reports),
      JSON.stringify(ran.progress),
      JSON.stringify(ran.planned),
      ran.logs.join('\n'),
    ].join('\n');
    assert.deepEqual(
      secretsIn(everything),
      [],
      'no key or secret value in the journal, report, progress or logs',
    );
  });

  it('a re-run after success sends nothing: the journal has every row; a fresh journal finds them unchanged', async () => {
    const first = await run(fake, mixed());
    assert.equal(first.result.status, 'finished');
    fake.requests.length = 0;
    const again = await run(fake, mixed(), { journal: first.journal });
    assert.equal(again.result.status, 'finished');
    assert.deepEqual(fake.requests, [], 'not even a lookup');
    assert.deepEqual(summaryOf(again).updated, 5);
    assert.equal(again.reports.length, 8, 'the report still covers every row');

    const fresh = await run(
      fake,
      mixed().filter((r) => r.row !== 9),
    );
    assert.equal(fresh.result.status, 'finished');
    assert.deepEqual(writes(fake), [], 'every row is unchanged now');
    assert.deepEqual(fresh.planned[0].toChange, 0);
    assert.deepEqual([summaryOf(fresh).unchanged, summaryOf(fresh).failed], [5, 2]);
  });

  it('a dry run plans and sends nothing: counts, per field, the first 20 diffs and a line per row', async () => {
    const rows = Array.from({ length: 30 }, (_, i) =>
      row(
        i + 1,
        { kind: 'user_id', value: `user_b${i}` },
        i < 25 ? { first_name: `New${i}`, password: PASSWORD } : { first_name: `B${i}` },
      ),
    );
    const ran = await run(fake, rows, { dryRun: true });
    assert.equal(ran.result.status, 'planned');
    assert.equal(
      ran.result.message,
      'Dry run, nothing sent: 25 to change, 5 unchanged, 0 that cannot be sent.',
    );
    assert.deepEqual(writes(fake), []);
    assert.equal(ran.journal.text, '', 'no journal');
    assert.ok('plan' in ran.result);
    const plan = ran.result.plan;
    assert.deepEqual(plan.fields, [
      { field: 'first_name', rows: 25 },
      { field: 'password', rows: 25 },
    ]);
    assert.deepEqual(plan.requests, [{ request: 'PATCH /v1/users/{user_id}', count: 25 }]);
    assert.equal(plan.diffs.length, 20);
    assert.deepEqual(plan.diffs[0].changes, [
      { field: 'first_name', before: 'B0', after: 'New0' },
      { field: 'password', before: '(not set)', after: '(will be set)' },
    ]);
    assert.deepEqual(plan.samples, ['B0 Before (user_b0)', 'B1 Before (user_b1)', 'B2 Before (user_b2)']);
    assert.equal(ran.plans.length, 30);
    assert.deepEqual(
      ran.plans.map((l) => l.action),
      [...Array(25).fill('change'), ...Array(5).fill('unchanged')],
    );
    assert.deepEqual(secretsIn(JSON.stringify(ran.plans) + JSON.stringify(plan)), []);
  });

  it('production: asks once with the count, the fields and three users; declined sends nothing; confirmed beforehand asks nothing', async () => {
    const rows = Array.from({ length: 5 }, (_, i) =>
      row(i + 1, { kind: 'user_id', value: `user_b${i}` }, { first_name: `P${i}` }),
    );
    const declined = await run(fake, rows, { live: true, answer: () => false });
    assert.equal(declined.result.status, 'declined');
    assert.equal(declined.result.message, 'Not sent: the production run was not confirmed.');
    assert.deepEqual(writes(fake), []);
    assert.equal(declined.journal.text, '', 'no journal for a run that never began');
    assert.equal(declined.questions.length, 1);
    const q = declined.questions[0];
    assert.equal(q.kind, 'production');
    const c = (q as { confirmation: ProductionConfirmation }).confirmation;
    assert.deepEqual(
      [c.action, c.count, c.fields, c.samples],
      ['send', 5, ['first_name'], ['B0 Before (user_b0)', 'B1 Before (user_b1)', 'B2 Before (user_b2)']],
    );
    assert.equal(c.who, '5 users: B0 Before (user_b0), B1 Before (user_b1), B2 Before (user_b2), and 2 more');
    assert.deepEqual(c.requests, ['PATCH /v1/users/{user_id} × 5']);
    assert.equal(c.instance.production, true);

    const confirmed = await run(fake, rows, { live: true });
    assert.equal(confirmed.result.status, 'finished');
    assert.equal(confirmed.questions.length, 1, 'one question for the whole run');
    assert.equal(writes(fake).length, 5);

    const yes = await run(
      fake,
      rows.map((r) => ({ ...r, text: r.text.replace('"P', '"Q') })),
      { live: true, productionConfirmed: true, inputHash: 'hash-2' },
    );
    assert.equal(yes.result.status, 'finished');
    assert.deepEqual(yes.questions, []);
  });

  it('errors in the file block the run; warnings are listed and asked about once', async () => {
    const rows = [
      row(1, { kind: 'user_id', value: 'user_b0' }, { first_name: 'E' }),
      row(
        2,
        { kind: 'user_id', value: 'user_b1' },
        { first_name: 'E' },
        { errors: ["line 2: 'first_nam' is not a field."] },
      ),
    ];
    const blocked = await run(fake, rows);
    assert.equal(blocked.result.status, 'blocked');
    assert.equal(blocked.result.message, "Not sent: fix line 2: 'first_nam' is not a field. first.");
    assert.deepEqual(writes(fake), []);
    const fileLevel = await run(fake, rows.slice(0, 1), {
      input: input(rows.slice(0, 1), 7, {
        errors: ['line 1: the header names no target column.'],
        warnings: [],
      }),
    });
    assert.equal(fileLevel.result.status, 'blocked');
    assert.equal(fileLevel.result.message, 'Not sent: fix line 1: the header names no target column. first.');
    assert.deepEqual(writes(fake), []);

    const warned = [
      row(1, { kind: 'user_id', value: 'user_b0' }, { first_name: 'W' }, { warnings: ['line 1: a warning'] }),
      row(2, { kind: 'user_id', value: 'user_b1' }, { first_name: 'W' }, { warnings: ['line 2: another'] }),
    ];
    const no = await run(fake, warned, { answer: (q) => q.kind !== 'warnings', inputHash: 'hash-w' });
    assert.equal(no.result.status, 'declined');
    assert.deepEqual(no.questions, [
      { kind: 'warnings', warnings: ['line 1: a warning', 'line 2: another'] },
    ]);
    assert.equal(fake.users.get('user_b1')?.first_name, 'B1');
    const yes = await run(fake, warned, { inputHash: 'hash-w' });
    assert.equal(yes.result.status, 'finished');
    assert.equal(yes.questions.length, 1);
    assert.equal(fake.users.get('user_b1')?.first_name, 'W');
  });

  it('a 429 is waited for and the row sent again, not failed; a PATCH that went through is not sent twice', async () => {
    fake.setFault({ kind: 'rate-limit', method: 'PATCH', path: '/v1/users/user_b0', retryAfterSeconds: 0 });
    fake.setFault({
      kind: 'rate-limit',
      method: 'PATCH',
      path: '/v1/users/user_b1/metadata',
      retryAfterSeconds: 0,
    });
    const rows = [
      row(1, { kind: 'user_id', value: 'user_b0' }, { first_name: 'R' }),
      row(2, { kind: 'user_id', value: 'user_b1' }, { first_name: 'S', public_metadata: { n: 1 } }),
    ];
    const ran = await run(fake, rows);
    const s = summaryOf(ran);
    assert.deepEqual([s.updated, s.failed, s.rateLimited], [2, 0, 2]);
    assert.deepEqual(Object.fromEntries(appliedWrites(fake)), {
      user_b0: ['PATCH user'],
      user_b1: ['PATCH user', 'PATCH metadata'],
    });
    assert.equal(fake.requestsTo('PATCH', '/v1/users/user_b1').length, 1);
    assert.equal(fake.requestsTo('PATCH', '/v1/users/user_b1/metadata').length, 2);
  });

  it('failed rows keep their row number; retrying the failed rows checks the maybe-applied ones at Clerk first', async () => {
    fake.setFault({ kind: 'status500', method: 'PATCH', path: '/v1/users/user_b1' });
    fake.setFault({ kind: 'status500', method: 'PATCH', path: '/v1/users/user_b2', apply: true });
    const rows = [0, 1, 2, 3].map((i) =>
      row(
        (i + 1) * 10,
        { kind: 'user_id', value: `user_b${i}` },
        i === 3 ? { username: 'no spaces allowed' } : { first_name: 'T' },
      ),
    );
    const first = await run(fake, rows);
    const failed = first.reports
      .filter((l) => l.status === 'failed')
      .map((l) => [l.row, l.code, l.http_status]);
    assert.deepEqual(
      failed.sort((a, b) => Number(a[0]) - Number(b[0])),
      [
        [20, 'internal_clerk_error', 500],
        [30, 'internal_clerk_error', 500],
        [40, 'form_username_invalid_character', 422],
      ],
    );
    fake.requests.length = 0;
    const retry = await run(fake, rows, { journal: first.journal, retryFailed: true });
    const s = summaryOf(retry);
    assert.deepEqual([s.updated, s.failed], [3, 1]);
    assert.equal(fake.requestsTo('PATCH', '/v1/users/user_b0').length, 0, 'done rows are not sent again');
    assert.equal(fake.requestsTo('PATCH', '/v1/users/user_b1').length, 1, 'not applied: sent again');
    assert.equal(
      fake.requestsTo('PATCH', '/v1/users/user_b2').length,
      0,
      'applied behind the 500: found at Clerk, not sent again',
    );
    assert.equal(
      fake.requestsTo('PATCH', '/v1/users/user_b3').length,
      1,
      'refused (422): sent again, refused again',
    );
    const reconciled = retry.reports.find((l) => l.row === 30);
    assert.deepEqual(
      [reconciled?.status, reconciled?.message],
      ['updated', 'Found applied at Clerk after an unanswered send; not sent again.'],
    );
  });

  it("a failure that names a field carries it (Clerk's meta.param_name) to the report, for the editor's diagnostic", async () => {
    fake.addUser({ id: 'user_owner', username: 'taken_name' });
    const ran = await run(fake, [
      row(3, { kind: 'user_id', value: 'user_b0' }, { username: 'taken_name' }),
      row(5, { kind: 'email', value: 'nobody@example.com' }, { first_name: 'X' }),
    ]);
    const failed = ran.reports
      .filter((l) => l.status === 'failed')
      .map((l) => ({ row: l.row, code: l.code, param: l.param }));
    assert.deepEqual(
      failed.sort((a, b) => a.row - b.row),
      [
        { row: 3, code: 'form_identifier_exists', param: 'username' },
        { row: 5, code: 'target_not_found', param: undefined },
      ],
    );
    assert.equal(
      ran.journal.lines().filter((l) => l.includes('"param":"username"')).length,
      1,
      'the failed mark keeps it',
    );
  });
});
