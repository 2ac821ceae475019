import { errorMessage } from '../core/text/format';
/** What a CLI command may touch, passed in so tests can run commands in-process. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
  /** True when standard input is a terminal we may ask on. Never read stdin otherwise. */
  stdinIsTTY: boolean;
  /** Ask a yes/no question on the terminal. Only called when stdinIsTTY. */
  confirm(question: string): Promise<boolean>;
  /** True when standard error is a terminal: progress is a bar redrawn in place there. */
  stderrIsTTY?: boolean;
  /**
   * Call `listener` on each Ctrl+C (SIGINT) until the returned function is called. Absent: Ctrl+C is not
   * caught.
   */
  onInterrupt?(listener: () => void): () => void;
  /** End the process at once with this status (a second Ctrl+C). */
  exit?(code: number): void;
  /** How the CLI was started, for messages that say what to run again (default "clerk-user-update"). */
  invocation?: string;
}

export type Command = (args: string[], io: CliIO) => Promise<number>;

/** Exit statuses shared by every command. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
/** A run stopped by Ctrl+C (128 + SIGINT), as shells report it. */
export const EXIT_INTERRUPTED = 130;

/** Why a file could not be read, in a few words: "no such file", "it is a directory". */
export function describeReadError(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return code ?? errorMessage(error);
}
