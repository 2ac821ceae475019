// The parser checks metadata values against the declarations compiled into shapes as it reads them
// (src/core/parse/shapes.ts, src/core/metadataTypes/compile.ts), the fast path of the typed checks. It says
// what JSON.parse and ./conforms say: a value that fits is strict JSON that conforms; and on strict JSON
// without a union of several object types, what fits is exactly what conforms. Generated values and texts,
// with a fixed seed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { metadataShapes } from '../../../src/core/metadataTypes/compile';
import { conforms } from '../../../src/core/metadataTypes/conforms';
import type { MetadataMode, MetadataTypes } from '../../../src/core/metadataTypes/model';
import { fitOf, parseDocument } from '../../../src/core/parse/parser';
import { NameMap } from '../../../src/core/parse/keyTable';
import { Fit } from '../../../src/core/parse/shapes';
import { declarations, declared } from './helpers';

const SEED = 20_260_512;

const unions = declared(`export {}
type Tree = { name: string; children?: Tree[] }
declare global {
  interface UserPublicMetadata {
    shape?: { kind: 'circle'; r: number } | { kind: 'square'; side: number }
    lists?: string[] | number[]
    tree?: Tree
    anything?: unknown
    maybe?: 1 | 'one' | true | null
    when?: Date
    [key: string]: unknown
  }
  interface UserPrivateMetadata {
    counts: Record<string, number>
    tags?: Array<'a' | 'b'>
  }
}
`)!;

const MODELS: Array<{ name: string; types: MetadataTypes; several: boolean }> = [
  { name: 'globals.d.ts', types: declarations('globals.d.ts'), several: false },
  { name: 'realistic.d.ts', types: declarations('realistic.d.ts'), several: false },
  { name: 'unions', types: unions, several: true },
];

const KEYS = [
  'role',
  'rol',
  'seats',
  'onboarding',
  'completed',
  'step',
  'billing',
  'plan',
  'tier',
  'address',
  'country',
  'city',
  'invoices',
  'id',
  'paid',
  'teams',
  'teamId',
  'roles',
  'flags',
  'limits',
  'nickname',
  'reviewed',
  'createdAt',
  'theme',
  'shape',
  'kind',
  'r',
  'side',
  'lists',
  'tree',
  'name',
  'children',
  'anything',
  'maybe',
  'counts',
  'tags',
  'stripeCustomerId',
  'zzzzzz',
  'a"b',
  'é\\n',
  '__proto__',
];
const SCALARS = fc.oneof(
  fc.constantFrom(
    'admin',
    'member',
    'owner',
    'free',
    'pro',
    'enterprise',
    'FR',
    'circle',
    'square',
    'a',
    'b',
    'one',
    'light',
    'dark',
    'x\ny',
    '\u2028',
    '',
  ),
  fc.constantFrom(0, 1, 2, 3, 4, -1, 1.5, 1e21, -0),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 6 }),
);
const { value: VALUE } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    SCALARS,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie('value'), { maxKeys: 4 }),
  ),
}));
const FIELD_VALUE = fc.dictionary(fc.constantFrom(...KEYS), VALUE, { maxKeys: 5 });

/** The value written as a file would: compact, indented, or with spaces after separators. */
const TEXT = fc
  .tuple(FIELD_VALUE, fc.constantFrom(0, 1, 2))
  .map(([value, style]) =>
    style === 0
      ? JSON.stringify(value)
      : style === 1
        ? JSON.stringify(value, null, 2)
        : JSON.stringify(value).replace(/([,:])/g, '$1 '),
  );

/** A text a few edits away from a value's: what a keystroke leaves. */
const EDITED = fc
  .tuple(
    TEXT,
    fc.array(fc.tuple(fc.nat(), fc.constantFrom('', '"', ',', '}', ']', '{', ' ', 'n', '1', '\\')), {
      maxLength: 3,
    }),
  )
  .map(([text, edits]) => {
    let out = text;
    for (const [at, insert] of edits) {
      const i = at % (out.length + 1);
      out = insert === '' ? out.slice(0, i) + out.slice(i + 1) : out.slice(0, i) + insert + out.slice(i);
    }
    return out;
  });

