// The sample workspace's bulk files (samples/workspace, explained in its README) against the fake the
// demo runs (DEMO_FAKE_OPTIONS): every row finds its user, and the one row meant to fail fails.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEMO_FAKE_OPTIONS } from '../../../src/fake/demo';
import { fileInput } from '../../../src/node/bulkInput';
import { type FakeClerk, startFake } from '../../support/fake-clerk';
import { run, summaryOf } from './runHelpers';

const SAMPLES = join(__dirname, '..', '..', '..', '..', 'samples', 'workspace');
const OPTIONS = { defaultApiVersion: '2026-05-12' } as const;

describe('the sample bulk files', () => {
  let fake: FakeClerk;
  before(async () => {
    fake = await startFake({ ...DEMO_FAKE_OPTIONS, instanceLimit: false });
  });
  after(() => fake.stop());

  it("paris-office.userupdates.csv: 300 of the demo's generated users, found by email; some already have the locale", async () => {
    const ran = await run(fake, [], {
      input: fileInput(join(SAMPLES, 'paris-office.userupdates.csv'), 'csv', OPTIONS),
      dryRun: true,
    });
    assert.equal(ran.result.status, 'planned', ran.result.message);
    const plan = ran.planned[0];
    assert.deepEqual([plan.total, plan.toChange, plan.unchanged, plan.failing], [300, 261, 39, 0]);
  });

  it('team-changes.userupdates.jsonl: the demo users; the row that takes a username already taken fails, on that field', async () => {
    const ran = await run(fake, [], {
      input: fileInput(join(SAMPLES, 'team-changes.userupdates.jsonl'), 'jsonl', OPTIONS),
    });
    const s = summaryOf(ran);
    assert.deepEqual([s.updated, s.failed], [3, 1]);
    assert.deepEqual(
      ran.reports.filter((l) => l.status === 'failed').map((l) => [l.row, l.code, l.param]),
      [[4, 'form_identifier_exists', 'username']],
    );
  });
});
