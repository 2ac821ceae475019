// Bulk files in the real editor: our diagnostics on a JSONL line and on a CSV cell at
// exact ranges, syntax included (VS Code's JSON language service does not look at `jsonl` documents), each
// once,
// and after an edit only where the problem still is.
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

suite('bulk files in the editor', () => {
  teardown(closeAllEditors);

  test('a JSONL line: a wrong type and a syntax error at their exact ranges, each once; an edit moves them', async () => {
    const { document } = await openFixture('bulk-editor/rows.userupdates.jsonl');
    assert.equal(
      document.languageId,
      'jsonl',
      'VS Code gives *.jsonl the language jsonl, which its JSON service does not validate',
    );
    const wrong = rangeOf(document, '42');
    const trailing = rangeOf(document, ',}');
    const comma = new vscode.Range(trailing.start, trailing.start.translate(0, 1));
    const key = rangeOf(document, '"first_name"', 2);
    const missing = new vscode.Range(key.start, key.start.translate(0, 1));
    const shown = await waitForDiagnostics(
      document.uri,
      (d) =>
        d.some((x) => x.range.isEqual(wrong)) &&
        d.some((x) => x.range.isEqual(comma)) &&
        d.some((x) => x.range.isEqual(missing)),
      {
        what: 'wrong-type on 42, trailing-comma on line 3 and missing-comma on line 4',
      },
    );
    assert.deepEqual(
      shown.map((d) => `${formatRange(d.range)} ${d.code}`).sort(),
      [
        `${formatRange(wrong)} wrong-type`,
        `${formatRange(comma)} trailing-comma`,
        `${formatRange(missing)} missing-comma`,
      ].sort(),
      formatDiagnostics(shown),
    );
    assert.equal(shown.find((d) => d.range.isEqual(wrong))!.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(
      shown.find((d) => d.range.isEqual(wrong))!.message,
      "'first_name' must be a string or null, not a number (42).",
    );
    const all = vscode.languages.getDiagnostics(document.uri);
    assert.equal(
      all.filter((d) => d.range.isEqual(comma)).length,
      1,
      `the trailing comma once:\n${formatDiagnostics(all)}`,
    );

    // A line inserted above: the problems move down with their lines.
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, new vscode.Position(0, 0), '{"$user_id": "user_0"}\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const moved = new vscode.Range(wrong.start.translate(1), wrong.end.translate(1));
    await waitForDiagnostics(
      document.uri,
      (d) => d.length === 3 && d.some((x) => x.range.isEqual(moved) && x.code === 'wrong-type'),
      { what: 'wrong-type one line further down' },
    );
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('a CSV cell: a value problem on its cell, an unknown column once on the header', async () => {
    const { document } = await openFixture('bulk-editor/rows.userupdates.csv');
    assert.equal(document.languageId, 'plaintext', 'no language service looks at a CSV file');
    const cell = rangeOf(document, 'maybe');
    const column = rangeOf(document, 'nickname');
    const shown = await waitForDiagnostics(
      document.uri,
      (d) => d.some((x) => x.range.isEqual(cell)) && d.some((x) => x.range.isEqual(column)),
      {
        what: "wrong-type on the cell 'maybe' and unknown-property on the header cell 'nickname'",
      },
    );
    assert.deepEqual(
      shown.map((d) => `${formatRange(d.range)} ${d.code}`).sort(),
      [`${formatRange(cell)} wrong-type`, `${formatRange(column)} unknown-property`].sort(),
      formatDiagnostics(shown),
    );
    // The value found, in the words of a spreadsheet: the cell, its column, what it takes.
    assert.equal(
      shown.find((d) => d.range.isEqual(cell))!.message,
      "'maybe' in 'delete_self_enabled' is not true or false (or null to clear).",
    );

    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, cell, 'TRUE');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitForDiagnostics(document.uri, (d) => d.length === 1 && d[0].range.isEqual(column), {
      what: 'only the header problem left after the cell is fixed',
    });
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
