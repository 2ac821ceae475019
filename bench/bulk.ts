// Measurements of the bulk run engine (docs/architecture.md, "Bulk updates"): fsync cost, group
// commit, resuming a journal of 100,000 rows, memory over 100,000 rows, and throughput against
// the fake Clerk. Nothing here asserts; it prints figures.
//   npm run bench:bulk [-- --quick]
import { spawn } from 'node:child_process';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type JournalMark, encodeMark } from '../src/core/bulk/journal/marks';
import { finalOutcomes, loadJournal } from '../src/core/bulk/journal/journalIndex';
import { JournalWriter } from '../src/core/bulk/journal/journalWriter';
import { type RunOptions, runBulk } from '../src/core/bulk/run/run';
import type { BulkInput, BulkRow } from '../src/core/bulk/format/types';
import { ClerkClient } from '../src/core/clerk/client';
import { FAKE_TEST_KEY } from '../src/fake/server';
import { JournalFile } from '../src/node/journalFile';

const QUICK = process.argv.includes('--quick');
const gc = (globalThis as { gc?: () => void }).gc;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number): string => `${x.toFixed(2)} ms`;
const mb = (x: number): string => `${(x / 1024 / 1024).toFixed(1)} MB`;

const HEADER = JSON.stringify({
  journal: 'clerk-user-update/journal',
  version: 1,
  kind: 'run',
  input: 'bench.userupdates.jsonl',
  input_sha256: 'x',
  api_url: 'http://127.0.0.1:1',
  instance: 'bench',
  production: false,
  api_version: '2026-05-12',
  started_at: new Date().toISOString(),
});
const sent = (row: number): JournalMark => ({
  row,
  state: 'sent',
  target: `$email:user${row}@example.com`,
  user_id: `user_2xhFjEI5X2qWRvtV13BzSj${row}`,
  fields: ['first_name', 'public_metadata'],
  before: { first_name: 'Ada', public_metadata: { plan: 'free', seats: 3 } },
  before_updated_at: 1767225600000 + row,
});
const done = (row: number): JournalMark => ({
  row,
  state: 'done',
  target: `$email:user${row}@example.com`,
  user_id: `user_2xhFjEI5X2qWRvtV13BzSj${row}`,
  http_status: 200,
  code: null,
  message: null,
  trace_id: '5f0c3a9e1b2d4c6f8a7e9d0b1c2a3f4e',
  updated_at: 1767225700000 + row,
});

async function fsyncCost(dir: string): Promise<void> {
  const line = encodeMark(sent(1));
  const path = join(dir, 'fsync.jsonl');
  const handle = await open(path, 'a');
  const n = QUICK ? 50 : 300;
  for (const [name, flush] of [
    ['fdatasync', () => handle.datasync()],
    ['fsync', () => handle.sync()],
  ] as const) {
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await handle.write(`${line}\n`);
      await flush();
      times.push(performance.now() - t);
    }
    console.log(`  ${name}: one ${line.length}-byte line + flush, median ${ms(median(times))} (n=${n})`);
  }
  for (const group of [10, 100]) {
    const times: number[] = [];
    for (let i = 0; i < n / 5; i++) {
      const t = performance.now();
      await handle.write(`${Array(group).fill(line).join('\n')}\n`);
      await handle.datasync();
      times.push(performance.now() - t);
    }
    console.log(
      `  fdatasync of ${group} lines at once: median ${ms(median(times))} (${ms(median(times) / group)} per line)`,
    );
  }
  await handle.close();
  const file = new JournalFile(join(dir, 'group.jsonl'));
  const writer = new JournalWriter(file);
  const t = performance.now();
  const marks = QUICK ? 2000 : 10_000;
  // 64 rows in flight, each writing its mark and waiting for it before the next (as rows do).
  await Promise.all(
    Array.from({ length: 64 }, async (_, lane) => {
      for (let r = lane; r < marks; r += 64) await writer.write(sent(r + 1));
    }),
  );
  const took = performance.now() - t;
  console.log(
    `  group commit, 64 rows in flight: ${marks} marks in ${writer.flushes} fsyncs (${(marks / writer.flushes).toFixed(1)} marks each), ${Math.round(marks / (took / 1000))} marks/s`,
  );
  await file.close();
}

