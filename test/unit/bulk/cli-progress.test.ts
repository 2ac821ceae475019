// The bulk CLI's progress: one line redrawn in place on a terminal (a few times a second), plain lines
// otherwise.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { duration, ProgressLine, progressText } from '../../../src/cli/bulk/progress';
import type { RunProgress } from '../../../src/core/bulk/run/types';
import { formatCount } from '../../../src/core/text/format';
import { captureIO } from '../../support/cli';

const sending = (done: number, extra: Partial<RunProgress> = {}): RunProgress => ({
  phase: 'sending',
  done,
  total: 1000,
  failed: 2,
  rowsPerSecond: 95.25,
  etaSeconds: 12,
  rateLimited: 0,
  ...extra,
});

describe('progress of a bulk run', () => {
  it('writes counts as en-US does: 40,000 rows, 95.25 rows/s', () => {
    for (const n of [0, 7, 999, 1000, 40_000, 1_234_567, -1234, 2 ** 53, 1e20, 95.25, 0.5, -1234.5])
      assert.equal(formatCount(n), n.toLocaleString('en-US'), String(n));
  });

  it('says done/total, rate, ETA, failures, 429s and a wait after one', () => {
    assert.equal(
      progressText(sending(250), true),
      'sending [######..................] 250/1,000 rows (25%), 95.25 rows/s, ETA 12s, 2 failed',
    );
    assert.equal(
      progressText(sending(250), false),
      'sending 250/1,000 rows (25%), 95.25 rows/s, ETA 12s, 2 failed',
    );
    assert.equal(
      progressText(sending(250, { rateLimited: 3, waitingSeconds: 4, etaSeconds: undefined }), false),
      'sending 250/1,000 rows (25%), 95.25 rows/s, 2 failed, 3 rate-limited, waiting 4 s after a 429',
    );
    assert.equal(
      progressText({ ...sending(1234), phase: 'planning', total: undefined }, true),
      'planning: 1,234 rows read and looked up, 95.25 rows/s',
    );
    assert.deepEqual([duration(42), duration(185), duration(3720)], ['42s', '3m 05s', '1h 02m']);
  });

  it('on a terminal: redrawn in place at most every 250 ms and at each change of phase; lines said above it', () => {
    let now = 0;
    const c = captureIO({ cwd: '.' });
    const line = new ProgressLine({ ...c.io, stderrIsTTY: true }, () => now);
    line.update('sending', 'a');
    now = 100;
    line.update('sending', 'b');
    now = 260;
    line.update('sending', 'c');
    now = 270;
    line.update('reporting', 'd');
    line.print('note\n');
    line.end();
    assert.equal(c.stderr(), '\r\x1b[2Ka\r\x1b[2Kc\r\x1b[2Kd\r\x1b[2Knote\nd\r\x1b[2K');
  });

  it('not on a terminal: a plain line at each change of phase and at most every 5 s, the last state of a phase kept', () => {
    let now = 0;
    const c = captureIO({ cwd: '.' });
    const line = new ProgressLine(c.io, () => now);
    line.update('planning', 'p1');
    now = 1000;
    line.update('planning', 'p2');
    line.update('sending', 's1');
    now = 2000;
    line.update('sending', 's2');
    line.print('note\n');
    now = 8000;
    line.update('sending', 's3');
    now = 9000;
    line.update('sending', 's4');
    line.end();
    assert.equal(c.stderr(), 'p1\np2\ns1\ns2\nnote\ns3\ns4\n');
  });
});
