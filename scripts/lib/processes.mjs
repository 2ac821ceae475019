// Process bookkeeping for the test runners: every process group we start is ended at the end,
// on failure, on SIGINT/SIGTERM/SIGHUP, and (synchronously, with SIGKILL) on exit.
import { spawn } from 'node:child_process';
import { clearInterval, clearTimeout, setInterval, setTimeout } from 'node:timers';

const cleanups = [];
const groups = new Set();
let installed = false;
let exiting = false;

/** True once a signal asked this process to stop (cleanup is under way). */
export function isExiting() {
  return exiting;
}

/** Registers an async cleanup; returns a function that unregisters it. */
export function onCleanup(fn) {
  install();
  cleanups.push(fn);
  return () => {
    const i = cleanups.indexOf(fn);
    if (i >= 0) cleanups.splice(i, 1);
  };
}

let cleaning = null;

/**
 * Runs every registered cleanup, newest first. Callers that arrive while a cleanup is under way
 * wait for that one to finish, so nobody exits while processes are still being ended.
 */
export function cleanupAll() {
  cleaning ??= (async () => {
    while (cleanups.length) {
      const fn = cleanups.pop();
      try {
        await fn();
      } catch (error) {
        console.error(`[cleanup] ${error?.message ?? error}`);
      }
    }
  })().finally(() => {
    cleaning = null;
  });
  return cleaning;
}

/** Wraps an async function so it runs once; later calls get the first call's promise. */
export function once(fn) {
  let promise;
  return () => (promise ??= fn());
}

/** Remembers a process group (a detached child's pid) so exit always kills it. */
export function trackGroup(pid) {
  install();
  groups.add(pid);
  return () => groups.delete(pid);
}

function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Ends a whole process group: SIGTERM, then SIGKILL if it is still there after `graceMs`. */
export async function killGroup(pid, graceMs = 5000) {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    groups.delete(pid);
    return;
  }
  // Polls the condition "the group is gone" (a process group has no exit event to wait on).
  await waitFor(() => !groupAlive(pid), {
    timeoutMs: graceMs,
    intervalMs: 100,
    what: `process group ${pid} to exit`,
  }).catch(() => undefined);
  if (groupAlive(pid)) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  groups.delete(pid);
}

/**
 * Resolves with the first truthy value of `check()` (sync or async), checked now and then every
 * `intervalMs` (for conditions without an event: a file appearing, a process group gone, output
 * printed). Rejects after `timeoutMs` with `what` in the message. `failFast()` may throw to stop early
 * (e.g. when the process we wait on has exited).
 */
export function waitFor(check, { timeoutMs, intervalMs = 200, what, failFast }) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolvePromise, rejectPromise) => {
    let done = false;
    let checking = false;
    const finish = (settle, value) => {
      done = true;
      clearInterval(timer);
      settle(value);
    };
    const poll = async () => {
      if (done || checking) return;
      checking = true;
      try {
        if (failFast) failFast();
        const value = await check();
        if (done) return;
        if (value) finish(resolvePromise, value);
        else if (Date.now() >= deadline)
          finish(
            rejectPromise,
            new Error(`Timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`),
          );
      } catch (error) {
        if (!done) finish(rejectPromise, error);
      } finally {
        checking = false;
      }
    };
    const timer = setInterval(poll, intervalMs);
    void poll();
  });
}

function install() {
  if (installed) return;
  installed = true;
  const onSignal = (signal, code) => {
    if (exiting) return; // a second signal while cleaning up: the first one finishes the job
    exiting = true;
    console.error(`\n[cleanup] ${signal}: ending the processes this run started`);
    cleanupAll().finally(() => process.exit(code));
  };
  process.on('SIGINT', () => onSignal('SIGINT', 130));
  process.on('SIGTERM', () => onSignal('SIGTERM', 143));
  process.on('SIGHUP', () => onSignal('SIGHUP', 129));
  process.on('exit', () => {
    for (const pid of groups) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
}

/**
 * Runs a command with inherited output (or captured, with `capture: true`), stdin closed.
 * Resolves with { code, output }; rejects only if the command cannot start.
 * The child is tracked so a signal to this process ends it too.
 */
export function runCommand(command, args, { cwd, env, capture = false, echo = true, prefix } = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd,
      env,
      stdio: ['ignore', capture ? 'pipe' : 'inherit', capture ? 'pipe' : 'inherit'],
    });
    let closed = false;
    const whenClosed = new Promise((resolveClosed) => child.on('close', resolveClosed));
    // On a signal, give the child time to end what it started (its own handlers), then force it.
    const untrack = onCleanup(async () => {
      if (closed) return;
      child.kill('SIGTERM');
      const forced = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await whenClosed;
      clearTimeout(forced);
    });
    let output = '';
    const forward = (stream) => (chunk) => {
      const text = chunk.toString();
      output += text;
      if (echo) stream.write(prefix ? text.replace(/^(?=.)/gm, prefix) : text);
    };
    if (capture) {
      child.stdout.on('data', forward(process.stdout));
      child.stderr.on('data', forward(process.stderr));
    }
    child.on('error', (error) => {
      untrack();
      reject(error);
    });
    child.on('close', (code, signal) => {
      closed = true;
      untrack();
      resolvePromise({ code: code ?? (signal ? 1 : 0), signal, output });
    });
  });
}
