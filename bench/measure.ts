// The in-process measurements of `npm run bench` (bench/run.mjs bundles this file with esbuild, minified
// like the release bundle, and calls it). Nothing here asserts anything: it measures and returns figures.
import { performance } from 'node:perf_hooks';
import * as ls from 'vscode-json-languageservice';
import { analyzeDocument } from '../src/core/analyze';
import { ClerkClient } from '../src/core/clerk/client';
import { planRequests } from '../src/core/payload/plan';
import { DEFAULT_API_VERSION, type ApiVersion } from '../src/core/versions';
import { statSync, writeFileSync } from 'node:fs';
import { checkBulkText } from '../src/core/bulk/format/checkFile';
import type { MetadataTypes } from '../src/core/metadataTypes/model';
import { encodeMark } from '../src/core/bulk/journal/marks';
import { loadJournal } from '../src/core/bulk/journal/journalIndex';
import { FAKE_LIVE_KEY, FAKE_TEST_KEY, startFakeClerk, type FakeRequestRecord } from '../src/fake/server';
import { JournalFile } from '../src/node/journalFile';
import { BENCH_USER_ID, keystrokeTexts, largePayload, typicalPayload } from './documents';

export { keystrokeTexts, largePayload, typicalPayload };

/** A median with its spread. */
export interface Summary {
  median: number;
  p25: number;
  p75: number;
  min: number;
  max: number;
  n: number;
}

export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    median: quantile(sorted, 0.5),
    p25: quantile(sorted, 0.25),
    p75: quantile(sorted, 0.75),
    min: sorted[0],
    max: sorted[sorted.length - 1],
    n: sorted.length,
  };
}

// ------------------------------------------------------------------------------------------------
// The two pipelines.

/**
 * Ours: what the extension runs on every change of a *.userupdate.json (parse with positions, validate,
 * ranges).
 */
export function ours(text: string, version: ApiVersion = DEFAULT_API_VERSION): number {
  return analyzeDocument(text, { defaultApiVersion: version }).diagnostics.length;
}

/**
 * The reference: VS Code's JSON language service as the JSON language server runs it. The schema is
 * configured once (`configure({ schemas })`, as `json.schemas`/`jsonValidation` do); the service resolves
 * and caches it on first use. Every call gets a fresh TextDocument, as on every keystroke in the server.
 */
export function makeReference(schema: object): (text: string) => Promise<number> {
  const service = ls.getLanguageService({ clientCapabilities: ls.ClientCapabilities.LATEST });
  const uri = 'file:///bench/payload.userupdate.json';
  service.configure({
    validate: true,
    allowComments: false,
    schemas: [{ uri: 'file:///bench/schema.json', fileMatch: ['*.userupdate.json'], schema }],
  });
  const settings: ls.DocumentLanguageSettings = {
    comments: 'error',
    trailingCommas: 'error',
    schemaValidation: 'error',
    schemaRequest: 'error',
  };
  let version = 0;
  return async (text: string) => {
    const document = ls.TextDocument.create(uri, 'json', ++version, text);
    const json = service.parseJSONDocument(document);
    return (await service.doValidation(document, json, settings)).length;
  };
}

// ------------------------------------------------------------------------------------------------
// Side by side.

/**
 * A young-generation collection between batches (when node runs with --expose-gc, as bench/run.mjs
 * does), so that neither side pays for the short-lived garbage the other left behind. Not a full
 * collection: a forced full GC makes the next few thousand calls several times slower (V8 drops
 * compiled code and shrinks the young generation), which would measure V8, not the pipelines.
 */
export function settle(): void {
  (globalThis as { gc?: (options?: { type: 'minor' | 'major' }) => void }).gc?.({ type: 'minor' });
}

/** Per-operation times of one batch: wall clock, and CPU time of the process. */
interface BatchTime {
  wall: number;
  cpu: number;
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
}

function timeOurs(texts: readonly string[], n: number, start: number): BatchTime {
  settle();
  let sink = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) sink += ours(texts[(start + i) % texts.length]);
  const wall = performance.now() - t0;
  const cpu = cpuMs(c0);
  if (sink < 0) throw new Error('unreachable');
  return { wall: wall / n, cpu: cpu / n };
}

/** V8's native JSON.parse on the same texts: no positions, no validation; a floor for any JS pipeline. */
function timeJsonParse(texts: readonly string[], n: number, start: number): BatchTime {
  settle();
  let sink = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) sink += JSON.parse(texts[(start + i) % texts.length]) ? 1 : 0;
  const wall = performance.now() - t0;
  const cpu = cpuMs(c0);
  if (sink < 0) throw new Error('unreachable');
  return { wall: wall / n, cpu: cpu / n };
}

