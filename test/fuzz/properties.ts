// Property-based checks of the diagnostics pipeline and `validate` on generated documents
// (bad input never crashes them). Shared by the heavy run (test/fuzz/*.test.ts, `npm run test:fuzz`) and the
// smaller default
// run in `npm test` (test/unit/authoring/fuzz.test.ts). Documents come from fast-check's arbitraries only.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import Ajv, { type ValidateFunction } from 'ajv';
import fc from 'fast-check';
import { analyzeDocument, type Analysis } from '../../src/core/analyze';
import { captureIO } from '../support/cli';
import { main } from '../../src/cli/main';
import { planRequests } from '../../src/core/payload/plan';
import {
  API_VERSIONS,
  METADATA_FIELDS,
  metadataSentSeparately,
  type ApiVersion,
} from '../../src/core/versions';

export const ROOT = path.resolve(__dirname, '..', '..', '..');

/** The seed of every run: fixed, so failures reproduce; FUZZ_SEED=<n> picks another. */
export const FUZZ_SEED =
  process.env.FUZZ_SEED !== undefined && process.env.FUZZ_SEED !== ''
    ? Number(process.env.FUZZ_SEED)
    : 20_261_127;

/**
 * The time budget of one document (analysis and request plan; `validate` separately). Reported, never
 * asserted: a test asserts no duration (on a shared machine it would flake); speed is `npm run bench`.
 */
export const LIMIT_MS = 100;

// ------------------------------------------------------------------------------------------------
// Documents.

const HASHERS = ['bcrypt', 'argon2id', 'pbkdf2_sha256', 'scrypt_firebase', 'md5'];

/** Code units that tend to break things: controls, separators, surrogate halves, BOM, quotes, escapes. */
const ODD_UNITS = [
  '\u0000',
  '\u0007',
  '\u001f',
  '\u007f',
  '\u0085',
  '\u00a0',
  '\u2028',
  '\u2029',
  '\ud800',
  '\udbff',
  '\udc00',
  '\udfff',
  '\ufeff',
  '\ufffd',
  '\u200b',
  '\u202e',
  '"',
  '\\',
  '/',
  'é',
  'ß',
  '😀',
  '👩‍👩‍👧',
  '\r',
  '\n',
  '\t',
];

/** Strings of every kind: ASCII, any code point, graphemes, and odd code units (lone surrogates included). */
export const oddString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: fc.constantFrom(...ODD_UNITS) }),
);

const nullable = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.option(arb, { nil: null, freq: 4 });
const orAnything = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
  fc.oneof({ arbitrary: arb, weight: 6 }, { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 });

const metadata = fc.dictionary(oddString, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 8 });

