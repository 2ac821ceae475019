// A node:test reporter that writes one JSON line per finished test (not per suite): its title, file,
// state and duration. scripts/run-node-tests.mjs adds it next to the spec reporter, so that
// scripts/test-all.mjs can name the slowest tests of the run.
import { relative } from 'node:path';

export default async function* durations(source) {
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { name, file, details } = event.data;
    if (details?.type === 'suite' || name === file) continue;
    const state = event.type === 'test:pass' ? 'passed' : 'failed';
    yield `${JSON.stringify({ title: name, file: file && relative(process.cwd(), file), state, durationMs: details?.duration_ms })}\n`;
  }
}
