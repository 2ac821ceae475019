// Typed metadata in the real editor: a workspace with types/globals.d.ts (Clerk's guide's example), a
// diagnostic at
// a wrong value, completion of a declared literal with its doc comment, and a change to the declaration that
// re-checks the open file. The declaration is written in by the suite and removed after it: the workspace is
// shared with the other suites, whose fixtures must stay untyped.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { ClerkUserUpdateApi } from '../../src/vscode/extension';
import {
  activateExtension,
  closeAllEditors,
  fixturePath,
  fixtureUri,
  openFixture,
  rangeOf,
  waitForDiagnostics,
  waitForEvent,
} from './helpers';

const DECLARATION = fixturePath('types', 'globals.d.ts');
/** Writes through VS Code's file system, as an edit in the editor would, so its file watchers see it. */
const write = (relative: string, text: string) =>
  vscode.workspace.fs.writeFile(fixtureUri(...relative.split('/')), new TextEncoder().encode(text));
const remove = (relative: string) =>
  vscode.workspace.fs
    .delete(fixtureUri(...relative.split('/')), { recursive: true })
    .then(undefined, () => undefined);
const WRONG = 'metadata-types/wrong.userupdate.json';
const COMPLETE = 'metadata-types/complete.userupdate.json';
const CSV = 'metadata-types/seats.userupdates.csv';

suite('typed metadata in the editor', () => {
  let api: ClerkUserUpdateApi;
  /** Waits until the types in force for the workspace satisfy `condition`. */
  const typesSettle = (condition: (status: string | undefined) => boolean, what: string) =>
    waitForEvent(api.onDidChangeMetadataTypes, () => condition(api.metadataTypes(fixtureUri(WRONG)).status), {
      what,
      describe: () =>
        `status now: ${api.metadataTypes(fixtureUri(WRONG)).status ?? '(none)'}; ` +
        `folders: ${(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.toString()).join(', ')}`,
    });

  suiteSetup(async () => {
    api = (await activateExtension()).exports as ClerkUserUpdateApi;
    await write(
      WRONG,
      '{\n  "$user_id": "user_2abc",\n  "public_metadata": {\n    "role": "owner",\n    "seats": 3\n  }\n}\n',
    );
    await write(COMPLETE, '{\n  "$user_id": "user_2abc",\n  "public_metadata": {\n    "role": ""\n  }\n}\n');
    await write(
      CSV,
      '$user_id,public_metadata.seats,public_metadata.role\nuser_1,3,admin\nuser_2,three,member\n',
    );
    await write(
      'types/globals.d.ts',
      readFileSync(fixturePath('metadata-types', 'globals.d.ts.txt'), 'utf8'),
    );
    await typesSettle(
      (status) =>
        status !== undefined &&
        /UserPublicMetadata, UserPrivateMetadata from types\/globals\.d\.ts/.test(status),
      'the declarations of types/globals.d.ts',
    );
  });
  suiteTeardown(async () => {
    await closeAllEditors();
    await remove('types/globals.d.ts');
    await remove('types');
    await remove(WRONG);
    await remove(COMPLETE);
    await remove(CSV);
    await typesSettle((status) => status === undefined, 'no declarations once types/ is removed');
  });
  teardown(closeAllEditors);

  test('a literal the declaration does not allow is an error at the value, naming the allowed ones', async () => {
    const { document } = await openFixture(WRONG);
    const value = rangeOf(document, '"owner"');
    const shown = await waitForDiagnostics(document.uri, (d) => d.some((x) => x.range.isEqual(value)), {
      what: "the typed diagnostic on 'owner'",
    });
    const diagnostic = shown.find((x) => x.range.isEqual(value))!;
    assert.equal(diagnostic.code, 'metadata-type-mismatch');
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(
      diagnostic.message,
      "'owner' is not a valid 'role': UserPublicMetadata allows 'admin' or 'member'.",
    );
  });

  test('a CSV cell of a declared number column that is not a number is an error on the cell', async () => {
    const { document } = await openFixture(CSV);
    const cell = rangeOf(document, 'three');
    const shown = await waitForDiagnostics(document.uri, (d) => d.some((x) => x.range.isEqual(cell)), {
      what: "the typed diagnostic on the cell 'three'",
    });
    const typed = shown.filter((x) => x.code === 'metadata-type-mismatch');
    assert.equal(typed.length, 1, 'the good cell 3 is a number: nothing on it');
    assert.equal(typed[0].severity, vscode.DiagnosticSeverity.Error);
    assert.equal(typed[0].message, "'three' is not a number: UserPublicMetadata declares 'seats' as number.");
  });

  test('completion offers the declared literals with the doc comment', async () => {
    const { document } = await openFixture(COMPLETE);
    const inside = rangeOf(document, '""').start.translate(0, 1);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      document.uri,
      inside,
    );
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    const admin = list.items.find((i) => i.label === '"admin"');
    assert.ok(admin && labels.includes('"member"'), `'admin' and 'member' among ${labels.join(', ')}`);
    assert.equal(admin.detail, "'admin' | 'member'");
    const docs =
      typeof admin.documentation === 'string' ? admin.documentation : (admin.documentation?.value ?? '');
    assert.equal(docs, "The user's role in the app.");
  });

  test('a change to the declaration re-checks the open file', async () => {
    const { document } = await openFixture(WRONG);
    const value = rangeOf(document, '"owner"');
    await waitForDiagnostics(document.uri, (d) => d.some((x) => x.range.isEqual(value)), {
      what: "the typed diagnostic on 'owner'",
    });
    const text = readFileSync(DECLARATION, 'utf8');
    await write(
      'types/globals.d.ts',
      text.replace("role?: 'admin' | 'member'", "role?: 'owner' | 'admin' | 'member'"),
    );
    try {
      await waitForDiagnostics(document.uri, (d) => !d.some((x) => x.code === 'metadata-type-mismatch'), {
        what: "'owner' to be allowed once the declaration says so",
      });
      const seats = rangeOf(document, '3');
      await write('types/globals.d.ts', text.replace('seats?: number', 'seats?: string'));
      const shown = await waitForDiagnostics(document.uri, (d) => d.some((x) => x.range.isEqual(seats)), {
        what: "the typed diagnostic on 'seats' after the next change",
      });
      assert.equal(
        shown.find((x) => x.range.isEqual(seats))!.message,
        "'seats' must be a string, not a number.",
      );
    } finally {
      await write('types/globals.d.ts', text);
    }
  });

  test('Show Metadata Types opens the declaration', async () => {
    const result = await vscode.commands.executeCommand<{ status: string; files: string[] }>(
      'clerkUserUpdate.showMetadataTypes',
    );
    assert.deepEqual(result, { status: 'opened', files: ['types/globals.d.ts'] });
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, DECLARATION);
  });
});