/** Every field of the user update (plus the reserved keys), each mostly with values of its own type. */
const FIELD_VALUES: Record<string, fc.Arbitrary<unknown>> = {
  $schema: orAnything(fc.constant('https://clerk-user-update.local/schemas/userupdate.schema.json')),
  $user_id: orAnything(
    fc.oneof(
      fc.string({ unit: 'grapheme-ascii', minLength: 1 }).map((s) => `user_${s}`),
      oddString,
    ),
  ),
  $api_version: orAnything(
    fc.oneof({ arbitrary: fc.constantFrom(...API_VERSIONS), weight: 5 }, { arbitrary: oddString, weight: 1 }),
  ),
  external_id: orAnything(nullable(oddString)),
  first_name: orAnything(nullable(oddString)),
  last_name: orAnything(nullable(oddString)),
  locale: orAnything(
    nullable(fc.oneof(fc.constantFrom('en-US', 'fr-FR', 'zh-Hant-TW', 'en_US', 'english'), oddString)),
  ),
  primary_email_address_id: orAnything(
    nullable(
      fc.oneof(
        fc.string().map((s) => `idn_${s}`),
        oddString,
      ),
    ),
  ),
  notify_primary_email_address_changed: orAnything(nullable(fc.boolean())),
  username: orAnything(nullable(oddString)),
  password: orAnything(nullable(fc.oneof(fc.string({ minLength: 8 }), oddString))),
  password_digest: orAnything(oddString),
  password_hasher: orAnything(fc.oneof(fc.constantFrom(...HASHERS), oddString)),
  skip_password_checks: orAnything(nullable(fc.boolean())),
  sign_out_of_other_sessions: orAnything(nullable(fc.boolean())),
  totp_secret: orAnything(nullable(oddString)),
  backup_codes: orAnything(fc.array(oddString, { maxLength: 5 })),
  public_metadata: orAnything(nullable(metadata)),
  private_metadata: orAnything(nullable(metadata)),
  unsafe_metadata: orAnything(nullable(metadata)),
  delete_self_enabled: orAnything(nullable(fc.boolean())),
  create_organization_enabled: orAnything(nullable(fc.boolean())),
  create_organizations_limit: orAnything(
    nullable(fc.oneof(fc.integer(), fc.double(), fc.bigInt().map(Number))),
  ),
  legal_accepted_at: orAnything(
    nullable(
      fc.oneof(
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        oddString,
      ),
    ),
  ),
  skip_legal_checks: orAnything(nullable(fc.boolean())),
  created_at: orAnything(
    nullable(
      fc.oneof(
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        oddString,
      ),
    ),
  ),
  bypass_client_trust: orAnything(nullable(fc.boolean())),
};

/** Any mix of fields, mostly well typed, sometimes with unknown keys of any kind. */
const anyPayload = fc
  .tuple(
    fc.record(FIELD_VALUES, { requiredKeys: [] }),
    fc.option(fc.dictionary(oddString, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }), { freq: 4 }),
  )
  .map(([fields, extra]) => (extra ? { ...extra, ...fields } : fields));

const isoDate = fc
  .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());
const smallMetadata = fc.dictionary(oddString, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 });

/**
 * Payloads the pipeline should accept: every value of its field's type, within the checks beyond the spec.
 */
const validPayload = fc
  .tuple(
    fc.record(
      {
        $user_id: fc.string({ unit: 'grapheme-ascii', minLength: 1 }).map((s) => `user_${s}`),
        $api_version: fc.constantFrom(...API_VERSIONS),
        external_id: nullable(oddString),
        first_name: nullable(oddString),
        last_name: nullable(oddString),
        locale: nullable(fc.constantFrom('en', 'en-US', 'fr-FR', 'zh-Hant-TW', 'es-419')),
        primary_email_address_id: fc.string({ unit: 'grapheme-ascii' }).map((s) => `idn_${s}`),
        notify_primary_email_address_changed: nullable(fc.boolean()),
        username: fc.string({ minLength: 1 }),
        totp_secret: nullable(oddString),
        backup_codes: fc.array(oddString, { maxLength: 4 }),
        public_metadata: smallMetadata,
        private_metadata: smallMetadata,
        unsafe_metadata: smallMetadata,
        delete_self_enabled: nullable(fc.boolean()),
        create_organization_enabled: nullable(fc.boolean()),
        create_organizations_limit: nullable(fc.nat()),
        legal_accepted_at: nullable(isoDate),
        skip_legal_checks: nullable(fc.boolean()),
        created_at: nullable(isoDate),
        bypass_client_trust: nullable(fc.boolean()),
      },
      { requiredKeys: [] },
    ),
    fc.oneof(
      fc.constant({}),
      fc.record(
        {
          password: fc.string({ unit: 'grapheme', minLength: 8 }),
          skip_password_checks: fc.boolean(),
          sign_out_of_other_sessions: fc.boolean(),
        },
        { requiredKeys: ['password'] },
      ),
      fc.record({ password_digest: oddString, password_hasher: fc.constantFrom(...HASHERS) }),
    ),
  )
  .map(([fields, password]) => ({ ...fields, ...password }));

