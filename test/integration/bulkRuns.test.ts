// Bulk runs in the real editor against the fake Clerk: a run from
// the lens with its progress and report, a failed row as a diagnostic at its exact range, "Retry failed
// rows" sending only that row, cancel and resume, a preview that sends nothing, and the undo of a run.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEMO_ORGANIZATION_IDS, DEMO_USER_IDS } from '../../src/fake/seed';
import { FAKE_TEST_KEY, startFake, type FakeClerk } from '../support/fake-clerk';
import { updateUserSetting, useFake } from './clerk';
import {
  activateExtension,
  closeAllEditors,
  codeLenses,
  formatDiagnostics,
  lensTitle,
  openFixture,
  rangeOf,
  waitForDiagnostics,
  waitForEvent,
} from './helpers';

interface BulkResult {
  status: string;
  message: string;
  journal?: string;
  report?: string;
  html?: string;
  failedRows?: number[];
  summary?: {
    total: number;
    updated: number;
    unchanged: number;
    failed: number;
    skipped: number;
    cancelled: boolean;
    failuresByCode: Array<{ code: string; count: number }>;
  };
  plan?: { toChange: number; unchanged: number; failing: number };
  progress?: { reports: number; planning?: string; sending?: string; reporting?: string };
}

const apiDiagnostics = (uri: vscode.Uri) =>
  vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Clerk API');
const titles = async (uri: vscode.Uri) => (await codeLenses(uri)).map(lensTitle);
const reportOf = (result: BulkResult) =>
  fs
    .readFileSync(result.report!, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as { row: number; status: string; code: string | null; param?: string });
const writes = (fake: FakeClerk, from: number) => fake.requests.slice(from).filter((r) => r.method !== 'GET');

/** Runs the command of the lens titled `title`, as a click does. */
async function clickLens(uri: vscode.Uri, title: string): Promise<BulkResult> {
  const lenses = await codeLenses(uri);
  const lens = lenses.find((l) => lensTitle(l) === title);
  assert.ok(lens?.command, `a lens '${title}' (lenses: ${lenses.map(lensTitle).join(', ')})`);
  return (await vscode.commands.executeCommand(
    lens.command.command,
    ...(lens.command.arguments ?? []),
  )) as BulkResult;
}

