// Running the CLI in tests: in process with a capturing CliIO, or spawned as `node <bundle>`.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIO } from '../../src/cli/io';
import { main } from '../../src/cli/main';

export interface CapturedIO {
  io: CliIO;
  stdout(): string;
  stderr(): string;
  /** Forget what was captured so far (for a re-run with the same io). */
  reset(): void;
}

/**
 * The HOME the CLI sees in tests (unless a test gives its own): a folder of this test process, so
 * that the history the CLI records by default (~/.clerk-user-update/history) never lands in the real home.
 */
export const TEST_HOME = mkdtempSync(join(tmpdir(), 'cli-home-'));

/** A CliIO that records what a command prints; stdin is never a terminal unless `tty`. */
export function captureIO(options: {
  cwd: string;
  env?: Record<string, string | undefined>;
  tty?: boolean;
  confirm?: (question: string) => Promise<boolean>;
  onWrite?: (text: string) => void;
}): CapturedIO {
  let out = '';
  let err = '';
  return {
    io: {
      stdout: (t) => {
        out += t;
        options.onWrite?.(t);
      },
      stderr: (t) => {
        err += t;
        options.onWrite?.(t);
      },
      env: { HOME: TEST_HOME, ...options.env },
      cwd: options.cwd,
      stdinIsTTY: options.tty ?? false,
      confirm: options.confirm ?? (async () => false),
    },
    stdout: () => out,
    stderr: () => err,
    reset: () => {
      out = '';
      err = '';
    },
  };
}

/** `main(argv)` in process, in `cwd`, with what it printed. */
export async function runInProcess(
  argv: string[],
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const captured = captureIO({ cwd });
  const code = await main(argv, captured.io);
  return { code, stdout: captured.stdout(), stderr: captured.stderr() };
}

export interface SpawnedRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * `node <cli> …args` with only PATH and `env` in its environment, and stdin a pipe that is never
 * written or closed (the CLI must not wait on it). Killed and rejected after `timeoutMs`.
 */
export function spawnCli(
  cli: string,
  args: string[],
  options: { cwd: string; env?: Record<string, string>; timeoutMs?: number },
): Promise<SpawnedRun> {
  const started = performance.now();
  const timeoutMs = options.timeoutMs ?? 20_000;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: options.cwd,
      env: { PATH: process.env.PATH ?? '', HOME: TEST_HOME, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`cli ${args.join(' ')} did not finish within ${timeoutMs / 1000} s: ${stderr}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
  });
}