/** A payload: mostly one the pipeline should accept, otherwise any mix of fields. */
export const payloadObject = fc.oneof(
  { arbitrary: validPayload, weight: 3 },
  { arbitrary: anyPayload, weight: 2 },
);

/** A payload as a file: any indentation, sometimes CRLF line ends or a BOM. */
export const payloadText = fc
  .tuple(
    payloadObject,
    fc.constantFrom<number | string>(0, 2, 4, '\t'),
    fc.constantFrom('', '', '', 'crlf', 'bom', 'trailing-newline'),
  )
  .map(([object, indent, variant]) => {
    const text = JSON.stringify(object, null, indent);
    if (variant === 'crlf') return text.replace(/\n/g, '\r\n');
    if (variant === 'bom') return '\ufeff' + text;
    if (variant === 'trailing-newline') return text + '\n';
    return text;
  });

/** Tokens to splice into valid payloads. */
const TOKENS = [
  '',
  ',',
  ':',
  '{',
  '}',
  '[',
  ']',
  '"',
  '\\',
  '//',
  '/*',
  '*/',
  '\n',
  ' ',
  'true',
  'tru',
  'null',
  'nul',
  '-',
  '.',
  '0',
  '01',
  '1e400',
  '-1e-400',
  '1.',
  '.5',
  '+1',
  '\u0000',
  '\ufeff',
  '\ud800',
  "'",
  '`',
  '"$user_id": ',
  '"public_metadata": null',
  '"first_name": 1,',
  ',}',
  ',]',
  // Keys spelled with escapes: the same keys once decoded.
  '"$user\\u005fid": "user_x", ',
  '"first\\u005fname": "A", ',
  '"public\\u005fmetadata": {"a": 1}, ',
  '"\\u0024api_version": "2024-10-01", ',
  '"last_name": "\\ud83d\\ude00", ',
];

/** Valid payloads with a few edits: characters inserted, removed or replaced at random places. */
export const mutatedPayload = fc
  .tuple(
    payloadText,
    fc.array(fc.tuple(fc.nat(), fc.nat({ max: 6 }), fc.oneof(fc.constantFrom(...TOKENS), oddString)), {
      minLength: 1,
      maxLength: 4,
    }),
  )
  .map(([text, edits]) => {
    let out = text;
    for (const [at, remove, insert] of edits) {
      const i = out.length === 0 ? 0 : at % (out.length + 1);
      out = out.slice(0, i) + insert + out.slice(i + remove);
    }
    return out;
  });

/** Valid payloads cut anywhere (a file saved while typing, a partial write). */
export const truncatedPayload = fc
  .tuple(payloadText, fc.nat())
  .map(([text, at]) => text.slice(0, at % (text.length + 1)));

/**
 * Strings of up to 1 M characters (up to 4 MB of UTF-8; Clerk takes request bodies up to 1 MiB), in keys,
 * values and metadata, terminated or not. (At 2 M non-ASCII characters, Node's UTF-8 decoding of the file
 * alone takes about 30 ms of `validate`'s time here.)
 */
export const hugeStrings = fc
  .tuple(
    fc.string({
      unit: fc.constantFrom('x', 'é', '😀', '\\n', '"', ' ', '\u0000'),
      minLength: 1,
      maxLength: 3,
    }),
    fc.integer({ min: 10_000, max: 1_000_000 }),
    fc.constantFrom('value', 'key', 'metadata', 'unterminated', 'number'),
  )
  .map(([unit, size, where]) => {
    const big = unit.repeat(Math.ceil(size / unit.length));
    switch (where) {
      case 'value':
        return `{"first_name": "${big}"}`;
      case 'key':
        return `{"${big}": 1}`;
      case 'metadata':
        return `{"$api_version": "2026-05-12", "private_metadata": {"blob": "${big}"}}`;
      case 'number':
        return `{"create_organizations_limit": ${'9'.repeat(size)}}`;
      default:
        return `{"first_name": "${big}`;
    }
  });

