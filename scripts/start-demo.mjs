// `npm start` (placeholder until the demo issue): provisions code-server, packages the
// extension, and serves a real VS Code workbench with the VSIX installed on a sample folder
// (a temp copy of samples/workspace, or of test/fixtures). Prints the URL and runs until Ctrl+C, then ends code-server's
// whole process group. CLERK_UU_PORT picks the port (default: 8080 if free, else any free one).
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAll, REPO } from './lib/build.mjs';
import { freePort, startCodeServer } from './lib/code-server.mjs';
import { cleanupAll, isExiting, onCleanup } from './lib/processes.mjs';
import { provision } from './lib/provision.mjs';

function portFree(port) {
  return new Promise((resolvePromise) => {
    const server = createServer();
    server.once('error', () => resolvePromise(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolvePromise(true)));
  });
}

async function main() {
  const paths = await provision();
  const { vsix } = await buildAll({ tests: false, runner: false });
  const workspace = mkdtempSync(join(tmpdir(), 'clerk-uu-demo-'));
  const sample = [join(REPO, 'samples', 'workspace'), join(REPO, 'test', 'fixtures')].find((dir) => existsSync(dir));
  cpSync(sample, workspace, { recursive: true });
  onCleanup(() => rmSync(workspace, { recursive: true, force: true }));
  const wanted = Number(process.env.CLERK_UU_PORT ?? 8080);
  const port = (await portFree(wanted)) ? wanted : await freePort();
  const server = await startCodeServer({ vsixes: [vsix], port, paths });
  console.log(`\nClerk User Update demo: open ${server.workbenchUrl(workspace)}`);
  console.log('Press Ctrl+C to stop.\n');
  const exit = await server.whenExited;
  if (isExiting()) return 0; // Ctrl+C: the signal handler is ending everything
  console.error(`code-server exited (${exit.signal ?? exit.code})`);
  console.error(server.logTail(30));
  return 1;
}

main()
  .then(async (code) => {
    await cleanupAll();
    process.exit(code);
  })
  .catch(async (error) => {
    console.error(`[start] ${error?.stack ?? error}`);
    await cleanupAll();
    process.exit(1);
  });
