// Entry of the bulk measurements' child process (started by bench/run.mjs): one CLI command in process, as
// `node dist/cli.js COMMAND ARGS…` runs it, with its output discarded:
// node bulk-child.js ROWS COMMAND ARGS… (validate, send, pull or undo; CLERK_SECRET_KEY from the environment)
// Prints one JSON line: the exit status, wall and CPU time, and how far the resident set grew above what it
// was
// before the command (process.resourceUsage().maxRSS).
import type { Command } from '../src/cli/io';
import { runPull } from '../src/cli/pull/pull';
import { runSend } from '../src/cli/send/send';
import { runUndo } from '../src/cli/bulk/undoRun';
import { runValidate } from '../src/cli/validate';

const COMMANDS: Record<string, Command> = {
  validate: runValidate,
  send: runSend,
  pull: runPull,
  undo: runUndo,
};
const [rowsArg, name, ...args] = process.argv.slice(2);
const rows = Number(rowsArg);
const command = COMMANDS[name];
if (!command) throw new Error(`bulk-child: unknown command ${name}`);
const rssBefore = process.memoryUsage().rss;
const cpuBefore = process.cpuUsage();
const started = performance.now();
let printed = 0;
let errors = '';
command(args, {
  stdout: (text) => (printed += text.length),
  stderr: (text) => {
    printed += text.length;
    if (errors.length < 4000) errors += text;
  },
  env: process.env,
  cwd: process.cwd(),
  stdinIsTTY: false,
  confirm: async () => false,
}).then((code) => {
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const maxRss = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(
    JSON.stringify({
      code,
      rows,
      wall_ms: wallMs,
      cpu_ms: (cpu.user + cpu.system) / 1000,
      rss_before_mb: rssBefore / 2 ** 20,
      rss_growth_mb: (maxRss - rssBefore) / 2 ** 20,
      printed,
      errors: code === 0 ? undefined : errors,
    }) + '\n',
  );
});