/** Nesting up to beyond the 10,000 levels Clerk accepts, closed or not, at the root or in metadata. */
export const deepNesting = fc
  .tuple(
    fc.array(fc.constantFrom('[', '{"a":', '{"":'), { minLength: 1, maxLength: 3 }),
    fc.integer({ min: 1, max: 11_000 }),
    fc.constantFrom('root', 'metadata', 'field'),
    fc.boolean(),
  )
  .map(([pattern, depth, where, closed]) => {
    let open = '';
    let close = '';
    for (let i = 0; i < depth; i++) {
      const o = pattern[i % pattern.length];
      open += o;
      close = (o === '[' ? ']' : '}') + close;
    }
    const inner = open + '1' + (closed ? close : '');
    if (where === 'root') return inner;
    if (where === 'field') return `{"first_name": ${inner}${closed ? '}' : ''}`;
    return `{"public_metadata": ${inner}${closed ? '}' : ''}`;
  });

/** Random JSON and random text. */
export const randomJson = fc.oneof(
  fc.json(),
  fc.json({ stringUnit: 'binary' }),
  fc.jsonValue().map((v) => JSON.stringify(v, null, 2)),
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: fc.constantFrom(...ODD_UNITS, '{', '}', '[', ']', ':', ',', '1', 'e') }),
);

/** Every kind of document, with the API version the setting (or --api-version) would give. */
export const documents = fc.tuple(
  fc.oneof(
    { arbitrary: randomJson, weight: 3 },
    { arbitrary: payloadText, weight: 4 },
    { arbitrary: mutatedPayload, weight: 4 },
    { arbitrary: truncatedPayload, weight: 3 },
    { arbitrary: hugeStrings, weight: 1 },
    { arbitrary: deepNesting, weight: 1 },
  ),
  fc.constantFrom(...API_VERSIONS),
);

// ------------------------------------------------------------------------------------------------
// Properties.

export interface FuzzStats {
  /** Documents checked. */
  cases: number;
  /** Documents the pipeline called error-free (the schema and payload properties were checked on them). */
  errorFree: number;
  /** The slowest document (analysis and request plan, or `validate`), ms. */
  maxMs: number;
  /** Documents that took longer than LIMIT_MS (reported, not a failure). */
  overBudget: number;
  /** What the slowest document was (clipped). */
  slowest: string;
}

export function newStats(): FuzzStats {
  return { cases: 0, errorFree: 0, maxMs: 0, overBudget: 0, slowest: '' };
}

/** The 0-based position of `offset`, computed independently of the core. */
function position(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let start = 0;
  for (let i = 0; i < offset; i++) {
    const c = text.charCodeAt(i);
    // \n, \r and \r\n (which ends at its \n) break lines.
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      start = i + 1;
    }
  }
  return { line, character: offset - start };
}

/** The value of a syntax tree node, as JSON.parse builds it (own `__proto__` keys included); no recursion. */
function treeValue(root: JsonNodeLike): unknown {
  let result: unknown;
  const tasks: Array<{ node: JsonNodeLike; set: (value: unknown) => void }> = [
    { node: root, set: (v) => (result = v) },
  ];
  for (let task = tasks.pop(); task; task = tasks.pop()) {
    const { node, set } = task;
    if (node.type === 'object') {
      const out: Record<string, unknown> = {};
      set(out);
      const last = new Map<string, JsonNodeLike>(); // the last occurrence of a key wins, as in JSON.parse
      for (const prop of node.children ?? []) {
        const [key, value] = prop.children ?? [];
        if (key && value) last.set(key.value as string, value);
      }
      for (const [key, value] of last) {
        Object.defineProperty(out, key, {
          value: undefined,
          enumerable: true,
          writable: true,
          configurable: true,
        });
        tasks.push({ node: value, set: (v) => (out[key] = v) });
      }
    } else if (node.type === 'array') {
      const kids = node.children ?? [];
      const out = new Array<unknown>(kids.length);
      set(out);
      kids.forEach((kid, i) => tasks.push({ node: kid, set: (v) => (out[i] = v) }));
    } else {
      set(node.value);
    }
  }
  return result;
}

