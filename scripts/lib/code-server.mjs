// Starts code-server (real VS Code 1.139.1) from the provisioned cache, isolated in a temp folder,
// in its own process group, and ends the whole group when done.
import { spawn } from 'node:child_process';
import {
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killGroup, onCleanup, once, runCommand, trackGroup, waitFor } from './processes.mjs';
import { node24Env, provision } from './provision.mjs';

/** Settings for a quiet, deterministic workbench. Callers may add or override. */
export const DEFAULT_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'git.autoRepositoryDetection': false,
  'github.gitAuthentication': false,
  'npm.autoDetect': 'off',
  'typescript.tsc.autoDetect': 'off',
  'files.autoSave': 'off',
  'editor.codeLens': true,
  'security.workspace.trust.startupPrompt': 'never',
  // The fake Clerk servers and the tests' own servers listen on loopback: without this, the workbench
  // keeps scanning for them and lists them as forwarded ports (a count in the status bar and the panel).
  'remote.autoForwardPorts': false,
  // Even with the above off, the extension host looks for new listening ports every few seconds by
  // reading every process's entry in /proc (0.04 of a core per idle workbench here, more with the
  // hundreds of processes of a test run); "output" finds them in terminal output instead.
  'remote.autoForwardPortsSource': 'output',
  // A blinking cursor repaints twice a second for as long as an editor has the focus.
  'editor.cursorBlinking': 'solid',
  // Opening a .d.ts (typed metadata) would start an npm install of @types packages in the background.
  'typescript.disableAutomaticTypeAcquisition': true,
};

/** True if GET `url` answers 2xx within 2 s. */
export function httpOk(url) {
  return new Promise((resolvePromise) => {
    const request = get(url, { timeout: 2000 }, (response) => {
      response.resume();
      resolvePromise(response.statusCode >= 200 && response.statusCode < 300);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolvePromise(false));
  });
}

export function freePort() {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePromise(port));
    });
  });
}

/** The environment for code-server: ours, minus anything that would make it talk to another VS Code. */
function serverEnv(paths, extra) {
  const env = node24Env(paths);
  for (const key of Object.keys(env)) {
    if (key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE' || key.startsWith('CODE_SERVER_'))
      delete env[key];
  }
  return { ...env, ...extra };
}

function tail(file, lines = 60) {
  if (!file || !existsSync(file)) return '';
  return (
    readFileSync(file, 'utf8')
      .split('\n')
      // The extension host lists every extension path when tests require('vscode'): not useful here.
      .filter((line) => !/^\tfile:\/\/.* -> /.test(line) && line.trim() !== '')
      .slice(-lines)
      .join('\n')
  );
}

function findFiles(dir, test, found = []) {
  if (!existsSync(dir)) return found;
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) findFiles(full, test, found);
    else if (test(entry)) found.push(full);
  }
  return found;
}

/**
 * Extensions dirs with these VSIXes installed, by the VSIXes' paths, sizes and times: one install per
 * process.
 */
const templates = new Map();

/**
 * A temp extensions dir with `vsixes` installed the way users install them (`--install-extension`),
 * once per set of VSIX files as they are now; removed when this process cleans up. Each server gets
 * a copy (installing takes a second or more each time; copying a few milliseconds).
 */
function installedTemplate(paths, vsixes, env) {
  const key = JSON.stringify(vsixes.map((file) => [file, statSync(file).size, statSync(file).mtimeMs]));
  if (!templates.has(key)) {
    const install = (async () => {
      const root = mkdtempSync(join(tmpdir(), 'clerk-uu-extensions-'));
      onCleanup(() => rmSync(root, { recursive: true, force: true }));
      const dir = join(root, 'extensions');
      const started = Date.now();
      const args = [
        paths.entry,
        '--config',
        join(root, 'config.yaml'),
        '--user-data-dir',
        join(root, 'user-data'),
        '--extensions-dir',
        dir,
        ...vsixes.flatMap((v) => ['--install-extension', v]),
      ];
      const result = await runCommand(paths.node, args, { env, capture: true, echo: false });
      if (result.code !== 0)
        throw new Error(`code-server --install-extension failed (${result.code}):\n${result.output}`);
      console.log(
        `[code-server] installed ${vsixes.length} extension(s) in ${Date.now() - started} ms (copied for each server)`,
      );
      return dir;
    })();
    templates.set(key, install);
    // A failed install is not reused: the next server tries again and reports its own error.
    install.catch(() => templates.delete(key));
  }
  return templates.get(key);
}