suite('bulk runs in the editor', () => {
  let fake: FakeClerk;

  suiteSetup(async () => {
    fake = await startFake();
    await openFixture('bulk-runs/team.userupdates.jsonl');
    await activateExtension();
    await useFake(fake, FAKE_TEST_KEY);
    // The pace of an instance with custom limits (the setting); Clerk's 100 per 10 s would do too, slower.
    await updateUserSetting('bulk.rate', '1000/1s');
  });
  suiteTeardown(async () => {
    await updateUserSetting('bulk.rate', undefined);
    await fake?.stop();
  });
  setup(() => {
    fake.clearFaults();
    fake.resetRateLimits();
  });
  teardown(closeAllEditors);

  test('a run from the lens: progress, every row journaled and reported, a failed row as a diagnostic on its key; Retry sends only that row once fixed', async () => {
    const { document, editor } = await openFixture('bulk-runs/team.userupdates.jsonl');
    assert.deepEqual(await titles(document.uri), ['Send 3 updates', 'Preview run']);
    const before = fake.requests.length;
    const result = await clickLens(document.uri, 'Send 3 updates');
    assert.equal(result.status, 'finished', result.message);
    assert.match(
      result.message,
      /^Updated 2, unchanged 0, failed 1 of 3 rows \(1 form_identifier_exists\); \d+ requests, 0 rate-limited, in [\d.]+ s\.$/,
    );
    assert.ok(
      result.progress && result.progress.reports >= 2,
      `progress was shown: ${JSON.stringify(result.progress)}`,
    );
    assert.match(result.progress.sending ?? '', /^\d \/ 3 rows · [\d.]+ rows\/s/);
    assert.equal(fake.users.get(DEMO_USER_IDS.ada)!.first_name, 'Augusta');
    assert.equal(fake.users.get(DEMO_USER_IDS.katherine)!.locale, 'en-US');
    assert.equal(fake.users.get(DEMO_USER_IDS.grace)!.username, 'grace_h', 'the refused row changed nothing');
    assert.deepEqual(
      writes(fake, before)
        .map((r) => `${r.method} ${r.path} ${r.status}`)
        .sort(),
      [
        `PATCH /v1/users/${DEMO_USER_IDS.ada} 200`,
        `PATCH /v1/users/${DEMO_USER_IDS.grace} 422`,
        `PATCH /v1/users/${DEMO_USER_IDS.katherine} 200`,
      ],
    );

    // The journal and the report (one line per row) in .clerk-runs/ next to the file, ignored by git.
    const runs = path.join(path.dirname(document.uri.fsPath), '.clerk-runs');
    assert.equal(result.journal, path.join(runs, 'team.userupdates.jsonl.journal.jsonl'));
    assert.equal(result.report, path.join(runs, 'team.userupdates.jsonl.report.jsonl'));
    assert.equal(fs.readFileSync(path.join(runs, '.gitignore'), 'utf8'), '*\n');
    assert.deepEqual(
      fs
        .readdirSync(path.dirname(document.uri.fsPath))
        .filter((f) => f.startsWith('team.userupdates.jsonl.')),
      [],
      'nothing next to the file',
    );
    assert.deepEqual(
      reportOf(result)
        .map((l) => [l.row, l.status, l.code, l.param])
        .sort(),
      [
        [1, 'updated', null, undefined],
        [2, 'failed', 'form_identifier_exists', 'username'],
        [3, 'updated', null, undefined],
      ],
    );

    // The failed row: a diagnostic on the key Clerk named, and a lens to retry it.
    const key = rangeOf(document, '"username"');
    const shown = await waitForDiagnostics(document.uri, (d) => d.some((x) => x.source === 'Clerk API'), {
      allSources: true,
      what: 'the Clerk API diagnostic of row 2',
    });
    const failure = shown.filter((d) => d.source === 'Clerk API');
    assert.equal(failure.length, 1, formatDiagnostics(shown));
    assert.ok(failure[0].range.isEqual(key), `on '"username"' of line 2: ${formatDiagnostics(failure)}`);
    assert.equal(failure[0].code, 'form_identifier_exists');
    assert.equal(failure[0].severity, vscode.DiagnosticSeverity.Error);
    assert.match(failure[0].message, /username is taken/);
    assert.deepEqual(await titles(document.uri), ['Send 3 updates', 'Preview run', 'Retry 1 failed row']);

    // The fix: editing the row removes its diagnostic; Retry sends that row, and no other.
    assert.ok(await editor!.edit((b) => b.replace(rangeOf(document, '"kjohnson"'), '"grace_hopper"')));
    await waitForDiagnostics(document.uri, (d) => !d.some((x) => x.source === 'Clerk API'), {
      allSources: true,
      what: 'the Clerk API diagnostic to go once the row is edited',
    });
    assert.ok(await document.save());
    const retryFrom = fake.requests.length;
    const retried = await clickLens(document.uri, 'Retry 1 failed row');
    assert.equal(retried.status, 'finished', retried.message);
    assert.deepEqual(
      writes(fake, retryFrom).map((r) => `${r.method} ${r.path} ${r.body}`),
      [`PATCH /v1/users/${DEMO_USER_IDS.grace} {"username":"grace_hopper"}`],
    );
    assert.equal(fake.users.get(DEMO_USER_IDS.grace)!.username, 'grace_hopper');
    assert.deepEqual(retried.failedRows, []);
    assert.deepEqual(apiDiagnostics(document.uri), []);
    assert.deepEqual(await titles(document.uri), ['Send 3 updates', 'Preview run']);
    // The edited file began a new journal; the first one was kept aside (Undo Run finds both).
    const folder = fs.readdirSync(runs);
    assert.equal(
      folder.filter((f) => /^team\.userupdates\.jsonl\.journal\.[\dT-]+Z\.jsonl$/.test(f)).length,
      1,
      folder.join(', '),
    );
  });

  test('a CSV row that failed without naming a field: the diagnostic on its target cell; Retry checks it at Clerk and sends it once', async () => {
    const { document } = await openFixture('bulk-runs/fault.userupdates.csv');
    const linus = `/v1/users/${DEMO_USER_IDS.linus}`;
    fake.setFault({ kind: 'status500', method: 'PATCH', path: linus });
    const result = await clickLens(document.uri, 'Send 2 updates');
    assert.equal(result.status, 'finished', result.message);
    assert.deepEqual([result.summary?.updated, result.summary?.failed], [1, 1]);
    assert.deepEqual(result.failedRows, [3]);
    const cell = rangeOf(document, DEMO_USER_IDS.linus);
    const shown = await waitForDiagnostics(document.uri, (d) => d.some((x) => x.source === 'Clerk API'), {
      allSources: true,
      what: "the diagnostic on row 3's $user_id cell",
    });
    const failure = shown.filter((d) => d.source === 'Clerk API');
    assert.deepEqual(
      failure.map((d) => [d.range.isEqual(cell), d.code]),
      [[true, 'internal_clerk_error']],
      formatDiagnostics(failure),
    );

    const from = fake.requests.length;
    const retried = await vscode.commands.executeCommand<BulkResult>(
      'clerkUserUpdate.retryFailedRows',
      document.uri,
    );
    assert.equal(retried.status, 'finished', retried.message);
    assert.deepEqual(
      [retried.summary?.updated, retried.summary?.failed],
      [2, 0],
      'the report covers the whole run',
    );
    assert.deepEqual(
      writes(fake, from).map((r) => `${r.method} ${r.path}`),
      [`PATCH ${linus}`],
    );
    assert.equal(fake.users.get(DEMO_USER_IDS.linus)!.last_name, 'Torvalds');
    assert.deepEqual(apiDiagnostics(document.uri), []);
  });

  test('the undo of a run restores what it changed; a user changed since the run is skipped and reported', async () => {
    const input = (await openFixture('bulk-runs/fault.userupdates.csv')).document.uri.fsPath;
    const journal = path.join(path.dirname(input), '.clerk-runs', 'fault.userupdates.csv.journal.jsonl');
    assert.equal(fake.users.get(DEMO_USER_IDS.alan)!.first_name, 'Alan Mathison');
    // Someone else changes Alan after the run.
    fake.clock.advance(1000);
    const edit = await fetch(`${fake.url}/v1/users/${DEMO_USER_IDS.alan}`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${FAKE_TEST_KEY}`, 'Content-Type': 'application/json' },
      body: '{"last_name":"Turing OBE"}',
    });
    assert.equal(edit.status, 200);
    const from = fake.requests.length;
    const result = await vscode.commands.executeCommand<BulkResult>('clerkUserUpdate.undoRun', {
      journal,
      confirmed: true,
    });
    assert.equal(result.status, 'finished', result.message);
    assert.deepEqual([result.summary?.updated, result.summary?.skipped], [1, 1]);
    assert.match(
      result.message,
      /^Restored 1, unchanged 0, failed 0, skipped 1 of 2 rows \(1 user_changed\)/,
    );
    assert.deepEqual(
      writes(fake, from).map((r) => `${r.method} ${r.path}`),
      [`PATCH /v1/users/${DEMO_USER_IDS.linus}`],
    );
    const linus = fake.users.get(DEMO_USER_IDS.linus)!;
    assert.deepEqual([linus.first_name, linus.last_name], [null, null], 'back to what it was before the run');
    assert.equal(fake.users.get(DEMO_USER_IDS.alan)!.first_name, 'Alan Mathison', 'not overwritten');
    assert.equal(result.report, journal.replace(/\.journal\.jsonl$/, '.undo.report.jsonl'));
    assert.deepEqual(
      reportOf(result)
        .map((l) => [l.row, l.status, l.code])
        .sort(),
      [
        [2, 'skipped', 'user_changed'],
        [3, 'updated', null],
      ],
    );
  });

  test('Cancel while a row is in flight: it finishes and is journaled, no new row starts; running again resumes', async () => {
    const { document } = await openFixture('bulk-runs/cancel.userupdates.jsonl');
    const held = fake.hold({ method: 'PATCH', path: `/v1/users/${DEMO_USER_IDS.katherine}` });
    const from = fake.requests.length;
    const running = clickLens(document.uri, 'Send 3 updates');
    await held.arrived;
    assert.deepEqual(await titles(document.uri), ['Running…', 'Cancel']);
    assert.equal(await clickLens(document.uri, 'Cancel'), true);
    held.release();
    const result = await running;
    assert.equal(result.status, 'cancelled', result.message);
    assert.match(
      result.message,
      /^Cancelled: rows in flight were finished and journaled\. Updated 1, .* Run the same command again to resume from .*cancel\.userupdates\.jsonl\.journal\.jsonl\.$/,
    );
    assert.equal(writes(fake, from).length, 1, 'the row in flight only');
    assert.deepEqual(await titles(document.uri), ['Send 3 updates', 'Preview run']);

    const resumed = await clickLens(document.uri, 'Send 3 updates');
    assert.equal(resumed.status, 'finished', resumed.message);
    assert.deepEqual([resumed.summary?.updated, resumed.summary?.failed], [3, 0]);
    assert.equal(writes(fake, from).length, 3, 'the other two rows, once each');
    const katherine = fake.users.get(DEMO_USER_IDS.katherine)!;
    assert.deepEqual([katherine.first_name, katherine.last_name], ['Katherine G.', 'Goble Johnson']);
  });

  test('Preview run: a rendered page, the plan file and the lens count; nothing is sent', async () => {
    const { document } = await openFixture('bulk-runs/preview.userupdates.csv');
    const from = fake.requests.length;
    const result = await clickLens(document.uri, 'Preview run');
    assert.equal(result.status, 'planned', result.message);
    assert.deepEqual([result.plan?.toChange, result.plan?.unchanged, result.plan?.failing], [1, 1, 1]);
    assert.deepEqual(writes(fake, from), [], 'nothing sent');
    const runs = path.join(path.dirname(document.uri.fsPath), '.clerk-runs');
    assert.equal(
      fs.existsSync(path.join(runs, 'preview.userupdates.csv.journal.jsonl')),
      false,
      'no journal',
    );
    assert.equal(result.report, path.join(runs, 'preview.userupdates.csv.plan.jsonl'));
    // The preview is a rendered page in a webview: the theme's colours, no script, a strict policy.
    const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs);
    const isPreview = (t: vscode.Tab) =>
      t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('clerkUserUpdate.runPreview');
    const tab = await waitForEvent(vscode.window.tabGroups.onDidChangeTabs, () => tabs().find(isPreview), {
      what: 'the preview tab',
      describe: () =>
        tabs()
          .map((t) => t.label)
          .join(', '),
    });
    assert.equal(tab.label, 'Preview: preview.userupdates.csv');
    const html = result.html!;
    assert.match(
      html,
      /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-[\w+/=]+';">/,
    );
    assert.ok(
      !/<script|https?:\/\//.test(html.replace(/http:\/\/127\.0\.0\.1:\d+/g, '')),
      'no script, no remote content',
    );
    assert.match(html, /color: var\(--vscode-foreground\)/);
    assert.match(html, /<main tabindex="0" aria-label="Preview of preview\.userupdates\.csv">/);
    assert.ok(html.includes('<h1>Preview of preview.userupdates.csv: nothing was sent</h1>'));
    assert.ok(html.includes('<tr><th scope="row">to change</th><td class="num">1</td></tr>'));
    assert.ok(html.includes('<tr><th scope="row">locale</th><td class="num">1</td></tr>'));
    assert.ok(html.includes('<li><code>locale: en-GB → fr-FR</code></li>'));
    assert.ok(html.includes('<li>line 4: No user has the email address &#39;nobody@example.com&#39;.</li>'));
    // The lens counts what the preview found.
    assert.deepEqual(await titles(document.uri), ['Send 1 update (1 unchanged, 1 failing)', 'Preview run']);
    assert.deepEqual(
      reportOf(result).map((l) => [l.row, (l as unknown as { action: string }).action]),
      [
        [2, 'change'],
        [3, 'unchanged'],
        [4, 'fail'],
      ],
    );
  });

  test("Export Users to Bulk File: an organization's members as CSV, paced, written and opened; a bulk file that runs as unchanged", async () => {
    const target = path.join(
      path.dirname((await openFixture('bulk-runs/preview.userupdates.csv')).document.uri.fsPath),
      'navy',
    );
    const result = await vscode.commands.executeCommand<BulkResult & { users?: number }>(
      'clerkUserUpdate.exportUsers',
      {
        selection: { kind: 'organization', organizationId: DEMO_ORGANIZATION_IDS.navy },
        format: 'csv',
        path: target,
      },
    );
    assert.equal(result.status, 'exported', result.message);
    assert.equal(result.message, 'Exported 2 users to navy.userupdates.csv.');
    assert.equal(result.report, `${target}.userupdates.csv`, 'the bulk suffix is added');
    const lines = fs.readFileSync(result.report!, 'utf8').trimEnd().split('\n');
    assert.match(lines[0], /^\$user_id,first_name,last_name,/);
    assert.deepEqual(
      lines
        .slice(1)
        .map((l) => l.split(',')[0])
        .sort(),
      [DEMO_USER_IDS.ada, DEMO_USER_IDS.grace].sort(),
    );
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, result.report, 'opened');
    assert.equal(fs.existsSync(`${result.report}.part`), false);
    const again = await clickLens(vscode.Uri.file(result.report!), 'Preview run');
    assert.deepEqual(
      [again.plan?.toChange, again.plan?.unchanged, again.plan?.failing],
      [0, 2, 0],
      'sent back as it is, nothing would change',
    );
  });

  test('Export Users to Bulk File with the setting export.metadataColumns: a CSV column per metadata key; an edited cell merges that key only', async () => {
    const target = path.join(
      path.dirname((await openFixture('bulk-runs/preview.userupdates.csv')).document.uri.fsPath),
      'navy-keys',
    );
    await updateUserSetting('export.metadataColumns', true);
    let result: BulkResult;
    try {
      result = await vscode.commands.executeCommand<BulkResult>('clerkUserUpdate.exportUsers', {
        selection: { kind: 'organization', organizationId: DEMO_ORGANIZATION_IDS.navy },
        format: 'csv',
        path: target,
        overwrite: true,
      });
    } finally {
      await updateUserSetting('export.metadataColumns', undefined);
    }
    assert.equal(result.status, 'exported', result.message);
    const lines = fs.readFileSync(result.report!, 'utf8').trimEnd().split('\n');
    const header = lines[0].split(',');
    const metadataColumns = header.filter((c) => c.includes('metadata'));
    assert.ok(metadataColumns.includes('public_metadata.role'), lines[0]);
    assert.ok(
      metadataColumns.every((c) => /^(public|private|unsafe)_metadata\./.test(c)),
      `no whole-field metadata column: ${lines[0]}`,
    );
    assert.equal(fs.existsSync(`${result.report}.spool`), false, 'the spool is removed');
    const again = await clickLens(vscode.Uri.file(result.report!), 'Preview run');
    assert.deepEqual([again.plan?.toChange, again.plan?.unchanged, again.plan?.failing], [0, 2, 0]);

    // An edited cell, sent back, changes that key; the other keys of the user are kept.
    const role = header.indexOf('public_metadata.role');
    const before = structuredClone(fake.users.get(DEMO_USER_IDS.grace)!.public_metadata);
    fake.users.get(DEMO_USER_IDS.grace)!.public_metadata.badge = 'COBOL';
    const document = await vscode.workspace.openTextDocument(result.report!);
    const line = lines.findIndex((l) => l.startsWith(`${DEMO_USER_IDS.grace},`));
    const cells = lines[line].split(',');
    cells[role] = 'rear-admiral';
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, document.lineAt(line).range, cells.join(','));
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await document.save());
    const send = (await codeLenses(document.uri)).map(lensTitle).find((t) => t?.startsWith('Send '));
    const sent = await clickLens(document.uri, send ?? 'a Send lens');
    assert.deepEqual([sent.summary?.updated, sent.summary?.unchanged], [1, 1], sent.message);
    assert.deepEqual(fake.users.get(DEMO_USER_IDS.grace)!.public_metadata, {
      ...before,
      badge: 'COBOL',
      role: 'rear-admiral',
    });
  });
});