async function timeReference(
  ref: (text: string) => Promise<number>,
  texts: readonly string[],
  n: number,
  start: number,
): Promise<BatchTime> {
  settle();
  let sink = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) sink += await ref(texts[(start + i) % texts.length]);
  const wall = performance.now() - t0;
  const cpu = cpuMs(c0);
  if (sink < 0) throw new Error('unreachable');
  return { wall: wall / n, cpu: cpu / n };
}

export interface SideBySide {
  /** Wall-clock time per validation. */
  ours_ms: Summary;
  reference_ms: Summary;
  /** reference time / our time (wall clock), per repetition. */
  ratio: Summary;
  /** The same from the CPU time of the process (less sensitive to other processes on the machine). */
  ours_cpu_ms: Summary;
  reference_cpu_ms: Summary;
  cpu_ratio: Summary;
  /** JSON.parse of the same texts (wall clock), for scale. */
  json_parse_ms: Summary;
  batch: { ours: number; reference: number };
  repetitions: number;
  diagnostics: { ours: number; reference: number };
  bytes: number;
}

/**
 * Interleaved repetitions: in each, a batch of ours and a batch of the reference (alternating which
 * goes first), each batch sized to take about `batchMs`. The ratio is taken per repetition.
 */
export async function sideBySide(
  texts: readonly string[],
  schema: object,
  options: { repetitions: number; batchMs: number; warmupMs: number },
): Promise<SideBySide> {
  const ref = makeReference(schema);
  // Warm-up (JIT, the reference's schema resolution), and batch sizes from the warm-up speed.
  const warm = async (fn: (i: number) => unknown): Promise<number> => {
    let count = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < options.warmupMs || count < 2) await fn(count++);
    return (performance.now() - t0) / count;
  };
  const oursWarm = await warm((i) => ours(texts[i % texts.length]));
  const refWarm = await warm((i) => ref(texts[i % texts.length]));
  const batch = {
    ours: Math.max(1, Math.round(options.batchMs / oursWarm)),
    reference: Math.max(1, Math.round(options.batchMs / refWarm)),
  };
  const o: BatchTime[] = [];
  const r: BatchTime[] = [];
  const native: number[] = [];
  let start = 0;
  for (let rep = 0; rep < options.repetitions; rep++) {
    let a: BatchTime;
    let b: BatchTime;
    if (rep % 2 === 0) {
      a = timeOurs(texts, batch.ours, start);
      b = await timeReference(ref, texts, batch.reference, start);
    } else {
      b = await timeReference(ref, texts, batch.reference, start);
      a = timeOurs(texts, batch.ours, start);
    }
    native.push(timeJsonParse(texts, batch.ours, start).wall);
    start += Math.max(batch.ours, batch.reference);
    o.push(a);
    r.push(b);
  }
  return {
    ours_ms: summarize(o.map((x) => x.wall)),
    reference_ms: summarize(r.map((x) => x.wall)),
    ratio: summarize(o.map((x, i) => r[i].wall / x.wall)),
    ours_cpu_ms: summarize(o.map((x) => x.cpu)),
    reference_cpu_ms: summarize(r.map((x) => x.cpu)),
    cpu_ratio: summarize(o.map((x, i) => r[i].cpu / x.cpu)),
    json_parse_ms: summarize(native),
    batch,
    repetitions: options.repetitions,
    diagnostics: { ours: ours(texts[0]), reference: await ref(texts[0]) },
    bytes: Buffer.byteLength(texts[0]),
  };
}

export interface KeystrokeResult {
  /** p99 of the per-keystroke time of our pipeline, one value per replay. */
  ours_p99_ms: Summary;
  ours_p50_ms: Summary;
  ours_max_ms: Summary;
  reference_p99_ms: Summary;
  reference_p50_ms: Summary;
  /** reference mean / our mean per keystroke, per replay pair. */
  ratio: Summary;
  keystrokes: number;
  replays: number;
}

/**
 * Replays the keystroke texts `replays` times through both pipelines (interleaved), timing every keystroke.
 */
