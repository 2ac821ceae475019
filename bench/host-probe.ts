// In-host part of `npm run bench` (same run() contract as test/integration/activation.ts; bench/run.mjs
// bundles it with esbuild and runs it through scripts/lib/host.mjs in code-server's real extension host).
//
// 1. Activation: in a workspace without JSON files, the extensions named by CLERK_UU_BENCH_IDS (in that
//    order) are activated one after the other with measureActivation from the integration helpers,
//    unless already active. Then each bundle's main module is required again, uncached, a few times (the
//    code-loading share, repeatable within one host).
// 2. Send (when CLERK_UU_BENCH_SENDS > 0): the real `clerkUserUpdate.sendUpdate` command on a typical
//    payload against the fake Clerk started in this host. The editor's send reads the user (GET) before
//    the PATCH, so the overhead is the time from invoking the command to the PATCH arriving at the fake
//    minus the fake's handling time of that GET.
// Writes { passed, failed, activation, load, send, documentsAtStart } to CLERK_UU_TEST_RESULTS.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { FAKE_TEST_KEY, startFakeClerk, type FakeRequestRecord } from '../src/fake/server';
import { EXTENSION_ID, measureActivation, type ActivationMeasurement } from '../test/integration/helpers';
import { updateUserSetting } from '../test/integration/clerk';
import { typicalPayload } from './documents';

export const JSON_EXTENSION_ID = 'vscode.json-language-features';
export { EXTENSION_ID };

interface HostBenchResults {
  passed: number;
  failed: number;
  pending: number;
  failures: { title: string; error: string }[];
  vscodeVersion: string;
  order: string[];
  /** Extensions that were active before the probe ran (nothing to measure), e.g. activated at start-up. */
  activeAtStart: string[];
  activation: Record<string, ActivationMeasurement>;
  /** Uncached require of each extension's main module after activation, ms per try. */
  load: Record<string, number[]>;
  send?: {
    overheadMs: number[];
    toPatchMs: number[];
    toGetMs: number[];
    getHandlingMs: number[];
    commandMs: number[];
    statuses: string[];
  };
  /**
   * The documents open when the probe started, with their languages (what may have activated an extension).
   */
  documentsAtStart: string[];
}

function write(results: HostBenchResults): void {
  const file = process.env.CLERK_UU_TEST_RESULTS;
  if (!file) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(results, null, 2));
  fs.renameSync(`${file}.tmp`, file);
}

/** Times requiring the extension's main module again, uncached (top level only), `tries` times. */
function loadTimes(id: string, tries: number): number[] {
  const extension = vscode.extensions.getExtension(id);
  const main = extension?.packageJSON.main as string | undefined;
  if (!extension || !main) return [];
  const file = require.resolve(path.join(extension.extensionPath, main));
  const cached = require.cache[file];
  const times: number[] = [];
  try {
    for (let i = 0; i < tries; i++) {
      delete require.cache[file];
      const t0 = performance.now();
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(file);
      times.push(performance.now() - t0);
    }
  } catch {
    // A bundle that cannot be loaded twice: no load figures.
  } finally {
    if (cached) require.cache[file] = cached;
    else delete require.cache[file];
  }
  return times;
}

async function measureSends(count: number, warmup: number): Promise<NonNullable<HostBenchResults['send']>> {
  const fake = await startFakeClerk({ port: 0, host: '127.0.0.1', rateLimit: false });
  try {
    await updateUserSetting('environments', [{ name: 'Fake', apiUrl: fake.url }]);
    if ((await vscode.commands.executeCommand('clerkUserUpdate.selectEnvironment', 'Fake')) !== true)
      throw new Error('could not select the Fake environment');
    if (
      (await vscode.commands.executeCommand('clerkUserUpdate.setKey', {
        environment: 'Fake',
        key: FAKE_TEST_KEY,
      })) !== true
    )
      throw new Error('could not store the key');
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (!folder) throw new Error('no workspace folder');
    const file = path.join(folder, 'bench.userupdate.json');
    fs.writeFileSync(file, typicalPayload());
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    await vscode.window.showTextDocument(document);
    const out = {
      overheadMs: [] as number[],
      toPatchMs: [] as number[],
      toGetMs: [] as number[],
      getHandlingMs: [] as number[],
      commandMs: [] as number[],
      statuses: [] as string[],
    };
    for (let i = 0; i < warmup + count; i++) {
      const seqBefore = fake.requests.length;
      let patchAt = NaN;
      let getAt = NaN;
      const getArrived = fake.waitForArrival((r: FakeRequestRecord) => {
        if (r.seq <= seqBefore || r.method !== 'GET') return false;
        getAt = performance.now();
        return true;
      }, 15_000);
      const patchArrived = fake.waitForArrival((r: FakeRequestRecord) => {
        if (r.seq <= seqBefore || r.method !== 'PATCH') return false;
        patchAt = performance.now();
        return true;
      }, 15_000);
      const t0 = performance.now();
      const result = (await vscode.commands.executeCommand('clerkUserUpdate.sendUpdate', document.uri)) as {
        status: string;
        message: string;
      };
      const t1 = performance.now();
      if (result.status !== 'sent') throw new Error(`send ${i + 1}: ${result.status}: ${result.message}`);
      await patchArrived;
      await getArrived;
      const get = fake.requests.find((r) => r.seq > seqBefore && r.method === 'GET');
      const getHandling = get?.handlingMs ?? 0;
      if (i < warmup) continue;
      out.toPatchMs.push(patchAt - t0);
      out.toGetMs.push(getAt - t0);
      out.getHandlingMs.push(getHandling);
      out.overheadMs.push(patchAt - t0 - getHandling);
      out.commandMs.push(t1 - t0);
      out.statuses.push(result.status);
    }
    return out;
  } finally {
    await fake.stop();
  }
}

export async function run(): Promise<void> {
  const order = (process.env.CLERK_UU_BENCH_IDS ?? `${EXTENSION_ID},${JSON_EXTENSION_ID}`)
    .split(',')
    .filter((id) => id !== '');
  const results: HostBenchResults = {
    passed: 0,
    failed: 0,
    pending: 0,
    failures: [],
    vscodeVersion: vscode.version,
    order,
    activeAtStart: order.filter((id) => vscode.extensions.getExtension(id)?.isActive),
    activation: {},
    load: {},
    documentsAtStart: vscode.workspace.textDocuments.map((d) => `${d.uri.toString()} (${d.languageId})`),
  };
  try {
    for (const id of order) results.activation[id] = await measureActivation(id);
    const tries = Number(process.env.CLERK_UU_BENCH_LOAD_TRIES ?? 10);
    for (const id of order) results.load[id] = loadTimes(id, tries);
    const sends = Number(process.env.CLERK_UU_BENCH_SENDS ?? 0);
    if (sends > 0)
      results.send = await measureSends(sends, Number(process.env.CLERK_UU_BENCH_SEND_WARMUP ?? 2));
    results.passed = 1;
  } catch (error) {
    results.failed = 1;
    results.failures.push({
      title: 'bench host probe',
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
  }
  write(results);
  if (results.failed) throw new Error(results.failures[0].error);
}
