// `npm start`: the whole product on this machine, without a Clerk account.
//   1. builds and packages the extension (dist/clerk-user-update.vsix);
//   2. starts the fake Clerk in this process, seeded with the demo users (Ada Lovelace, Grace
//      Hopper, Alan Turing, Katherine Johnson, and a user without a name) and 1,000 generated ones,
//      with Clerk's instance-wide rate limits on (src/fake/demo.ts);
//   3. starts code-server (a real VS Code) with the VSIX installed, user settings with an
//      environment "Demo" pointing at the fake, and the fake's test key as CLERK_SECRET_KEY
//      (the status bar says "Clerk: Demo (CLERK_SECRET_KEY)");
//   4. prints the URL that opens a temp copy of samples/workspace, then waits.
// Ctrl+C (SIGINT), SIGTERM or SIGHUP ends everything it started: code-server's whole process
// group (extension host and other children), the fake, and the temp folders; so does the end of
// its parent process (a signal to `npm` alone). It never reads stdin. If code-server exits on its own, the
// demo stops too (exit status 1).
//
// Env: CLERK_UU_PORT    workbench port (default 8080 if free, else any free one; 0 = any free one)
//      CLERK_UU_FAKE_PORT  fake Clerk port (default any free one)
//      CLERK_UU_SKIP_BUILD=1  reuse dist/ as it is
import { createServer } from 'node:net';
import { buildAll } from './lib/build.mjs';
import { DEMO_ENVIRONMENT, describeUsers, portFromEnv, startDemo, stopWhenOrphaned } from './lib/demo.mjs';
import { cleanupAll, isExiting } from './lib/processes.mjs';
import { provision } from './lib/provision.mjs';

const DEFAULT_PORT = 8080;

function portFree(port) {
  return new Promise((resolvePromise) => {
    const server = createServer();
    server.once('error', () => resolvePromise(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolvePromise(true)));
  });
}

async function main() {
  const started = Date.now();
  stopWhenOrphaned();
  const paths = await provision();
  const { vsix } = await buildAll({ tests: false, runner: false });
  if (isExiting()) return 0;

  const wanted = portFromEnv('CLERK_UU_PORT', DEFAULT_PORT);
  const port = wanted !== 0 && (await portFree(wanted)) ? wanted : undefined;
  const { fake, server, workspace, url } = await startDemo({ vsix, port, paths });
  if (isExiting()) return 0;

  const users = [...fake.users.values()];
  const ada = users.find((u) => u.first_name === 'Ada');
  const lines = [
    'Clerk User Update demo',
    `  Open:           ${url}`,
    `  Workspace:      ${workspace} (a copy of samples/workspace)`,
    `  Fake Clerk:     ${fake.url} (environment "${DEMO_ENVIRONMENT}", test key in CLERK_SECRET_KEY)`,
    `  Users:          ${describeUsers(users)}`,
    `  Rate limits:    Clerk's instance-wide limits (100 requests per 10 s with the test key): a bulk run shows its pacing`,
    ...(ada ? [`  Inspect a user: curl ${fake.url}/__fake/users/${ada.id}`] : []),
    `  Ready in ${((Date.now() - started) / 1000).toFixed(1)} s. Press Ctrl+C to stop everything.`,
  ];
  console.log(`\n${lines.join('\n')}\n`);

  const exit = await server.whenExited;
  if (isExiting()) return 0; // Ctrl+C: the signal handler is ending everything
  console.error(`[demo] code-server exited on its own (${exit.signal ?? exit.code}); stopping.`);
  console.error(server.logTail(30));
  return 1;
}

main()
  .then(async (code) => {
    await cleanupAll();
    process.exit(code);
  })
  .catch(async (error) => {
    if (!isExiting()) console.error(`[demo] ${error?.stack ?? error}`);
    await cleanupAll();
    process.exit(1);
  });
