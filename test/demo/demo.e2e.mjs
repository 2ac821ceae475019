// The `npm start` demo as a new user tries it: start it, open the printed URL in chromium, and take the
// README pictures there with the code of `npm run screenshots` (scripts/screenshots.mjs): the diagnostics
// of the example with mistakes and their quick fix, typed metadata, the lenses, "Send update" on the
// rename example (the fake's user changes), the returned user, a bulk run and its preview, the history.
// Then Ctrl+C (SIGINT): the process exits and nothing it started is left, neither processes
// (code-server, its extension host and other children, the fake) nor temp folders. Run by the e2e layer
// (scripts/run-e2e.mjs).
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { dirname, join } from 'node:path';
import { setTimeout } from 'node:timers';
import { suite, suiteTeardown, teardown, test } from 'mocha';
import { REPO } from '../../scripts/lib/build.mjs';
import { killGroup, onCleanup, waitFor } from '../../scripts/lib/processes.mjs';
import { launchChromium } from '../../scripts/lib/workbench.mjs';
import {
  captureReadmeScreenshots,
  MAX_SCREENSHOT_BYTES,
  openDemoPage,
  pngSize,
  README_SCREENSHOTS,
  RENAME_SAMPLE_USER_ID,
  SCREENSHOT_VIEWPORT,
} from '../../scripts/screenshots.mjs';
import { SCREENSHOTS } from '../e2e/workbench.mjs';

const START_TIMEOUT_MS = 150_000; // includes provisioning (cached); the build is the e2e layer's

/** The start time of a process (field 22 of /proc/<pid>/stat), to tell a pid from a reused one. */
function startTime(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Every process on the machine: { pid, ppid, pgid, start, cmd }. */
function allProcesses() {
  const list = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      list.push({
        pid: Number(entry),
        ppid: Number(fields[1]),
        pgid: Number(fields[2]),
        start: fields[19],
        cmd,
      });
    } catch {
      // ended meanwhile
    }
  }
  return list;
}

/** `root` and all its descendants, plus every process in the given process groups. */
function processTree(root, groups) {
  const list = allProcesses();
  const found = new Map();
  const add = (p) => found.set(p.pid, p);
  const queue = list.filter((p) => p.pid === root || groups.includes(p.pgid));
  while (queue.length) {
    const p = queue.shift();
    if (found.has(p.pid)) continue;
    add(p);
    queue.push(...list.filter((c) => c.ppid === p.pid));
  }
  return [...found.values()];
}

function stillRunning(processes) {
  return processes.filter((p) => startTime(p.pid) === p.start);
}

function httpAnswers(url) {
  return new Promise((resolvePromise) => {
    const request = get(url, { timeout: 2000 }, (response) => {
      response.resume();
      resolvePromise(true);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolvePromise(false));
  });
}

function getJson(url) {
  return new Promise((resolvePromise, reject) => {
    get(url, (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => {
        try {
          resolvePromise({ status: response.statusCode, body: JSON.parse(body) });
        } catch (error) {
          reject(error);
        }
      });
    }).on('error', reject);
  });
}

