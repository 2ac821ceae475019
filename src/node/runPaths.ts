// A run's files must be distinct from its input and from each other, and none may be a link to a
// missing file (writing through it would create a file elsewhere): compared after resolving links.
import { lstat, readlink, realpath } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A file of a run, as messages name it ("the input", "--report", "the journal"). */
export interface NamedPath {
  name: string;
  path: string;
}

type Resolved = { real: string } | { danglingTo: string };

/** The real path of `path` (of its folder when it does not exist yet), or the target of a link to nothing. */
async function resolveReal(path: string): Promise<Resolved> {
  try {
    return { real: await realpath(path) };
  } catch {
    const link = await lstat(path).catch(() => undefined);
    if (link?.isSymbolicLink()) return { danglingTo: await readlink(path).catch(() => '?') };
    const folder = await realpath(dirname(path)).catch(() => dirname(path));
    return { real: join(folder, basename(path)) };
  }
}

/**
 * Why the outputs cannot be written (one is the input, two are the same file, or one is a link to
 * a missing file), or undefined when they can. `show` turns a path into what the user typed.
 */
export async function runPathsProblem(
  input: NamedPath | undefined,
  outputs: readonly NamedPath[],
  show: (path: string) => string = (p) => p,
): Promise<string | undefined> {
  const seen: Array<{ named: NamedPath; real: string }> = [];
  if (input) {
    const resolved = await resolveReal(input.path);
    if ('real' in resolved) seen.push({ named: input, real: resolved.real });
  }
  for (const output of outputs) {
    const resolved = await resolveReal(output.path);
    if ('danglingTo' in resolved) {
      return `${output.name} (${show(output.path)}) is a symbolic link to '${resolved.danglingTo}', which does not exist: writing it would create a file elsewhere. Give the path of a file, not of a link.`;
    }
    const same = seen.find((s) => s.real === resolved.real);
    if (same) {
      return `${output.name} (${show(output.path)}) is the same file as ${same.named.name} (${show(same.named.path)}): writing it would overwrite it. Choose another path.`;
    }
    seen.push({ named: output, real: resolved.real });
  }
  return undefined;
}