/** Where two JSON values first differ (a JSON pointer), or undefined; no recursion (any nesting depth). */
function firstDifference(a: unknown, b: unknown): string | undefined {
  const pairs: Array<[unknown, unknown, string]> = [[a, b, '']];
  for (let pair = pairs.pop(); pair; pair = pairs.pop()) {
    const [x, y, at] = pair;
    if (typeof x !== typeof y || Array.isArray(x) !== Array.isArray(y) || (x === null) !== (y === null))
      return at || '/';
    if (x === null || typeof x !== 'object') {
      if (!Object.is(x, y)) return at || '/';
      continue;
    }
    const kx = Object.keys(x as object);
    const ky = Object.keys(y as object);
    if (kx.length !== ky.length) return at || '/';
    for (const k of kx) {
      if (!Object.prototype.hasOwnProperty.call(y, k)) return `${at}/${k}`;
      pairs.push([(x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], `${at}/${k}`]);
    }
  }
  return undefined;
}

interface JsonNodeLike {
  type: string;
  value?: unknown;
  children?: JsonNodeLike[];
}

const ajvs = new Map<ApiVersion, ValidateFunction>();

/** The per-version validation schema, compiled by ajv now (not the build-time validator the core uses). */
export function schemaValidator(version: ApiVersion): ValidateFunction {
  let validate = ajvs.get(version);
  if (!validate) {
    const schema = JSON.parse(
      readFileSync(path.join(ROOT, 'schemas', `${version}.schema.json`), 'utf8'),
    ) as object;
    validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    ajvs.set(version, validate);
  }
  return validate;
}

function describe(text: string): string {
  return text.length > 300
    ? `${JSON.stringify(text.slice(0, 300))}… (${text.length} chars)`
    : JSON.stringify(text);
}

/** Records how long one document took (the slowest, and how many went over LIMIT_MS). */
function record(stats: FuzzStats, ms: number, text: string): void {
  if (ms > LIMIT_MS) stats.overBudget++;
  if (ms >= stats.maxMs) stats.slowest = describe(text).slice(0, 120);
  stats.maxMs = Math.max(stats.maxMs, ms);
}

/**
 * The properties of one document under one default API version:
 * - the pipeline and the request plan never throw (their time is recorded in `stats`);
 * - every diagnostic (and quick-fix edit) lies inside the document, with the exact line/character range;
 * - an error-free document is valid JSON, accepted by the schema of its API version, and what would be
 *   sent (the PATCH body, and under 2026-05-12 the PUT body too) parses to the file without its `$` keys.
 */
