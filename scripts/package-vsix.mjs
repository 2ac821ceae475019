// Packages dist/clerk-user-update.vsix from the release bundles (`npm run build:release` first).
// vsce reads every file under the folder it packages and matches each against every pattern of
// .vscodeignore: in the repository that is the 4,000 files of .git, out/ and the rest, about 3 s of CPU for
// a VSIX of 28 files. So the files .vscodeignore lets in (its `!` lines) are copied to a staging folder
// first, with .vscodeignore itself, and vsce packages that: the same rules decide, over those files only.
// Usage: node scripts/package-vsix.mjs
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand } from './lib/processes.mjs';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
export const VSIX = join(REPO, 'dist', 'clerk-user-update.vsix');
const VSCE = join(REPO, 'node_modules', '@vscode', 'vsce', 'vsce');

/**
 * What the `!` lines of .vscodeignore let in, as paths relative to the repository: a file, or a folder
 * for `folder/**`. Any other pattern throws, so that an edit this does not understand fails the build
 * instead of leaving a file out of the VSIX.
 */
export function includedPaths(ignoreText) {
  const lines = ignoreText
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  if (lines[0] !== '**')
    throw new Error('.vscodeignore must begin with "**" (everything out, then what is in)');
  return lines.slice(1).map((line) => {
    const path = line.startsWith('!') ? line.slice(1) : undefined;
    const folder = path?.endsWith('/**') ? path.slice(0, -3) : path;
    if (!folder || /[*?[\]{}]/.test(folder))
      throw new Error(
        `.vscodeignore: "${line}" is not "!file" or "!folder/**"; teach scripts/package-vsix.mjs`,
      );
    return folder;
  });
}

/** Stages what the VSIX holds and runs `vsce package` on it; resolves with vsce's output. */
export async function packageVsix({ out = VSIX } = {}) {
  const stage = mkdtempSync(join(tmpdir(), 'clerk-uu-vsix-'));
  try {
    const ignore = readFileSync(join(REPO, '.vscodeignore'), 'utf8');
    for (const path of includedPaths(ignore)) {
      const from = join(REPO, path);
      if (!existsSync(from)) throw new Error(`${path} is missing: run npm run build:release first`);
      cpSync(from, join(stage, path), { recursive: true });
    }
    cpSync(join(REPO, '.vscodeignore'), join(stage, '.vscodeignore'));
    const result = await runCommand(
      process.execPath,
      [VSCE, 'package', '--no-dependencies', '--no-rewrite-relative-links', '--out', out],
      { cwd: stage, capture: true, echo: false },
    );
    if (result.code !== 0) throw new Error(`vsce package failed (exit ${result.code}):\n${result.output}`);
    return result.output;
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    process.stdout.write(await packageVsix());
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
