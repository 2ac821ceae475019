// Baseline integration tests: the harness itself, and the three behaviours every later feature
// stands on (our diagnostics at exact ranges, nothing on other JSON files, the Send CodeLens).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  activateExtension,
  closeAllEditors,
  codeLenses,
  diagnosticAt,
  DIAGNOSTIC_SOURCE,
  EXTENSION_ID,
  formatDiagnostics,
  formatRange,
  lensTitle,
  openFixture,
  ourDiagnostics,
  rangeOf,
  waitForDiagnostics,
} from './helpers';

suite('harness', () => {
  teardown(closeAllEditors);

  test('runs in a real VS Code with our extension installed from the VSIX', async () => {
    assert.match(vscode.version, /^\d+\.\d+\.\d+/);
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    await openFixture('harness/valid.userupdate.json');
    const active = await activateExtension();
    assert.equal(active.isActive, true);
    assert.equal(active.packageJSON.name, 'clerk-user-update');
    if (process.env.CLERK_UU_INSTALLED_FROM_VSIX === '1') {
      // Installed extensions live in <extensions-dir>/<publisher>.<name>-<version>.
      assert.match(
        active.extensionPath,
        /clerk-user-update\.clerk-user-update-\d+\.\d+\.\d+/,
        'installed from the VSIX, not loaded from the repo',
      );
    }
  });
});

suite('baseline: diagnostics and CodeLens', () => {
  teardown(closeAllEditors);

  test('an unknown property and a wrong type get our diagnostics at the exact ranges', async () => {
    const { document } = await openFixture('harness/invalid.userupdate.json');
    const bogusKey = rangeOf(document, '"bogus"');
    const wrongValue = rangeOf(document, '42');
    const diagnostics = await waitForDiagnostics(
      document.uri,
      (d) => diagnosticAt(d, bogusKey) !== undefined && diagnosticAt(d, wrongValue) !== undefined,
      { what: `our diagnostics at ${formatRange(bogusKey)} ("bogus") and ${formatRange(wrongValue)} (42)` },
    );
    const unknown = diagnosticAt(diagnostics, bogusKey)!;
    const wrongType = diagnosticAt(diagnostics, wrongValue)!;
    assert.match(
      unknown.message,
      /bogus/,
      `unknown-property message names the property:\n${formatDiagnostics(diagnostics)}`,
    );
    assert.match(
      wrongType.message,
      /first_name/,
      `wrong-type message names the field:\n${formatDiagnostics(diagnostics)}`,
    );
    for (const d of [unknown, wrongType]) {
      assert.equal(d.source, DIAGNOSTIC_SOURCE);
      assert.ok(d.severity <= vscode.DiagnosticSeverity.Warning, `${d.message} is an error or a warning`);
    }
  });

  test('a JSON file with another name gets none of ours', async () => {
    // Opened first: by the time the *.userupdate.json twin has our diagnostics, the extension
    // has seen other.json's open event too.
    const { document: other } = await openFixture('harness/other.json');
    const { document: twin } = await openFixture('harness/invalid.userupdate.json');
    await waitForDiagnostics(twin.uri, (d) => d.length > 0, {
      what: 'our diagnostics on the *.userupdate.json twin',
    });
    assert.deepEqual(
      ourDiagnostics(other.uri),
      [],
      `diagnostics on other.json:\n${formatDiagnostics(vscode.languages.getDiagnostics(other.uri))}`,
    );
    const lenses = (await codeLenses(other.uri)).filter((l) => lensTitle(l) === 'Send update');
    assert.equal(lenses.length, 0, 'no Send update lens on other.json');
  });

  test('the "Send update" CodeLens is offered on the root object', async () => {
    const { document } = await openFixture('harness/valid.userupdate.json');
    await activateExtension();
    const lenses = await codeLenses(document.uri);
    const send = lenses.filter((l) => lensTitle(l) === 'Send update');
    const titles = lenses.map((l) => l.command?.title ?? '(unresolved)').join(', ');
    assert.equal(send.length, 1, `one Send update lens; lenses: ${titles || '(none)'}`);
    const rootLine = document.positionAt(document.getText().indexOf('{')).line;
    assert.equal(send[0].range.start.line, rootLine, 'on the line of the root object');
  });
});