export function checkDocument(text: string, version: ApiVersion, stats: FuzzStats): Analysis {
  stats.cases++;
  const t0 = performance.now();
  const analysis = analyzeDocument(text, { defaultApiVersion: version });
  const plan =
    analysis.root && !analysis.hasErrors
      ? planRequests(text, analysis.root, analysis.userId ?? 'user_fuzz', analysis.apiVersion)
      : undefined;
  record(stats, performance.now() - t0, text);

  let previous = 0;
  for (const d of analysis.diagnostics) {
    const where = `${d.code} at ${d.offset}+${d.length} in ${describe(text)}`;
    assert.ok(
      Number.isInteger(d.offset) &&
        Number.isInteger(d.length) &&
        d.offset >= 0 &&
        d.length >= 0 &&
        d.offset + d.length <= text.length,
      `outside the document: ${where}`,
    );
    assert.ok(d.offset >= previous, `not sorted: ${where}`);
    previous = d.offset;
    assert.deepEqual(
      d.range,
      { start: position(text, d.offset), end: position(text, d.offset + d.length) },
      `range: ${where}`,
    );
    for (const fix of d.fixes ?? []) {
      for (const edit of fix.edits)
        assert.ok(
          edit.offset >= 0 && edit.length >= 0 && edit.offset + edit.length <= text.length,
          `fix outside the document: ${where}`,
        );
    }
  }
  assert.equal(
    analysis.hasErrors,
    analysis.diagnostics.some((d) => d.severity === 'error'),
  );

  // Whatever JSON.parse accepts, the syntax tree holds the same values (strings decoded, numbers read,
  // the last of duplicate keys winning), lazily built parts included.
  let parsed: unknown;
  let parses = true;
  try {
    parsed = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    parses = false;
  }
  if (parses && analysis.root && !analysis.diagnostics.some((d) => d.code === 'nesting-too-deep')) {
    const difference = firstDifference(treeValue(analysis.root), parsed);
    assert.equal(
      difference,
      undefined,
      `tree value differs from JSON.parse at ${difference}: ${describe(text)}`,
    );
  }

  if (!analysis.hasErrors && analysis.root) {
    stats.errorFree++;
    assert.ok(parses, `error-free but not JSON: ${describe(text)}`);
    const validate = schemaValidator(analysis.apiVersion);
    assert.ok(
      validate(parsed),
      `error-free but rejected by schemas/${analysis.apiVersion}.schema.json (${JSON.stringify(validate.errors)}): ${describe(text)}`,
    );
    const expected = Object.fromEntries(
      Object.entries(parsed as object).filter(([key]) => !key.startsWith('$')),
    );
    const requests = plan ?? [];
    const sent = Object.fromEntries(requests.flatMap((r) => Object.entries(JSON.parse(r.body) as object)));
    assert.deepStrictEqual(
      sent,
      expected,
      `what would be sent differs from the file without its $ keys: ${describe(text)}`,
    );
    const separately = metadataSentSeparately(analysis.apiVersion) || analysis.metadataMode === 'merge';
    for (const r of requests) {
      const keys = Object.keys(JSON.parse(r.body) as object);
      assert.ok(keys.length > 0, 'an empty request');
      const isMetadata = keys.map((k) => (METADATA_FIELDS as readonly string[]).includes(k));
      if (r.method === 'PUT' || r.metadata)
        assert.ok(
          separately && isMetadata.every(Boolean),
          `metadata request with other fields: ${describe(text)}`,
        );
      else if (separately)
        assert.ok(
          !isMetadata.some(Boolean),
          `metadata in the PATCH under ${analysis.apiVersion}: ${describe(text)}`,
        );
    }
  } else if (!analysis.hasErrors) {
    // No root object: an empty file or a non-object root is always an error.
    assert.fail(`no root object but no error: ${describe(text)}`);
  }
  return analysis;
}

/**
 * `node cli.js validate --format json` spawned on several files at once (one process per API version):
 * exit statuses and diagnostics agree with the pipeline on the files as read back from disk.
 */