export async function keystrokes(
  texts: readonly string[],
  schema: object,
  replays: number,
): Promise<KeystrokeResult> {
  const ref = makeReference(schema);
  const replayOurs = (): number[] => {
    settle();
    const times = new Array<number>(texts.length);
    for (let i = 0; i < texts.length; i++) {
      const t0 = performance.now();
      ours(texts[i]);
      times[i] = performance.now() - t0;
    }
    return times;
  };
  const replayReference = async (): Promise<number[]> => {
    settle();
    const times = new Array<number>(texts.length);
    for (let i = 0; i < texts.length; i++) {
      const t0 = performance.now();
      await ref(texts[i]);
      times[i] = performance.now() - t0;
    }
    return times;
  };
  // One replay each to warm up, not counted.
  replayOurs();
  await replayReference();
  const o = { p99: [] as number[], p50: [] as number[], max: [] as number[] };
  const r = { p99: [] as number[], p50: [] as number[] };
  const ratios: number[] = [];
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  for (let rep = 0; rep < replays; rep++) {
    let a: number[];
    let b: number[];
    if (rep % 2 === 0) {
      a = replayOurs();
      b = await replayReference();
    } else {
      b = await replayReference();
      a = replayOurs();
    }
    const sa = [...a].sort((x, y) => x - y);
    const sb = [...b].sort((x, y) => x - y);
    o.p99.push(quantile(sa, 0.99));
    o.p50.push(quantile(sa, 0.5));
    o.max.push(sa[sa.length - 1]);
    r.p99.push(quantile(sb, 0.99));
    r.p50.push(quantile(sb, 0.5));
    ratios.push(mean(b) / mean(a));
  }
  return {
    ours_p99_ms: summarize(o.p99),
    ours_p50_ms: summarize(o.p50),
    ours_max_ms: summarize(o.max),
    reference_p99_ms: summarize(r.p99),
    reference_p50_ms: summarize(r.p50),
    ratio: summarize(ratios),
    keystrokes: texts.length,
    replays,
  };
}

// ------------------------------------------------------------------------------------------------
// Memory (run in a child started with --expose-gc, see ./memory-child.ts).

export interface MemoryResult {
  /** Heap growth over each round of `validations` validations (gc before and after), MB. */
  growth_mb: Summary;
  /** Heap after the last round minus heap before the first, MB. */
  total_growth_mb: number;
  validations: number;
  rounds: number;
  baseline_mb: number;
}

/** The i-th document of the memory run: alternately a typical payload variant and a keystroke state. */
function changing(i: number, strokes: readonly string[]): string {
  return i % 2 === 0 ? typicalPayload(i + 1) : strokes[i % strokes.length];
}

export function memory(validations: number, rounds: number): MemoryResult {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('memory needs node --expose-gc');
  const strokes = keystrokeTexts();
  const heap = (): number => {
    gc();
    gc();
    return process.memoryUsage().heapUsed / (1024 * 1024);
  };
  // Warm-up: the same work once, so lazily built tables and compiled code are not counted as growth.
  for (let i = 0; i < Math.min(validations, 2000); i++) ours(changing(i, strokes));
  const first = heap();
  const growth: number[] = [];
  let before = first;
  let after = first;
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < validations; i++) ours(changing(round * validations + i, strokes));
    after = heap();
    growth.push(after - before);
    before = after;
  }
  return {
    growth_mb: summarize(growth),
    total_growth_mb: after - first,
    validations,
    rounds,
    baseline_mb: first,
  };
}

// ------------------------------------------------------------------------------------------------
// Send overhead against the fake, in process.

export interface SendResult {
  /**
   * (time from invoking the send until the PATCH response is in) minus the fake's handling time of the PATCH,
   * ms.
   */
  overhead_ms: Summary;
  /** Time from invoking the send until the fake has the whole PATCH request, ms. */
  to_arrival_ms: Summary;
  /** The fake's own handling time of the PATCH, ms. */
  fake_handling_ms: Summary;
  /** The first (cold) send's overhead: connection set-up included. */
  first_overhead_ms: number;
  sends: number;
  status: number;
}

/**
 * `sends` sends of the typical payload, the way the core sends it: analyzeDocument, planRequests and
 * ClerkClient.updateUser (the PATCH) against the fake Clerk on loopback, rate limit off.
 */
