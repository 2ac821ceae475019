// npm run test:fuzz: the bad-input properties (test/fuzz/properties.ts) on at least 20,000 generated
// documents, through the diagnostics pipeline and `validate` (in process, and spawned on a sample).
// FUZZ_SEED=<n> picks another seed; FUZZ_RUNS=<n> another number of documents.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { bundle } from '../support/dist';
import { checkSpawnedValidate, documents, fuzzPipelineAndValidate, FUZZ_SEED, LIMIT_MS } from './properties';

const RUNS = Number(process.env.FUZZ_RUNS ?? 20_000);

let dir = '';
before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'clerk-uu-fuzz-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test(
  `${RUNS} generated documents through the pipeline and validate (seed ${FUZZ_SEED})`,
  { timeout: 30 * 60_000 },
  async () => {
    const { pipeline, cli } = await fuzzPipelineAndValidate(RUNS, path.join(dir, 'fuzz.userupdate.json'));
    console.log(
      `# fuzz (seed ${FUZZ_SEED}): ${pipeline.cases} documents, ${pipeline.errorFree} error-free (schema and payload checked); ` +
        `slowest ${pipeline.maxMs.toFixed(1)} ms in the pipeline, ${cli.maxMs.toFixed(1)} ms in validate ` +
        `(${pipeline.overBudget + cli.overBudget} over the ${LIMIT_MS} ms budget, reported only: speed is npm run bench)`,
    );
    console.log(`# slowest in the pipeline: ${pipeline.slowest}\n# slowest in validate: ${cli.slowest}`);
    assert.ok(pipeline.cases >= RUNS);
  },
);

test(
  `node cli.js validate spawned on a sample of generated documents (seed ${FUZZ_SEED})`,
  { timeout: 5 * 60_000 },
  async () => {
    const cli = bundle('cli.js');
    const sample = fc.sample(documents, { seed: FUZZ_SEED, numRuns: 60 });
    const spawned = checkSpawnedValidate(cli, dir, sample);
    console.log(`# spawned validate: ${sample.length} documents in ${spawned} processes`);
    assert.ok(spawned >= 3);
  },
);