/** Copies an installed extensions dir; its extensions.json names each extension by its absolute location. */
function copyExtensions(template, extensionsDir) {
  cpSync(template, extensionsDir, { recursive: true });
  const manifest = join(extensionsDir, 'extensions.json');
  const installed = JSON.parse(readFileSync(manifest, 'utf8'));
  for (const extension of installed) {
    const location = join(extensionsDir, extension.relativeLocation);
    extension.location = {
      $mid: 1,
      fsPath: location,
      external: `file://${location}`,
      path: location,
      scheme: 'file',
    };
  }
  writeFileSync(manifest, JSON.stringify(installed));
}

/**
 * Starts code-server.
 * @param {object} options
 * @param {string[]} [options.vsixes]   VSIX files to install first (`--install-extension`)
 * @param {Record<string,string>} [options.env]  extra environment, seen by the extension host
 * @param {boolean} [options.trust]     true keeps Workspace Trust on (the folder starts untrusted)
 * @param {object} [options.settings]   user settings added to DEFAULT_SETTINGS
 * @param {boolean} [options.keep]      keep the temp folder (logs) after stop()
 * @param {number} [options.port]       port on 127.0.0.1 (default: a free one)
 * @returns {Promise<{ url: string, port: number, pid: number, root: string, userDataDir: string,
 *   extensionsDir: string, logFile: string, workbenchUrl(folder?: string): string,
 *   logTail(lines?: number): string, whenExited: Promise<object>, stop(): Promise<void> }>}
 */
export async function startCodeServer({
  vsixes = [],
  env = {},
  trust = false,
  settings = {},
  keep = false,
  paths,
  port: wantedPort,
} = {}) {
  paths ??= await provision();
  const root = mkdtempSync(join(tmpdir(), 'clerk-uu-code-server-'));
  const userDataDir = join(root, 'user-data');
  const extensionsDir = join(root, 'extensions');
  const configFile = join(root, 'config.yaml');
  const logFile = join(root, 'code-server.log');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(
    join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...DEFAULT_SETTINGS, 'security.workspace.trust.enabled': trust, ...settings }, null, 2),
  );
  const port = wantedPort ?? (await freePort());
  writeFileSync(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const common = ['--config', configFile, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  const childEnv = serverEnv(paths, env);
  let removeTemp = () => {
    if (!keep) rmSync(root, { recursive: true, force: true });
  };

  if (vsixes.length) {
    try {
      copyExtensions(await installedTemplate(paths, vsixes, childEnv), extensionsDir);
    } catch (error) {
      removeTemp();
      throw error;
    }
  }

  const args = [
    paths.entry,
    ...common,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    ...(trust ? [] : ['--disable-workspace-trust']),
  ];
  const log = openSync(logFile, 'a');
  const child = spawn(paths.node, args, { env: childEnv, detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  const untrack = trackGroup(child.pid);
  let exited = null;
  const whenExited = new Promise((resolveExit) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      resolveExit(exited);
    });
  });

  const stop = once(async () => {
    await killGroup(child.pid);
    untrack();
    unregister();
    removeTemp();
  });
  const unregister = onCleanup(stop);

  const url = `http://127.0.0.1:${port}`;
  const server = {
    url,
    port,
    pid: child.pid,
    root,
    userDataDir,
    extensionsDir,
    logFile,
    /** The workbench URL, opening `folder` (an absolute path) if given. */
    workbenchUrl: (folder) => (folder ? `${url}/?folder=${encodeURIComponent(folder)}` : `${url}/`),
    /** The tail of code-server's own log and of the extension host logs. */
    logTail(lines = 60) {
      const parts = [`--- ${logFile}\n${tail(logFile, lines)}`];
      for (const file of findFiles(join(userDataDir, 'logs'), (name) =>
        /exthost|remoteagent|extensionHost/i.test(name),
      )) {
        parts.push(`--- ${file}\n${tail(file, lines)}`);
      }
      return parts.join('\n');
    },
    /** Keep the temp folder after stop(), e.g. to read logs after a failure. */
    keepTemp() {
      removeTemp = () => {};
    },
    /** Resolves with { code, signal } when the main code-server process exits. */
    whenExited,
    stop,
  };

  const started = Date.now();
  try {
    await waitFor(
      async () => {
        return httpOk(`${url}/healthz`);
      },
      {
        timeoutMs: 60_000,
        what: `code-server on ${url}`,
        failFast: () => {
          if (exited) throw new Error(`code-server exited early (${exited.signal ?? exited.code})`);
        },
      },
    );
  } catch (error) {
    console.error(server.logTail());
    await stop();
    throw error;
  }
  console.log(
    `[code-server] ready on ${url} in ${Date.now() - started} ms (pid ${child.pid}, logs in ${root})`,
  );
  return server;
}
