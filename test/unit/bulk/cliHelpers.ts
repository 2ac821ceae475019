// The bulk CLI commands in process (`main(argv, io)`), with Ctrl+C and the terminal under the test's control.
import { readFileSync } from 'node:fs';
import type { CliIO } from '../../../src/cli/io';
import { main } from '../../../src/cli/main';
import { captureIO } from '../../support/cli';
import { FAKE_LIVE_KEY, FAKE_TEST_KEY } from '../../support/fake-clerk';

/** Fast enough that pacing never waits in tests (the pacer has its own tests on a fake clock). */
export const FAST = ['--rate', '100000/1s'];

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** The questions asked at the "terminal". */
  asked: string[];
  /** Statuses passed to `io.exit` (a second Ctrl+C). */
  exits: number[];
}

export interface CliOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  /** Standard input is a terminal that answers every question with `answer` (default no). */
  tty?: boolean;
  answer?: boolean;
  /** Standard error is a terminal (the progress bar). */
  stderrTTY?: boolean;
  /** Given a function that presses Ctrl+C, once the command runs. */
  interrupt?: (press: () => void) => void;
}

/** Every output of the CLI in this test process, checked for keys and secrets at the end. */
export const OUTPUTS: string[] = [];

/** `main(argv)` with CLERK_SECRET_KEY set to the fake's test key (unless `env` says otherwise). */
export async function cli(argv: string[], options: CliOptions): Promise<CliRun> {
  const asked: string[] = [];
  const exits: number[] = [];
  const listeners = new Set<() => void>();
  const captured = captureIO({
    cwd: options.cwd,
    env: options.env ?? { CLERK_SECRET_KEY: FAKE_TEST_KEY },
    tty: options.tty,
    confirm: async (question) => {
      asked.push(question);
      return options.answer ?? false;
    },
  });
  const io: CliIO = {
    ...captured.io,
    stderrIsTTY: options.stderrTTY ?? false,
    onInterrupt(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    exit: (code) => void exits.push(code),
  };
  options.interrupt?.(() => {
    for (const l of [...listeners]) l();
  });
  const code = await main(argv, io);
  OUTPUTS.push(captured.stdout(), captured.stderr());
  return { code, stdout: captured.stdout(), stderr: captured.stderr(), asked, exits };
}

/** The JSON lines of a file. */
export function jsonLines(path: string): Array<Record<string, unknown>> {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Fails when a key shows up in any of `texts`. */
export function assertNoKeys(texts: readonly string[], secrets: readonly string[] = []): void {
  for (const text of texts) {
    for (const secret of [FAKE_TEST_KEY, FAKE_LIVE_KEY, ...secrets])
      if (text.includes(secret)) throw new Error(`a secret leaked into: ${text.slice(0, 200)}`);
  }
}
