// `npm run start:desktop`: the demo in an installed desktop VS Code instead of the browser.
// Needs `code` on PATH (or CLERK_UU_VSCODE_EXECUTABLE=/path/to/code); without one it says so
// and exits with status 1. Builds the development bundle, starts the fake Clerk as `npm start` does
// (the demo users, 1,000 generated ones, instance-wide limits), and opens a temp copy of samples/workspace in
// a new VS Code window with
// `--extensionDevelopmentPath` (this clone), in a temp profile whose user settings have the
// environment "Demo" on the fake, and the fake's test key as CLERK_SECRET_KEY. Your own VS Code
// profile and extensions are not touched.
// Runs until that window is closed, or until Ctrl+C; then stops the fake and removes the temp
// folders (on Ctrl+C it also ends the VS Code processes it started).
import { spawn } from 'node:child_process';
import {
  accessSync,
  constants,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { REPO } from './lib/build.mjs';
import { DEFAULT_SETTINGS } from './lib/code-server.mjs';
import {
  copySamples,
  DEMO_ENVIRONMENT,
  demoSettings,
  describeUsers,
  startDemoFake,
  stopWhenOrphaned,
} from './lib/demo.mjs';
import { cleanupAll, isExiting, killGroup, onCleanup, runCommand, trackGroup } from './lib/processes.mjs';

/** The desktop VS Code launcher: CLERK_UU_VSCODE_EXECUTABLE, else `code` on PATH. */
function findCode() {
  const explicit = process.env.CLERK_UU_VSCODE_EXECUTABLE;
  if (explicit) return isExecutable(explicit) ? explicit : undefined;
  const names = process.platform === 'win32' ? ['code.cmd', 'code.exe'] : ['code'];
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of names) {
      const candidate = join(dir, name);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

function isExecutable(file) {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Linux: the processes whose command line mentions `marker` (our temp profile), i.e. the VS Code we started.
 */
function processesMentioning(marker) {
  if (process.platform !== 'linux') return [];
  const found = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker)) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

async function main() {
  const code = findCode();
  if (!code) {
    console.error(
      [
        'npm run start:desktop needs a desktop VS Code, and none was found:',
        process.env.CLERK_UU_VSCODE_EXECUTABLE
          ? `  CLERK_UU_VSCODE_EXECUTABLE=${process.env.CLERK_UU_VSCODE_EXECUTABLE} is not an executable file.`
          : '  there is no `code` command on PATH.',
        'Install VS Code (https://code.visualstudio.com) and run "Shell Command: Install \'code\' command in PATH",',
        'or set CLERK_UU_VSCODE_EXECUTABLE=/path/to/code. Without a desktop VS Code, `npm start` runs the same',
        'demo in a real VS Code in your browser.',
      ].join('\n'),
    );
    return 1;
  }
  stopWhenOrphaned();

  const build = await runCommand('npm', ['run', 'build'], { cwd: REPO });
  if (build.code !== 0) throw new Error(`npm run build failed (exit ${build.code})`);
  if (isExiting()) return 0;

  const { fake, key } = await startDemoFake();
  const workspace = copySamples();
  const profile = mkdtempSync(join(tmpdir(), 'clerk-uu-desktop-'));
  const userDataDir = join(profile, 'user-data');
  const extensionsDir = join(profile, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(
    join(userDataDir, 'User', 'settings.json'),
    JSON.stringify(
      {
        ...DEFAULT_SETTINGS,
        'security.workspace.trust.enabled': false,
        'workbench.startupEditor': 'readme',
        ...demoSettings(fake.url),
      },
      null,
      2,
    ),
  );

  const args = [
    '--new-window',
    '--wait',
    `--extensionDevelopmentPath=${REPO}`,
    `--user-data-dir=${userDataDir}`,
    `--extensions-dir=${extensionsDir}`,
    '--disable-workspace-trust',
    workspace,
  ];
  console.log(
    [
      '',
      'Clerk User Update demo in desktop VS Code',
      `  VS Code:    ${code} (a new window, temp profile ${userDataDir})`,
      `  Workspace:  ${workspace} (a copy of samples/workspace)`,
      `  Fake Clerk: ${fake.url} (environment "${DEMO_ENVIRONMENT}", test key in CLERK_SECRET_KEY)`,
      `  Users:      ${describeUsers([...fake.users.values()])}`,
      '  Close the window or press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
  const env = { ...process.env, CLERK_SECRET_KEY: key };
  for (const name of Object.keys(env))
    if (name.startsWith('VSCODE_') || name === 'ELECTRON_RUN_AS_NODE') delete env[name];
  const child = spawn(code, args, {
    env,
    detached: true,
    stdio: ['ignore', 'inherit', 'inherit'],
    shell: process.platform === 'win32',
  });
  const untrack = trackGroup(child.pid);
  const exited = new Promise((resolveExit) =>
    child.on('exit', (status, signal) => resolveExit({ status, signal })),
  );
  child.on('error', (error) => console.error(`[desktop] could not start ${code}: ${error.message}`));
  onCleanup(async () => {
    rmSync(profile, { recursive: true, force: true });
  });
  onCleanup(async () => {
    // The launcher's group, then any VS Code process of our temp profile that left that group.
    await killGroup(child.pid);
    untrack();
    for (const pid of processesMentioning(userDataDir)) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  });

  const { status, signal } = await exited;
  if (isExiting()) return 0;
  console.log(`[desktop] VS Code closed (${signal ?? status}); stopping the fake Clerk.`);
  return status === 0 ? 0 : 1;
}

main()
  .then(async (status) => {
    await cleanupAll();
    process.exit(status);
  })
  .catch(async (error) => {
    if (!isExiting()) console.error(`[desktop] ${error?.stack ?? error}`);
    await cleanupAll();
    process.exit(1);
  });