async function resumeTime(dir: string): Promise<void> {
  const rows = 100_000;
  for (const [label, lines] of [
    ['100,000 rows done (sent + done marks)', (r: number) => [encodeMark(sent(r)), encodeMark(done(r))]],
    ['100,000 rows sent, none answered (all to reconcile)', (r: number) => [encodeMark(sent(r))]],
  ] as const) {
    const path = join(dir, `resume-${lines(1).length}.jsonl`);
    const out: string[] = [HEADER];
    for (let r = 1; r <= rows; r++) out.push(...lines(r));
    const text = `${out.join('\n')}\n`;
    await writeFile(path, text);
    const times: number[] = [];
    let heap = 0;
    const kept: unknown[] = [];
    const used = (): number => {
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    for (let i = 0; i < (QUICK ? 2 : 5); i++) {
      kept.length = 0;
      gc?.();
      const before = used();
      const t = performance.now();
      const loaded = await loadJournal(new JournalFile(path));
      times.push(performance.now() - t);
      if (loaded.status !== 'ok') throw new Error(loaded.status);
      kept.push(loaded);
      gc?.();
      if (i === 0) heap = used() - before;
      if (loaded.index.state(rows) === 'pending') throw new Error('the last row was not loaded');
      if (i === 0) {
        const t2 = performance.now();
        let n = 0;
        for await (const _ of finalOutcomes(new JournalFile(path), loaded.index)) n++;
        if (lines(1).length === 2)
          console.log(`  report of ${n} rows streamed from the journal: ${ms(performance.now() - t2)}`);
      }
    }
    console.log(
      `  resume (load + index) of ${label}, ${mb(text.length)} on disk: median ${ms(median(times))}, the index keeps ${mb(heap)}`,
    );
  }
}

/** Rows made as they are read (never all in memory): `first_name` as the user has it (unchanged) or new. */
function generatedInput(count: number, users: number, change: boolean): BulkInput {
  return {
    async *rows() {
      for (let start = 1; start <= count; start += 500) {
        const chunk: BulkRow[] = [];
        for (let r = start; r < start + 500 && r <= count; r++) {
          const u = (r - 1) % users;
          const target = { kind: 'email' as const, value: `bench${u}@example.com` };
          chunk.push({
            row: r,
            target,
            text: JSON.stringify({ $email: target.value, first_name: change ? `N${u}` : `B${u}` }),
          });
        }
        yield chunk;
      }
    },
  };
}

/** The engine's connection to the fake at `url`, with its test key. */
function connectTo(url: string): RunOptions['connect'] {
  return async (apiVersion) => ({
    ok: true,
    client: new ClerkClient({ apiUrl: url, secretKey: FAKE_TEST_KEY, apiVersion, userAgent: 'bench' }),
    instance: { name: 'bench', apiUrl: url, production: false },
    secrets: [FAKE_TEST_KEY],
  });
}

async function startFake(users: number): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, [join(__dirname, 'bulk-fake.js'), String(users)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim()));
    child.once('exit', (code) => reject(new Error(`the fake exited with ${code}`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

/** Running a finished run of 100,000 rows again: load the journal, read the input, report; no request. */
async function rerunFinished(dir: string): Promise<void> {
  const rows = 100_000;
  const fake = await startFake(10);
  try {
    const path = join(dir, 'finished.journal.jsonl');
    const header = JSON.parse(HEADER) as Record<string, unknown>;
    const out = [JSON.stringify({ ...header, input_sha256: 'finished', api_url: fake.url })];
    for (let r = 1; r <= rows; r++) out.push(encodeMark(sent(r)), encodeMark(done(r)));
    await writeFile(path, `${out.join('\n')}\n`);
    const journal = new JournalFile(path);
    let reported = 0;
    const t = performance.now();
    const result = await runBulk(
      {
        input: generatedInput(rows, 10, true),
        inputHash: 'finished',
        inputName: 'finished.userupdates.jsonl',
        journal,
        connect: connectTo(fake.url),
        defaultApiVersion: '2026-05-12',
      },
      { confirm: async () => true, report: () => void reported++ },
    );
    await journal.close();
    if (!('summary' in result)) throw new Error(result.message);
    console.log(
      `  a finished run of 100,000 rows run again (journal loaded, input read, ${reported} report lines): ${ms(performance.now() - t)}, ${result.summary.requests} requests`,
    );
  } finally {
    fake.stop();
  }
}

async function runAgainstFake(
  dir: string,
  label: string,
  rows: number,
  users: number,
  change: boolean,
  rate: { limit: number; windowMs: number },
): Promise<void> {
  const fake = await startFake(users);
  try {
    const journal = new JournalFile(join(dir, `${label}.journal.jsonl`));
    gc?.();
    const base = process.memoryUsage().heapUsed;
    let peak = 0;
    let samples = 0;
    let sendingFrom: number | undefined;
    let sendingTo = 0;
    let sendingRows = 0;
    const t = performance.now();
    const result = await runBulk(
      {
        input: generatedInput(rows, users, change),
        inputHash: label,
        inputName: `${label}.userupdates.jsonl`,
        journal,
        connect: connectTo(fake.url),
        defaultApiVersion: '2026-05-12',
        rate,
      },
      {
        confirm: async () => true,
        progress: (p) => {
          if (p.phase === 'sending') {
            sendingFrom ??= performance.now();
            sendingTo = performance.now();
            sendingRows = p.done;
          }
          samples++;
          peak = Math.max(peak, process.memoryUsage().heapUsed - base);
        },
      },
    );
    const took = (performance.now() - t) / 1000;
    await journal.close();
    if (!('summary' in result)) throw new Error(result.message);
    const s = result.summary;
    console.log(
      `  ${label}: ${rows.toLocaleString()} rows on ${users.toLocaleString()} users at ${rate.limit}/${rate.windowMs}ms: ${took.toFixed(1)} s, ${s.updated} updated, ${s.unchanged} unchanged, ${s.failed} failed`,
    );
    const sending = sendingFrom === undefined ? 0 : sendingRows / ((sendingTo - sendingFrom) / 1000);
    console.log(
      `    ${s.requests} requests, ${s.rateLimited} rate-limited; sending phase ${sending.toFixed(0)} rows/s; heap above start: peak ${mb(peak)} over ${samples} samples`,
    );
  } finally {
    fake.stop();
  }
}

void (async () => {
  const dir = await mkdtemp(join(tmpdir(), 'clerk-uu-bulk-bench-'));
  try {
    console.log(
      `bulk bench (node ${process.version}${gc ? '' : ', no --expose-gc: heap figures are rough'})`,
    );
    console.log('fsync');
    await fsyncCost(dir);
    console.log('resume');
    await resumeTime(dir);
    await rerunFinished(dir);
    console.log('runs against the fake (in its own process)');
    const fast = { limit: 100_000, windowMs: 1000 };
    await runAgainstFake(dir, 'unchanged-10k', QUICK ? 2000 : 10_000, 1000, false, fast);
    if (!QUICK) await runAgainstFake(dir, 'unchanged-100k', 100_000, 1000, false, fast);
    // A scaled limit the fake keeps up with on this machine: the run should reach about 95 % of it (the 5 %
    // margin).
    await runAgainstFake(dir, 'writes', QUICK ? 300 : 1000, 1000, true, { limit: 50, windowMs: 1000 });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
})();