export async function sendOverhead(sends: number, warmup: number): Promise<SendResult> {
  const fake = await startFakeClerk({ port: 0, host: '127.0.0.1', rateLimit: false });
  try {
    const client = new ClerkClient({
      apiUrl: fake.url,
      secretKey: FAKE_TEST_KEY,
      apiVersion: DEFAULT_API_VERSION,
      userAgent: 'clerk-user-update-bench',
    });
    const overhead: number[] = [];
    const arrival: number[] = [];
    const handling: number[] = [];
    let first = NaN;
    let status = 0;
    for (let i = 0; i < warmup + sends; i++) {
      const text = typicalPayload(i + 1);
      const seqBefore = fake.requests.length;
      let arrivedAt = NaN;
      const arrived = fake.waitForArrival((r: FakeRequestRecord) => {
        if (r.seq <= seqBefore || r.method !== 'PATCH') return false;
        arrivedAt = performance.now();
        return true;
      });
      const t0 = performance.now();
      const analysis = analyzeDocument(text, { defaultApiVersion: DEFAULT_API_VERSION });
      if (analysis.hasErrors || !analysis.root || !analysis.userId)
        throw new Error('the typical payload has errors');
      const plan = planRequests(text, analysis.root, analysis.userId, analysis.apiVersion);
      const result = await client.updateUser(analysis.userId, plan[0].body);
      const t1 = performance.now();
      const record = await arrived;
      const done = await fake.waitForRequest((r) => r.seq === record.seq);
      if (!result.ok) throw new Error(`the fake refused the typical payload: ${result.message}`);
      status = result.status;
      const ms = t1 - t0 - (done.handlingMs ?? 0);
      if (i === 0) first = ms;
      if (i < warmup) continue;
      overhead.push(ms);
      arrival.push(arrivedAt - t0);
      handling.push(done.handlingMs ?? 0);
    }
    return {
      overhead_ms: summarize(overhead),
      to_arrival_ms: summarize(arrival),
      fake_handling_ms: summarize(handling),
      first_overhead_ms: first,
      sends,
      status,
    };
  } finally {
    await fake.stop();
  }
}

export { BENCH_USER_ID };

// ------------------------------------------------------------------------------------------------
// Resuming a bulk run.

export { FAKE_LIVE_KEY, FAKE_TEST_KEY };

/** Rows a killed run leaves sent without an answer (as many as were in flight: the engine's most). */
const IN_FLIGHT = 64;

/**
 * The time to resume a journal of `rows` rows: what `send FILE` does with its journal before it reads
 * the input again, `loadJournal` (read in blocks, each mark peeked at, the index built), on a journal
 * as a run killed near its end leaves it: every row done (a `sent` and a `done` mark) but the last
 * 64, sent without an answer. Each of `runs` loads it afresh; the figures are the times.
 */
export async function resumeJournal(
  path: string,
  rows: number,
  runs: number,
): Promise<{ ms: number[]; bytes: number; rows: number }> {
  const header = JSON.stringify({
    journal: 'clerk-user-update/journal',
    version: 1,
    kind: 'run',
    input: 'bench.userupdates.jsonl',
    input_sha256: 'bench',
    api_url: 'http://127.0.0.1:1',
    instance: 'bench',
    production: false,
    api_version: '2026-05-12',
    started_at: new Date().toISOString(),
  });
  const out: string[] = [header];
  for (let row = 1; row <= rows; row++) {
    const user = `user_2xhFjEI5X2qWRvtV13Bz${String(row).padStart(6, '0')}`;
    out.push(
      encodeMark({
        row,
        state: 'sent',
        target: `$email:user${row}@example.com`,
        user_id: user,
        fields: ['first_name', 'public_metadata'],
        before: { first_name: 'Ada', public_metadata: { plan: 'free' } },
        before_updated_at: 1767225600000 + row,
      }),
    );
    if (row <= rows - IN_FLIGHT)
      out.push(
        encodeMark({
          row,
          state: 'done',
          target: `$email:user${row}@example.com`,
          user_id: user,
          http_status: 200,
          code: null,
          message: null,
          trace_id: '5f0c3a9e1b2d4c6f8a7e9d0b1c2a3f4e',
          updated_at: 1767225700000 + row,
        }),
      );
  }
  const text = `${out.join('\n')}\n`;
  writeFileSync(path, text);
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const journal = new JournalFile(path);
    const t = performance.now();
    const loaded = await loadJournal(journal, true);
    ms.push(performance.now() - t);
    await journal.close();
    if (loaded.status !== 'ok' || loaded.index.state(rows) !== 'sent' || loaded.index.state(1) !== 'done')
      throw new Error(`the journal did not load: ${loaded.status}`);
  }
  return { ms, bytes: Buffer.byteLength(text), rows };
}

// ------------------------------------------------------------------------------------------------
// Typed metadata: the team's declarations (src/core/metadataTypes) on top of the untyped checks.

