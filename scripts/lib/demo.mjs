// What `npm start`, `npm run start:desktop` and `npm run screenshots` share: the fake Clerk seeded with the
// demo users, a temp copy of samples/workspace, the user settings of the "Demo" environment, the demo's
// code-server (startDemo), and ending when the parent process goes away.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clearInterval, setInterval } from 'node:timers';
import { REPO } from './build.mjs';
import { startCodeServer } from './code-server.mjs';
import { isExiting, onCleanup } from './processes.mjs';

export const DEMO_ENVIRONMENT = 'Demo';

export function portFromEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`${name} must be a port number (0 for any free one), not "${raw}"`);
  return port;
}

/**
 * A temp copy of samples/workspace in a folder named "samples" (what the Explorer shows); removed at cleanup.
 */
export function copySamples() {
  const parent = mkdtempSync(join(tmpdir(), 'clerk-uu-demo-'));
  onCleanup(() => rmSync(parent, { recursive: true, force: true }));
  const workspace = join(parent, 'samples');
  cpSync(join(REPO, 'samples', 'workspace'), workspace, { recursive: true });
  return workspace;
}

/**
 * Starts the fake Clerk in this process from the bundle (dist/fake-clerk.js; never in the VSIX), as
 * DEMO_FAKE_OPTIONS says (src/fake/demo.ts): the demo users, 1,000 generated ones (the sample bulk
 * files name some of them) and Clerk's instance-wide limits, so that a bulk run shows its pacing.
 * Port from CLERK_UU_FAKE_PORT (default: any free one). Stopped at cleanup.
 * Each request is logged with `log` (default: a line on stdout).
 * Returns { fake, key } where key is the fake's test secret key.
 */
export async function startDemoFake({ log = (line) => console.log(`[fake clerk] ${line}`) } = {}) {
  const { startFakeClerk, FAKE_TEST_KEY, DEMO_FAKE_OPTIONS } = createRequire(import.meta.url)(
    join(REPO, 'dist', 'fake-clerk.js'),
  );
  const fake = await startFakeClerk({
    ...DEMO_FAKE_OPTIONS,
    port: portFromEnv('CLERK_UU_FAKE_PORT', 0),
    host: '127.0.0.1',
    log,
  });
  onCleanup(() => fake.stop());
  return { fake, key: FAKE_TEST_KEY };
}

/**
 * User settings: the "Demo" environment on the fake (the key comes from CLERK_SECRET_KEY), and the look of
 * the README pictures, which are taken in the demo (scripts/screenshots.mjs): the default dark theme, no
 * minimap and no command center, a diff side by side even in a narrow editor.
 */
export function demoSettings(fakeUrl) {
  return {
    'clerkUserUpdate.environments': [{ name: DEMO_ENVIRONMENT, apiUrl: fakeUrl }],
    'workbench.colorTheme': 'Default Dark Modern',
    'editor.minimap.enabled': false,
    'window.commandCenter': false,
    'diffEditor.useInlineViewWhenSpaceIsLimited': false,
  };
}

/**
 * The demo in a browser: the demo fake (startDemoFake), code-server on `port` (default: any free one)
 * with `vsix` installed, the fake's test key in CLERK_SECRET_KEY and demoSettings, and a copy of the
 * samples to open. The sample README opens on start-up: it explains each file. Everything ends at
 * cleanup. `log`: see startDemoFake. Returns { fake, server, workspace, url } (url opens the workspace).
 */
export async function startDemo({ vsix, port, paths, log }) {
  const { fake, key } = await startDemoFake({ log });
  const workspace = copySamples();
  const server = await startCodeServer({
    vsixes: [vsix],
    port,
    paths,
    env: { CLERK_SECRET_KEY: key },
    settings: { ...demoSettings(fake.url), 'workbench.startupEditor': 'readme' },
  });
  return { fake, server, workspace, url: server.workbenchUrl(workspace) };
}

/** "Ada Lovelace", or the id for a user without a name. */
function userLabel(user) {
  return [user.first_name, user.last_name].filter(Boolean).join(' ') || user.id;
}

/** The banner's users: the demo users by name, then how many generated ones. */
export function describeUsers(users) {
  const named = users.slice(0, 5).map(userLabel).join(', ');
  return users.length > 5
    ? `${named} and ${(users.length - 5).toLocaleString('en-US')} generated users`
    : named;
}

/**
 * `npm run …` runs us under npm and `sh -c`. A signal to npm alone (e.g. `kill <npm pid>`) ends
 * npm and the shell but not us: when our parent goes away, stop as if we got SIGHUP.
 */
export function stopWhenOrphaned() {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent && !isExiting()) process.kill(process.pid, 'SIGHUP');
  }, 500);
  timer.unref();
  // Registering a cleanup also installs the SIGINT/SIGTERM/SIGHUP handlers that end everything.
  onCleanup(() => clearInterval(timer));
}
