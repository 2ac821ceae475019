import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as jsonc from 'jsonc-parser';
import { MAX_DEPTH, parseDocument } from '../../../src/core/parse/parser';
import { analyzeDocument } from '../../../src/core/analyze';
import { LineIndex } from '../../../src/core/text/lineIndex';
import { analyze, rangeOf, rangeWithin, summary } from './helpers';

test('syntax problems are owner syntax with exact ranges', () => {
  const text = '{\n  // why\n  "first_name": "Ada",\n  "last_name": "L" /* x */,\n}';
  const ds = analyze(text).diagnostics;
  assert.deepEqual(summary(ds), [
    { code: 'comment', range: rangeOf(text, '// why') },
    { code: 'comment', range: rangeOf(text, '/* x */') },
    { code: 'trailing-comma', range: rangeOf(text, ',', 2) },
  ]);
  assert.ok(ds.every((d) => d.owner === 'syntax' && d.severity === 'error'));
  // In the editor, VS Code's JSON language service owns syntax and its quick fixes.
  assert.ok(ds.every((d) => d.fixes === undefined));
});

test('every later duplicate key is reported, at any depth', () => {
  const text = '{"a1": 1, "public_metadata": {"x": 1, "x": 2, "x": 3}, "first_name": "A", "first_name": "B"}';
  const ds = analyze(text).diagnostics.filter((d) => d.code === 'duplicate-key');
  assert.deepEqual(
    ds.map((d) => d.range),
    [rangeOf(text, '"x"', 2), rangeOf(text, '"x"', 3), rangeOf(text, '"first_name"', 2)],
  );
  assert.deepEqual(
    ds.map((d) => d.path),
    ['/public_metadata/x', '/public_metadata/x', '/first_name'],
  );
  assert.ok(ds.every((d) => d.owner === 'syntax'));
});

test('duplicate keys in big objects (set-based tracking)', () => {
  const keys = Array.from({ length: 40 }, (_, i) => `"k${i}": ${i}`);
  const text = `{"public_metadata": {${keys.join(', ')}, "k3": 0, "k39": 1}}`;
  const ds = analyze(text).diagnostics.filter((d) => d.code === 'duplicate-key');
  assert.deepEqual(
    ds.map((d) => d.range),
    [rangeOf(text, '"k3"', 2), rangeOf(text, '"k39"', 2)],
  );
});

test('missing comma is reported and the rest is still validated', () => {
  const text = '{"first_name": "A"\n "last_name": 1}';
  const ds = analyze(text).diagnostics;
  assert.deepEqual(summary(ds), [
    { code: 'missing-comma', range: rangeWithin(text, '"last_name"', 0, 1) },
    { code: 'wrong-type', range: rangeOf(text, '1') },
  ]);
});

test('unrecoverable errors stop the parse with one clear message', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['{"first_name": tru}', 'tru', /Expected a value, found 'tru'/],
    ["{'first_name': 1}", "'", /property name in double quotes/],
    ['{"first_name" "x"}', '"x"', /Expected ":"/],
    ['{"first_name": "Ada"', '', /Expected "}" to close the object/],
    ['{"first_name": "Ada', '"Ada', /Unterminated string/],
    ['{"a": 1} x', 'x', /Unexpected text after the end of the root value/],
    ['{"a": [1, 2}', '}', /Expected "," or "]"/],
  ];
  for (const [text, at, message] of cases) {
    const ds = analyze(text).diagnostics.filter((d) => d.owner === 'syntax');
    assert.equal(ds.length, 1, text);
    assert.match(ds[0].message, message, text);
    if (at) assert.deepEqual(ds[0].range, rangeOf(text, at), text);
    else
      assert.deepEqual(ds[0].range, {
        start: { line: 0, character: text.length },
        end: { line: 0, character: text.length },
      });
  }
});

test('cross-field checks are skipped when the parse stopped early', () => {
  const text = '{"skip_password_checks": true, "password": "longenough" "x"';
  const ds = analyze(text).diagnostics;
  assert.ok(!ds.some((d) => d.code === 'password-required'));
});