function parsed(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

const MODES: MetadataMode[] = ['merge', 'replace'];
const FIELDS = ['public_metadata', 'private_metadata'] as const;

/**
 * `text` as the value of `field` in a row: whether it fits in `mode` (the parser's verdict), and the text of
 * the value the parser read (what the typed checks give JSON.parse), if it read one.
 */
function read(text: string, types: MetadataTypes, field: string, mode: MetadataMode) {
  const row = `{"$user_id":"user_1","${field}":${text}}`;
  const parsedRow = parseDocument(row, undefined, metadataShapes(types));
  const value = parsedRow.root?.children?.[1]?.children?.[1];
  const fit = value ? fitOf(parsedRow.fits, value.offset) : 0;
  return {
    fits: (fit & (mode === 'merge' ? Fit.AsMerge : Fit.AsReplace)) !== 0,
    written: value ? row.slice(value.offset, value.offset + value.length) : undefined,
  };
}

const fits = (text: string, types: MetadataTypes, field: string, mode: MetadataMode) =>
  read(text, types, field, mode).fits;

/** Each model, field and mode on `text`: what fits conforms, and (`exact`) what conforms fits. */
function eachCheck(
  exact: boolean,
  text: string,
  check: (fitted: boolean, value: { ok: true; value: unknown } | { ok: false }) => void,
) {
  for (const model of MODELS)
    for (const field of FIELDS) {
      const declaredType = model.types.fields[field];
      if (!declaredType) continue;
      for (const mode of MODES) {
        const { fits: fitted, written } = read(text, model.types, field, mode);
        const value = written === undefined ? { ok: false as const } : parsed(written);
        const accepted = value.ok && conforms(value.value, declaredType, model.types, mode);
        check(fitted, value);
        if (fitted) assert.ok(accepted, `${model.name} ${field} ${mode}: fits, does not conform: ${text}`);
        if (exact && value.ok && !model.several && !fitted)
          assert.ok(!accepted, `${model.name} ${field} ${mode}: conforms, does not fit: ${text}`);
      }
    }
}

test('on values as files write them, what fits is exactly what conforms', () => {
  let accepted = 0;
  fc.assert(
    fc.property(TEXT, (text) => {
      eachCheck(true, text, (fitted) => {
        if (fitted) accepted++;
      });
    }),
    { seed: SEED, numRuns: 3000 },
  );
  assert.ok(accepted > 500, `the generated values reach the accepting side too (${accepted})`);
});

test('on edited texts, what fits is strict JSON that conforms', () => {
  fc.assert(
    fc.property(EDITED, (text) => {
      eachCheck(false, text, (fitted, value) => {
        if (fitted) assert.ok(value.ok, `fits, and JSON.parse does not read it: ${text}`);
      });
    }),
    { seed: SEED, numRuns: 3000 },
  );
});

test('examples: what is right fits; what is not, or is left to conforms, does not', () => {
  const globals = MODELS[0].types;
  const fit = (text: string, mode: MetadataMode = 'merge', types = globals) =>
    fits(text, types, 'public_metadata', mode);
  assert.equal(fit('{ "role": "admin", "seats": 3, "onboarding": { "completed": true, "step": 2 } }'), true);
  assert.equal(fit('{"role":"owner"}'), false);
  assert.equal(fit('{"seats":"3"}'), false);
  assert.equal(fit('{"onboarding":{"completed":null}}'), false, 'null deletes a required key in a merge');
  assert.equal(fit('{"role":null}'), true, 'null deletes an optional key in a merge');
  assert.equal(fit('{"role":null}', 'replace'), false, 'and is a value in a replace');
  assert.equal(fit('{"onboarding":{"step":1}}', 'replace'), false, 'a replace gives the required keys');
  assert.equal(fit('{"rol":"admin"}'), false, 'a key close to a declared one');
  assert.equal(fit('{"plan":"anything"}'), true, 'an undeclared key, far from the declared ones');
  assert.equal(fit('{"role":"adm\\u0069n"}'), true, 'escapes are read');
  assert.equal(fit('{"role":"admin",}'), false, 'a syntax problem inside');
  assert.equal(fit('{"role":"admin","role":"admin"}'), false, 'a duplicate key');
  assert.equal(fit('{"shape":{"kind":"circle","r":1}}', 'merge', unions), false, 'several object types');
  assert.equal(fit('{"tree":{"name":"a","children":[{"name":"b"}]}}', 'merge', unions), true, 'recursive');
  assert.equal(fit('{"tree":{"name":"a","children":[{"name":2}]}}', 'merge', unions), false);
  assert.equal(fit('{"anything":{"x":[1,{"y":null}]}}', 'merge', unions), true, 'unknown');
  assert.equal(fit('{"when":"2020"}', 'merge', unions), false, 'what is not checked is said once');
});

test('the names of a shape are found by comparing, and past 64 of them in a Map', () => {
  for (const count of [3, 200]) {
    const names = new NameMap<number>();
    const words = Array.from({ length: count }, (_, i) => `key_${i}`);
    words.forEach((w, i) => names.set(w, i));
    names.set('key_1', -1);
    assert.deepEqual(
      words.map((w) => names.get(w)),
      words.map((_, i) => (i === 1 ? -1 : i)),
    );
    assert.equal(names.get('key_'), undefined);
    assert.equal(names.get(`key_${count}`), undefined);
    assert.equal(names.get(''), undefined);
  }
});