/** The declarations the typed figures check against: Clerk's guide's example and a few more keys. */
export const BENCH_DECLARATIONS = `export {}
type Plan = 'free' | 'pro' | 'enterprise'
declare global {
  interface UserPublicMetadata {
    /** The user's plan. */
    plan?: Plan
    seats?: number
    features?: string[]
    role?: 'admin' | 'member'
    onboarding?: { completed: boolean; step?: number }
  }
  interface UserPrivateMetadata {
    stripe_customer_id?: string
    notes?: string
  }
  interface UserUnsafeMetadata {
    theme?: 'light' | 'dark'
    onboarding?: { step?: number; done?: boolean }
  }
}
`;

export interface TypedMetadataResult {
  rows: number;
  /** Per run, whole-file check time (ms) without and with the declarations, interleaved. */
  untyped_ms: Summary;
  typed_ms: Summary;
  /** typed / untyped, per pair of runs (the goal: at most 1.25). */
  ratio: Summary;
  /** p99 of the per-keystroke time of the single-file pipeline with the declarations loaded, per replay. */
  keystroke_p99_ms: Summary;
  /** Reading the declarations the first time: loading dist/metadataTypes.js and parsing (ms). */
  first_read_ms: number;
  parser_bundle_bytes: number;
}

/** The whole check of a bulk text, as `validate` runs it (for profiling the typed figure). */
export function checkBulk(text: string, metadataTypes: MetadataTypes | undefined): number {
  return checkBulkText(text, 'jsonl', { defaultApiVersion: '2025-11-10', metadataTypes }).diagnostics.length;
}

/**
 * A JSONL bulk file of `rows` rows, each with public, private and unsafe metadata that the declarations
 * allow.
 */
export function typedRows(rows: number): string {
  const lines: string[] = new Array(rows);
  for (let i = 0; i < rows; i++) {
    lines[i] = JSON.stringify({
      $user_id: `user_${String(i).padStart(8, '0')}`,
      first_name: `Ada ${i}`,
      public_metadata: {
        plan: i % 2 ? 'pro' : 'free',
        seats: i % 50,
        role: 'member',
        onboarding: { completed: true, step: 3 },
      },
      private_metadata: { stripe_customer_id: `cus_${i}` },
      unsafe_metadata: { theme: 'dark' },
    });
  }
  return lines.join('\n') + '\n';
}

/**
 * The cost of typed checking: the same 100,000-row JSONL (metadata in every row) checked whole without and
 * with
 * the declarations, interleaved `runs` times; and the keystroke replay with the declarations loaded.
 */
export function typedMetadata(
  rows: number,
  runs: number,
  keystrokeCount: number,
  replays: number,
  parserBundle: string,
): TypedMetadataResult {
  const started = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const parser = require(parserBundle) as typeof import('../src/node/metadataTypes/parserBundle');
  const types = parser.readDeclarations([{ file: 'types/globals.d.ts', text: BENCH_DECLARATIONS }]);
  const firstRead = performance.now() - started;
  if (!types) throw new Error('the bench declarations declare nothing');
  const text = typedRows(rows);
  const check = (metadataTypes: typeof types | undefined): number => {
    const t0 = performance.now();
    const r = checkBulkText(text, 'jsonl', { defaultApiVersion: '2025-11-10', metadataTypes });
    const ms = performance.now() - t0;
    if (r.hasErrors)
      throw new Error(
        `the typed bench rows should be valid: ${r.diagnostics.find((d) => d.severity === 'error')?.message}`,
      );
    return ms;
  };
  check(undefined);
  check(types);
  const untyped: number[] = [];
  const typed: number[] = [];
  const ratio: number[] = [];
  for (let i = 0; i < runs; i++) {
    settle();
    // Alternate which goes first, so neither always runs on a warmer heap.
    const first = i % 2 === 0 ? check(undefined) : check(types);
    settle();
    const second = i % 2 === 0 ? check(types) : check(undefined);
    const [u, t] = i % 2 === 0 ? [first, second] : [second, first];
    untyped.push(u);
    typed.push(t);
    ratio.push(t / u);
  }
  const texts = keystrokeTexts(keystrokeCount);
  const p99: number[] = [];
  for (let r = 0; r < replays; r++) {
    const times: number[] = [];
    for (const t of texts) {
      const t0 = performance.now();
      analyzeDocument(t, { defaultApiVersion: DEFAULT_API_VERSION, metadataTypes: types });
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    p99.push(quantile(times, 0.99));
  }
  return {
    rows,
    untyped_ms: summarize(untyped),
    typed_ms: summarize(typed),
    ratio: summarize(ratio),
    keystroke_p99_ms: summarize(p99),
    first_read_ms: firstRead,
    parser_bundle_bytes: statSync(parserBundle).size,
  };
}
