import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ROOT } from '../../support/dist';
import { FIXTURES, sampleText, sendableSamples, snippet } from './helpers';

/** tsc's exit status and output for a project. */
function tsc(project: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('the @clerk/backend snippets type-check against the SDK', () => {
  const dir = mkdtempSync(join(tmpdir(), 'uu-snippets-tsc-'));
  // The snippets import '@clerk/backend' as a user's project would: from its node_modules.
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  after(() => rmSync(dir, { recursive: true, force: true }));

  /**
   * Each snippet as an ES module (top-level await), compiled strictly against @clerk/backend's published
   * types.
   */
  function project(snippets: Record<string, string>): string {
    const files = Object.entries(snippets).map(([name, text]) => {
      writeFileSync(join(dir, `${name}.mts`), text);
      return `${name}.mts`;
    });
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'node16',
          moduleResolution: 'node16',
          strict: true,
          noEmit: true,
          // Our snippets are checked; the SDK's own declarations are taken as published.
          skipLibCheck: true,
          types: ['node'],
        },
        files,
      }),
    );
    return join(dir, 'tsconfig.json');
  }

  it('for every sample and for a file with every field, secrets and nulls; a wrong name or type fails', async () => {
    const snippets: Record<string, string> = {};
    for (const name of sendableSamples())
      snippets[name.replace(/\.userupdate\.json$/, '').replace(/\W/g, '_')] = snippet('ts', sampleText(name));
    snippets.every_field = snippet(
      'ts',
      readFileSync(join(FIXTURES, 'every-field.userupdate.json'), 'utf8'),
      'http://127.0.0.1:3000',
    );
    // The check has teeth: the same snippet with a snake_case name, and with a number for a string.
    const good = snippets.rename_user;
    snippets.wrong_name = good.replace('firstName:', 'first_name:');
    snippets.wrong_type = good.replace("lastName: 'King'", 'lastName: 1906');
    const result = await tsc(project(snippets));
    const errors = result.output
      .trim()
      .split('\n')
      .map((line) => /([\w-]+)\.mts\(\d+,\d+\): error (TS\d+)/.exec(line)?.slice(1).join(' '));
    assert.deepEqual(errors, ['wrong_name TS2561', 'wrong_type TS2322']);
    assert.match(result.output, /'first_name' does not exist/);
  });
});