export function checkSpawnedValidate(
  cli: string,
  dir: string,
  docs: ReadonlyArray<readonly [string, ApiVersion]>,
): number {
  let spawned = 0;
  for (const version of API_VERSIONS) {
    const mine = docs.map((d, i) => [d[0], d[1], i] as const).filter((d) => d[1] === version);
    if (mine.length === 0) continue;
    const files = mine.map(([text, , i]) => {
      const file = path.join(dir, `spawned-${i}.userupdate.json`);
      writeFileSync(file, text);
      return path.basename(file);
    });
    const run = spawnSync(
      process.execPath,
      [cli, 'validate', '--format', 'json', '--api-version', version, ...files],
      { cwd: dir, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
    );
    spawned++;
    assert.equal(run.signal, null);
    const expected = files.map((f) =>
      analyzeDocument(readFileSync(path.join(dir, f), 'utf8'), { defaultApiVersion: version }),
    );
    assert.equal(run.status, expected.some((a) => a.hasErrors) ? 1 : 0, run.stderr);
    const reports = JSON.parse(run.stdout) as Array<{
      file: string;
      diagnostics: Array<{ code: string; range: unknown }>;
    }>;
    assert.deepEqual(
      reports.map((r) => [r.file, r.diagnostics.map((d) => [d.code, d.range])]),
      files.map((f, i) => [f, expected[i].diagnostics.map((d) => [d.code, d.range])]),
    );
  }
  return spawned;
}

/**
 * `validate` in process on `file` (holding `text`): never throws, exit status and JSON output agree with
 * the pipeline.
 */
export async function checkValidateCli(
  file: string,
  text: string,
  version: ApiVersion,
  stats: FuzzStats,
): Promise<void> {
  writeFileSync(file, text);
  const onDisk = readFileSync(file, 'utf8'); // lone surrogates do not survive UTF-8
  const captured = captureIO({ cwd: path.dirname(file) });
  const t0 = performance.now();
  const code = await main(
    ['validate', '--format', 'json', '--api-version', version, path.basename(file)],
    captured.io,
  );
  record(stats, performance.now() - t0, onDisk);
  const expected = analyzeDocument(onDisk, { defaultApiVersion: version });
  assert.equal(
    code,
    expected.hasErrors ? 1 : 0,
    `exit status ${code} (${captured.stderr()}): ${describe(onDisk)}`,
  );
  const reports = JSON.parse(captured.stdout()) as Array<{
    file: string;
    diagnostics: Array<{ code: string; severity: string; range: unknown }>;
  }>;
  assert.equal(reports.length, 1);
  assert.deepEqual(
    reports[0].diagnostics.map((d) => [d.code, d.severity, d.range]),
    expected.diagnostics.map((d) => [d.code, d.severity, d.range]),
  );
}

/**
 * Fails with the seed, the path and the shrunk counterexample (long strings clipped: a 2 MB document
 * would drown the report), and how to run it again.
 */
function report<T>(details: fc.RunDetails<T>): void {
  if (!details.failed) return;
  const clipped = JSON.stringify(details.counterexample, (_key, value: unknown) =>
    typeof value === 'string' && value.length > 300
      ? `${value.slice(0, 300)}… (${value.length} chars)`
      : value,
  );
  const error = details.errorInstance;
  const cause =
    error instanceof Error
      ? `${error.message}\n${(error.stack ?? '').split('\n').slice(1, 8).join('\n')}`
      : String(error);
  throw new Error(
    `Property failed after ${details.numRuns} runs, shrunk ${details.numShrinks} times (seed ${details.seed}, path "${details.counterexamplePath}"; ` +
      `run again with FUZZ_SEED=${details.seed}).\nCounterexample: ${clipped}\nCause: ${cause.length > 3000 ? cause.slice(0, 3000) + '…' : cause}`,
  );
}

/** fast-check parameters: the seed, and a report that prints it with the shrunk counterexample on failure. */
export function params<T>(numRuns: number): fc.Parameters<T> {
  return { seed: FUZZ_SEED, numRuns, reporter: report };
}

/**
 * The bad-input properties on `runs` generated documents, through the pipeline and the in-process
 * `validate` (writing each document to `file`). Returns the statistics of both.
 */
export async function fuzzPipelineAndValidate(
  runs: number,
  file: string,
): Promise<{ pipeline: FuzzStats; cli: FuzzStats }> {
  const pipeline = newStats();
  const cli = newStats();
  await fc.assert(
    fc.asyncProperty(documents, async ([text, version]) => {
      checkDocument(text, version, pipeline);
      await checkValidateCli(file, text, version, cli);
    }),
    params<[[string, ApiVersion]]>(runs),
  );
  return { pipeline, cli };
}
