// Entry of the bulk measurement's child process (started by bench/run.mjs): `validate FILE` in process, as
// `node dist/cli.js validate FILE` runs it, with the output discarded. Prints one JSON line: wall and CPU time,
// and how far the resident set grew above what it was before the run (process.resourceUsage().maxRSS).
import { runValidate } from '../src/cli/validate';

const file = process.argv[2];
const rows = Number(process.argv[3]);
const rssBefore = process.memoryUsage().rss;
const cpuBefore = process.cpuUsage();
const started = performance.now();
let printed = 0;
runValidate([file], {
  stdout: (text) => (printed += text.length),
  stderr: () => undefined,
  env: {},
  cwd: process.cwd(),
  stdinIsTTY: false,
  confirm: async () => false,
}).then((code) => {
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const maxRss = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(
    JSON.stringify({ code, rows, wall_ms: wallMs, cpu_ms: (cpu.user + cpu.system) / 1000, rss_before_mb: rssBefore / 2 ** 20, rss_growth_mb: (maxRss - rssBefore) / 2 ** 20, printed }) + '\n',
  );
});