suite('demo: npm start (start, the README pictures, Ctrl+C, nothing left)', function () {
  let demo;
  let output = '';
  let exited;
  let browser;
  let page;

  teardown(async function () {
    if (this.currentTest?.state === 'failed') {
      console.log(`    npm start output (tail):\n${output.split('\n').slice(-30).join('\n')}`);
      const file = join(SCREENSHOTS, 'failed-demo.png');
      const taken = await page?.screenshot({ path: file }).then(
        () => true,
        () => false,
      );
      if (taken) console.log(`    screenshot of the failure: ${file}`);
    }
  });

  suiteTeardown(async function () {
    await browser?.close();
    // Only if the test failed before its own SIGINT: end what the demo started.
    if (demo && exited === undefined) await killGroup(demo.pid);
  });

  test('the printed URL opens the sample workspace; the README pictures are taken in it, and Send update there changes the fake user; SIGINT ends everything', async function () {
    this.timeout(START_TIMEOUT_MS + 120_000);
    const started = Date.now();
    // What `npm start` runs, in its own process group so that the test can see everything in it.
    // CLERK_UU_PORT=0: any free port. No stdin, as under CI. CLERK_UU_SKIP_BUILD=1: the e2e layer
    // built dist/ before the first suite; the demo uses that build and does not rebuild it.
    demo = spawn(process.execPath, [join(REPO, 'scripts', 'start-demo.mjs')], {
      cwd: REPO,
      env: { ...process.env, CLERK_UU_PORT: '0', CLERK_UU_SKIP_BUILD: '1' },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const unregister = onCleanup(() => killGroup(demo.pid));
    const whenExited = new Promise((resolveExit) => {
      demo.on('exit', (code, signal) => {
        exited = { code, signal };
        resolveExit(exited);
      });
    });
    demo.stdout.on('data', (chunk) => (output += chunk));
    demo.stderr.on('data', (chunk) => (output += chunk));

    const banner = await waitFor(() => /Press Ctrl\+C to stop everything/.test(output) && output, {
      timeoutMs: START_TIMEOUT_MS,
      intervalMs: 100,
      what: 'the demo to print its URL',
      failFast: () => {
        if (exited) throw new Error(`npm start exited early (${exited.signal ?? exited.code}):\n${output}`);
      },
    });
    const readyMs = Date.now() - started;
    const url = banner.match(/Open:\s+(http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+)/)?.[1];
    const fakeUrl = banner.match(/Fake Clerk:\s+(http:\/\/127\.0\.0\.1:\d+)/)?.[1];
    const codeServer = banner.match(
      /\[code-server\] ready on (http:\/\/127\.0\.0\.1:\d+) in \d+ ms \(pid (\d+), logs in (\S+)\)/,
    );
    assert.ok(url && fakeUrl && codeServer, `the banner names the URL, the fake and code-server:\n${banner}`);
    const workspace = decodeURIComponent(new URL(url).searchParams.get('folder'));
    const codeServerPid = Number(codeServer[2]);
    const codeServerRoot = codeServer[3];
    console.log(`    npm start ready in ${(readyMs / 1000).toFixed(1)} s: ${url}`);
    assert.ok(
      existsSync(join(workspace, 'rename-user.userupdate.json')),
      'the workspace is a copy of samples/workspace',
    );

    // A new user opens the URL; the README pictures are taken there.
    const userId = RENAME_SAMPLE_USER_ID;
    const before = await getJson(`${fakeUrl}/__fake/users/${userId}`);
    assert.equal(before.body.first_name, 'Ada');
    ({ browser } = await launchChromium());
    page = await openDemoPage(browser, url);
    const out = join(SCREENSHOTS, 'readme');
    const files = await captureReadmeScreenshots(page, out);
    assert.deepEqual(Object.keys(files), README_SCREENSHOTS);
    for (const name of README_SCREENSHOTS) {
      const { width, height, bytes } = pngSize(files[name]);
      assert.deepEqual({ width, height }, SCREENSHOT_VIEWPORT, name);
      assert.ok(bytes <= MAX_SCREENSHOT_BYTES, `${name}: ${bytes} bytes`);
      // The README shows the committed copies; `npm run screenshots` refreshes them.
      assert.ok(
        existsSync(join(REPO, 'media', `screenshot-${name}.png`)),
        `media/screenshot-${name}.png is committed`,
      );
    }
    console.log(`    README screenshots: ${out}`);

    // "Send update" on the rename example (the success picture) changed the fake's user.
    const after = await getJson(`${fakeUrl}/__fake/users/${userId}`);
    assert.equal(after.status, 200);
    assert.equal(after.body.first_name, 'Augusta Ada');
    assert.equal(after.body.last_name, 'King');

    // Ctrl+C. Everything the demo started, as it is right now (its children, code-server's group
    // with the extension host, file watcher and the like).
    const tree = processTree(demo.pid, [demo.pid, codeServerPid]);
    assert.ok(
      tree.some((p) => p.pid === codeServerPid),
      'code-server is part of what the demo started',
    );
    console.log(
      `    processes before Ctrl+C: ${tree.length} (demo, code-server and ${tree.length - 2} children)`,
    );
    const stopping = Date.now();
    process.kill(demo.pid, 'SIGINT');
    const { code, signal } = await Promise.race([
      whenExited,
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error('npm start did not exit within 30 s of SIGINT')), 30_000).unref(),
      ),
    ]);
    unregister();
    console.log(`    exited ${signal ?? code} ${Date.now() - stopping} ms after SIGINT`);
    assert.ok(code === 0 || code === 130, `exit status after Ctrl+C: ${signal ?? code}`);

    assert.deepEqual(
      stillRunning(tree).map((p) => `${p.pid} ${p.cmd.slice(0, 120)}`),
      [],
      'no process the demo started is left',
    );
    assert.deepEqual(
      processTree(demo.pid, [demo.pid, codeServerPid]).map((p) => `${p.pid} ${p.cmd.slice(0, 120)}`),
      [],
      'its process groups are empty',
    );
    assert.equal(await httpAnswers(`${fakeUrl}/__fake/users/${userId}`), false, 'the fake Clerk is stopped');
    assert.equal(await httpAnswers(`${codeServer[1]}/healthz`), false, 'code-server is stopped');
    assert.equal(
      existsSync(dirname(workspace)),
      false,
      `the workspace copy is removed: ${dirname(workspace)}`,
    );
    assert.equal(
      existsSync(codeServerRoot),
      false,
      `code-server's temp profile is removed: ${codeServerRoot}`,
    );
  });
});
