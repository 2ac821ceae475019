// The in-host mocha runner. Same contract as @vscode/test-electron's extensionTestsPath:
// `run()` resolves when every test passed and rejects otherwise. It runs every
// out/test/integration/**/*.test.js and, when CLERK_UU_TEST_RESULTS names a file, writes the
// counts and failures there as JSON (atomically), which is how the outer runner reads them.
// CLERK_UU_TEST_GREP narrows the run to tests whose full title matches.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export interface TestOutcome {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

export interface SuiteResults {
  passed: number;
  failed: number;
  pending: number;
  durationMs: number;
  failures: { title: string; error: string }[];
  tests: TestOutcome[];
  vscodeVersion?: string;
}

/** The compiled test files below `dir` whose names end with `suffix` (`.test.js`: the main suite). */
export function findTests(dir: string, suffix = '.test.js'): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findTests(full, suffix));
    else if (entry.name.endsWith(suffix)) found.push(full);
  }
  return found.sort();
}

function writeResults(file: string, results: SuiteResults): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(results, null, 2));
  fs.renameSync(tmp, file);
}

function describeError(err: unknown): string {
  if (err instanceof Error) return err.stack ?? `${err.name}: ${err.message}`;
  return String(err);
}

function vscodeVersion(): string | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('vscode') as typeof import('vscode')).version;
  } catch {
    return undefined;
  }
}

export function run(): Promise<void> {
  return runFiles(findTests(__dirname));
}

/** Runs these mocha files and reports as `run()` does. */
export function runFiles(files: readonly string[]): Promise<void> {
  const started = Date.now();
  const mocha = new Mocha({
    ui: 'tdd',
    color: false,
    timeout: Number(process.env.CLERK_UU_TEST_TIMEOUT_MS ?? 30_000),
    grep: process.env.CLERK_UU_TEST_GREP || undefined,
  });
  for (const file of files) mocha.addFile(file);

  const results: SuiteResults = { passed: 0, failed: 0, pending: 0, durationMs: 0, failures: [], tests: [] };
  return new Promise<void>((resolve, reject) => {
    const finish = (error?: unknown) => {
      results.durationMs = Date.now() - started;
      results.vscodeVersion = vscodeVersion();
      if (error !== undefined) {
        results.failed += 1;
        results.failures.push({ title: 'mocha runner', error: describeError(error) });
      }
      const file = process.env.CLERK_UU_TEST_RESULTS;
      if (file) writeResults(file, results);
      for (const t of results.tests) console.log(`[integration] ${t.state.padEnd(7)} ${t.title}`);
      if (results.failed > 0) reject(new Error(`${results.failed} integration test(s) failed`));
      else resolve();
    };
    try {
      const runner = mocha.run(() => finish());
      runner.on('pass', (test) => {
        results.passed += 1;
        results.tests.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration });
      });
      runner.on('fail', (test, err) => {
        results.failed += 1;
        const error = describeError(err);
        results.failures.push({ title: test.fullTitle(), error });
        results.tests.push({ title: test.fullTitle(), state: 'failed', durationMs: test.duration, error });
      });
      runner.on('pending', (test) => {
        results.pending += 1;
        results.tests.push({ title: test.fullTitle(), state: 'pending' });
      });
    } catch (error) {
      finish(error);
    }
  });
}