test('invalid strings and numbers are reported and parsing goes on', () => {
  const text =
    '{"first_name": "a\\qb", "last_name": "tab\there", "create_organizations_limit": 01, "locale": "\\u12"}';
  const ds = analyze(text).diagnostics;
  assert.deepEqual(summary(ds), [
    { code: 'invalid-string', range: rangeOf(text, '\\q') },
    { code: 'invalid-string', range: rangeOf(text, '\t') },
    { code: 'invalid-number', range: rangeOf(text, '01') },
    { code: 'invalid-locale', range: rangeOf(text, '"\\u12"') },
    { code: 'invalid-string', range: rangeOf(text, '\\u12') },
  ]);
  for (const bad of ['-', '1.', '1e', '+1', '.5', '1x']) {
    const t = `{"create_organizations_limit": ${bad}}`;
    assert.equal(analyze(t).diagnostics[0].code, 'invalid-number', bad);
  }
});

test('empty file, whitespace only, comments only', () => {
  for (const text of ['', '  \n\t', '\uFEFF']) {
    const ds = analyze(text).diagnostics.filter((d) => d.code !== 'bom');
    assert.equal(ds.length, 1);
    assert.equal(ds[0].code, 'empty-file');
    assert.equal(ds[0].owner, 'payload');
    assert.equal(ds[0].severity, 'error');
  }
  const ds = analyze('// nothing').diagnostics;
  assert.deepEqual(
    ds.map((d) => d.code),
    ['empty-file', 'comment'],
  );
});

test('a root that is not an object', () => {
  for (const [text, what] of [
    ['[1]', 'an array'],
    ['"user"', 'a string'],
    ['42', 'a number'],
    ['null', 'null'],
    ['true', 'a boolean'],
  ]) {
    const a = analyze(text);
    assert.equal(a.root, undefined);
    assert.deepEqual(summary(a.diagnostics), [{ code: 'root-not-object', range: rangeOf(text, text) }]);
    assert.ok(a.diagnostics[0].message.endsWith(`not ${what}.`), a.diagnostics[0].message);
    assert.equal(a.diagnostics[0].owner, 'payload');
  }
});

test('a BOM: a warning, and the content is still validated', () => {
  const text = '\uFEFF{"first_name": 1}';
  const a = analyze(text);
  assert.deepEqual(summary(a.diagnostics), [
    { code: 'bom', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } },
    { code: 'wrong-type', range: rangeOf(text, '1') },
  ]);
  assert.equal(a.diagnostics[0].severity, 'warning');
  assert.equal(a.diagnostics[0].owner, 'syntax');
});

test('binary garbage gives one clear diagnostic', () => {
  const text = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]).toString('utf8');
  const ds = analyze(text).diagnostics;
  assert.equal(ds.length, 1);
  assert.equal(ds[0].code, 'invalid-json');
  assert.match(ds[0].message, /binary file/);
  const nul = analyze('\u0000\u0001\u0002').diagnostics;
  assert.match(nul[0].message, /U\+0000 \(is this a binary file\?\)/);
});

test('nesting beyond MAX_DEPTH levels: no stack overflow, a clear diagnostic', () => {
  for (const [open, close] of [
    ['{"a":', '}'],
    ['[', ']'],
  ]) {
    const text = '{"public_metadata": {"x": ' + open.repeat(MAX_DEPTH) + '1' + close.repeat(MAX_DEPTH) + '}}';
    const a = analyze(text);
    const codes = a.diagnostics.map((d) => d.code);
    assert.ok(codes.includes('nesting-too-deep'), codes.join());
    const deep = a.diagnostics.find((d) => d.code === 'nesting-too-deep')!;
    // The first container beyond the limit: the root is level 1.
    assert.equal(text[deep.offset], open[0]);
    assert.ok(deep.path.startsWith('/public_metadata/x/'));
    // The lazily built subtree is complete and usable with jsonc-parser's helpers.
    assert.ok(jsonc.findNodeAtLocation(a.root!, ['public_metadata', 'x']));
  }
  // Just below the limit: no nesting diagnostic.
  const ok = '{"public_metadata": ' + '['.repeat(MAX_DEPTH - 1) + ']'.repeat(MAX_DEPTH - 1) + '}';
  assert.ok(!analyze(ok).diagnostics.some((d) => d.code === 'nesting-too-deep'));
});

