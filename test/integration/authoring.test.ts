// Authoring in the real editor: our diagnostics with quick fixes, completion from VS Code's JSON
// language service through our contributed schema, and each problem shown once (issue "Authoring").
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  closeAllEditors,
  formatDiagnostics,
  formatRange,
  openFixture,
  rangeOf,
  waitForDiagnostics,
} from './helpers';

suite('authoring in the editor', () => {
  teardown(closeAllEditors);

  test('a camelCase key gets our diagnostic and its quick fix renames it to the snake_case field', async () => {
    const { document } = await openFixture('authoring-editor/quickfix.userupdate.json');
    const key = rangeOf(document, '"firstName"');
    const typo = rangeOf(document, '"lastname"');
    const shown = await waitForDiagnostics(
      document.uri,
      (d) => d.some((x) => x.range.isEqual(key)) && d.some((x) => x.range.isEqual(typo)),
      {
        what: 'unknown-property diagnostics on "firstName" and "lastname"',
      },
    );
    const camel = shown.find((x) => x.range.isEqual(key))!;
    assert.equal(camel.code, 'unknown-property');
    assert.equal(camel.severity, vscode.DiagnosticSeverity.Error);
    assert.match(camel.message, /'firstName'.*'first_name'/);
    assert.match(shown.find((x) => x.range.isEqual(typo))!.message, /Did you mean 'last_name'\?/);

    // openFixture waited for the JSON language features to finish activating: a code action provider
    // registered while this request runs would make VS Code cancel it and answer with no actions.
    let actions: vscode.CodeAction[];
    try {
      actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        document.uri,
        key,
      );
    } catch (error) {
      throw new Error(`executeCodeActionProvider failed: ${String(error)}`);
    }
    const fix = actions.find((a) => a.edit && /first_name/.test(a.title));
    assert.ok(fix, `a quick fix to first_name among: ${actions.map((a) => a.title).join(', ') || '(none)'}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit!), 'the fix applies');
    assert.match(document.getText(), /"first_name": "Ada"/);
    await waitForDiagnostics(
      document.uri,
      (d) => !d.some((x) => x.code === 'unknown-property' && /firstName/.test(x.message)),
      {
        what: 'the firstName diagnostic to go away after the fix',
      },
    );
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('completion offers first_name with its documentation, from the contributed schema', async () => {
    const { document } = await openFixture('authoring-editor/complete.userupdate.json');
    const position = new vscode.Position(2, 2);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      document.uri,
      position,
      undefined,
      100,
    );
    const item = list.items.find(
      (i) => (typeof i.label === 'string' ? i.label : i.label.label) === 'first_name',
    );
    assert.ok(item, `first_name among ${list.items.length} items`);
    const docs =
      typeof item.documentation === 'string' ? item.documentation : (item.documentation?.value ?? '');
    assert.match(docs, /The first name to assign to the user/);
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const field of ['last_name', 'external_id', 'create_organization_enabled', 'password_hasher'])
      assert.ok(labels.includes(field), `${field} offered`);
  });

  test('each problem appears once, counting the JSON language service and us together', async () => {
    const { document } = await openFixture('authoring/several-errors.userupdate.json');
    const all = await waitForDiagnostics(
      document.uri,
      (d) =>
        d.filter((x) => x.source === 'clerk-user-update').length === 5 &&
        d.filter((x) => x.source !== 'clerk-user-update').length >= 4,
      { allSources: true, what: "5 payload diagnostics of ours and the JSON service's syntax diagnostics" },
    );
    const byRange = new Map<string, vscode.Diagnostic[]>();
    for (const d of all) byRange.set(formatRange(d.range), [...(byRange.get(formatRange(d.range)) ?? []), d]);
    const doubled = [...byRange.values()].filter((list) => list.length > 1);
    assert.deepEqual(doubled, [], `a range with more than one diagnostic:\n${formatDiagnostics(all)}`);
    const ours = all
      .filter((d) => d.source === 'clerk-user-update')
      .map((d) => `${formatRange(d.range)} ${d.code}`)
      .sort();
    assert.deepEqual(
      ours,
      [
        `${formatRange(rangeOf(document, '"firstName"'))} unknown-property`,
        `${formatRange(rangeOf(document, '42'))} wrong-type`,
        `${formatRange(rangeOf(document, '"en_US"'))} invalid-locale`,
        `${formatRange(rangeOf(document, '""'))} username-deletion`,
        `${formatRange(rangeOf(document, '"skip_password_checks"'))} password-required`,
      ].sort(),
    );
    const json = all
      .filter((d) => d.source !== 'clerk-user-update')
      .map((d) => formatRange(d.range))
      .sort();
    assert.deepEqual(
      json,
      [
        formatRange(rangeOf(document, '// a comment')),
        formatRange(rangeOf(document, '"delete_self_enabled"', 0)),
        formatRange(rangeOf(document, '"delete_self_enabled"', 1)),
        formatRange(
          new vscode.Range(
            document.positionAt(document.getText().lastIndexOf(',')),
            document.positionAt(document.getText().lastIndexOf(',') + 1),
          ),
        ),
      ].sort(),
      `the JSON service reports syntax only:\n${formatDiagnostics(all)}`,
    );
  });
});
