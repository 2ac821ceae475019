// The default (smaller) property-based run in `npm test`; `npm run test:fuzz` runs the same properties
// on 20,000+ documents (test/fuzz). FUZZ_SEED=<n> picks another seed.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { bundle } from '../../support/dist';
import { analyzeDocument } from '../../../src/core/analyze';
import { API_VERSIONS } from '../../../src/core/versions';
import { checkSpawnedValidate, documents, fuzzPipelineAndValidate, FUZZ_SEED } from '../../fuzz/properties';
import { position } from './helpers';

const RUNS = 1500;

let dir = '';
before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cuu-fuzz-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test(
  `bad input: ${RUNS} generated documents through the pipeline and validate (seed ${FUZZ_SEED})`,
  { timeout: 10 * 60_000 },
  async () => {
    const { pipeline } = await fuzzPipelineAndValidate(RUNS, path.join(dir, 'fuzz.userupdate.json'));
    assert.ok(pipeline.cases >= RUNS);
    assert.ok(
      pipeline.errorFree > RUNS / 20,
      `only ${pipeline.errorFree} error-free documents: the generators drifted`,
    );
  },
);

test(
  `bad input: node cli.js validate spawned on generated documents (seed ${FUZZ_SEED})`,
  { timeout: 5 * 60_000 },
  async () => {
    const cli = bundle('cli.js');
    assert.ok(checkSpawnedValidate(cli, dir, fc.sample(documents, { seed: FUZZ_SEED, numRuns: 12 })) >= 1);
  },
);

function check(text: string): void {
  for (const version of [API_VERSIONS[0], API_VERSIONS[API_VERSIONS.length - 1]]) {
    const a = analyzeDocument(text, { defaultApiVersion: version });
    let previous = -1;
    for (const d of a.diagnostics) {
      assert.ok(d.offset >= 0 && d.offset + d.length <= text.length, `${d.code} out of bounds`);
      assert.ok(d.offset >= previous, 'sorted by offset');
      previous = d.offset;
      assert.deepEqual(d.range, {
        start: position(text, d.offset),
        end: position(text, d.offset + d.length),
      });
    }
    // Strictness matches JSON.parse (which ignores duplicate keys, which we report).
    const strictError = a.diagnostics.some((d) => d.owner === 'syntax' && d.code !== 'duplicate-key');
    let parses = true;
    try {
      JSON.parse(text);
    } catch {
      parses = false;
    }
    const empty = a.diagnostics.some((d) => d.code === 'empty-file');
    assert.equal(
      strictError || empty,
      !parses,
      `syntax verdict differs from JSON.parse for ${JSON.stringify(text)}`,
    );
  }
}

const FIELDS = [
  'first_name',
  'password',
  'password_digest',
  'password_hasher',
  'locale',
  'username',
  'public_metadata',
  'create_organizations_limit',
  '$api_version',
  '$user_id',
  'created_at',
  'backup_codes',
];

test('never throws; ranges are exact; syntax verdict agrees with JSON.parse', () => {
  const jsonText = fc.oneof(
    fc.json(),
    fc.dictionary(fc.constantFrom(...FIELDS), fc.jsonValue()).map((o) => JSON.stringify(o, null, 2)),
  );
  const mutated = fc
    .tuple(
      jsonText,
      fc.nat(),
      fc.nat(),
      fc.constantFrom(
        '',
        ',',
        '}',
        ']',
        '"',
        '//',
        '/*',
        '\\',
        ':',
        ' ',
        '\n',
        '1e400',
        '\u0000',
        '\uFEFF',
        'tru',
        '-',
        '.',
      ),
    )
    .map(([t, a, b, s]) => {
      const i = t.length === 0 ? 0 : a % t.length;
      const j = Math.min(t.length, i + (b % 4));
      return t.slice(0, i) + s + t.slice(j);
    });
  fc.assert(
    fc.property(fc.oneof(jsonText, mutated, fc.string(), fc.string({ unit: 'binary' })), (text) =>
      check(text),
    ),
    { numRuns: 3000, seed: FUZZ_SEED },
  );
});
