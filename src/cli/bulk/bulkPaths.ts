import { isAbsolute, relative, resolve } from 'node:path';
import type { CliIO } from '../io';

/**
 * The journal and the report a command uses: `--journal` and `--report` when given (relative to `cwd`), else
 * the defaults; a dry run reports its plan.
 */
export function chosenPaths(
  defaults: { journal: string; report: string; plan: string },
  flags: { journal?: string; report?: string; dryRun: boolean },
  cwd: string,
): { journalPath: string; reportPath: string } {
  return {
    journalPath: flags.journal ? resolve(cwd, flags.journal) : defaults.journal,
    reportPath: flags.report ? resolve(cwd, flags.report) : flags.dryRun ? defaults.plan : defaults.report,
  };
}

/** The journal and the report (or plan) as messages name them: the flag when one chose them. */
export function outputsNamed(
  flags: { journal?: string; report?: string; dryRun: boolean },
  journalPath: string,
  reportPath: string,
): Array<{ name: string; path: string }> {
  return [
    { name: flags.journal ? '--journal' : 'the journal', path: journalPath },
    { name: flags.report ? '--report' : flags.dryRun ? 'the plan' : 'the report', path: reportPath },
  ];
}

/** A path as it would be typed in `cwd`: relative when it is inside it. */
export function shownPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** An argument as a POSIX shell reads it back. */
export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * The exact command that resumes a run: the same arguments, without `--restart` (which would begin again).
 */
export function resumeCommand(
  io: Pick<CliIO, 'invocation'>,
  command: string,
  args: readonly string[],
): string {
  const kept = args.filter((a) => a !== '--restart');
  return [io.invocation ?? 'clerk-user-update', command, ...kept.map(shellQuote)].join(' ');
}