test('5 MB files: big metadata, a huge string, binary garbage (speed is measured by npm run bench, not here)', () => {
  const metadata: Record<string, unknown> = {};
  for (let i = 0; i < 40000; i++)
    metadata[`key_${i}`] = { n: i, s: 'some text here', list: [true, null, 1.5] };
  const text = JSON.stringify({ first_name: 'Ada', public_metadata: metadata }, null, 2);
  assert.ok(text.length > 5_000_000);
  const a = analyze(text);
  assert.deepEqual(a.diagnostics.map((d) => d.code).sort(), ['metadata-mode', 'metadata-too-large']);
  const huge = '{"first_name": "' + 'x'.repeat(5 * 1024 * 1024) + '"}';
  // Parsed without trouble; a string field that large is never sent (8 KB at most).
  assert.deepEqual(
    analyze(huge).diagnostics.map((d) => d.code),
    ['value-too-large'],
  );
  const garbage = Buffer.alloc(5 * 1024 * 1024, 0xff).toString('latin1');
  assert.equal(analyze(garbage).diagnostics.length, 1);
});

test('the tree is a jsonc-parser tree; nested children are built on first access', () => {
  const text =
    '{"first_name": "Ada", "public_metadata": {"plan": {"tier": [1, {"x": null}]}}, "backup_codes": ["a"]}';
  const { root } = parseDocument(text);
  assert.ok(root);
  assert.equal(JSON.stringify(jsonc.getNodeValue(root)), JSON.stringify(JSON.parse(text)));
  const reference = jsonc.parseTree(text)!;
  const strip = (n: jsonc.Node): unknown => ({
    type: n.type,
    offset: n.offset,
    length: n.length,
    value: n.value,
    colonOffset: n.colonOffset,
    children: n.children?.map(strip),
  });
  assert.deepEqual(strip(root), strip(reference));
  const x = jsonc.findNodeAtLocation(root, ['public_metadata', 'plan', 'tier', 1, 'x'])!;
  assert.equal(x.type, 'null');
  assert.equal(x.parent?.parent?.parent?.parent?.parent?.parent?.parent?.parent?.parent, root);
  // Escapes, numbers of every form, literals, non-ASCII and empty containers, at the root and below.
  for (const other of [
    '{"a": 1, "b": [true, false, null, -0.5, 1e3, 2E-2, "x\\u00e9\\n"], "c": {"d": {}}, "e": [], "é": "ü😀"}',
    '[{"public_metadata": {"a\\u0062": [[], [{}], {"x": []}]}}, -1, "\\"", 0]',
    '\n {\r\n\t"k" :\t[ 1 ,2 ] }\n',
  ]) {
    assert.deepEqual(strip(parseDocument(other).root!), strip(jsonc.parseTree(other)!), other);
  }
});

test('line index: \\n, \\r\\n and \\r, UTF-16 characters, clamping', () => {
  const text = 'ab\r\ncd\ref\n😀x';
  const index = new LineIndex(text);
  assert.equal(index.lineCount, 4);
  assert.deepEqual(index.positionAt(0), { line: 0, character: 0 });
  assert.deepEqual(index.positionAt(4), { line: 1, character: 0 });
  assert.deepEqual(index.positionAt(7), { line: 2, character: 0 });
  assert.deepEqual(index.positionAt(text.indexOf('x')), { line: 3, character: 2 });
  assert.deepEqual(index.positionAt(10_000), { line: 3, character: 3 });
  assert.equal(index.offsetAt({ line: 2, character: 1 }), 8);
  assert.equal(index.offsetAt({ line: 9, character: 0 }), text.length);
});

test('a bare word that may be a forgotten-quote secret is not echoed in the message', () => {
  const text = '{\n  "password": Hunter2secret\n}';
  const diagnostics = analyzeDocument(text, { defaultApiVersion: '2026-05-12' }).diagnostics;
  assert.equal(diagnostics.length, 1);
  assert.equal(diagnostics[0].message.includes('Hunter2secret'), false, diagnostics[0].message);
  assert.deepEqual(diagnostics[0].range, {
    start: { line: 1, character: 14 },
    end: { line: 1, character: 27 },
  });
});
