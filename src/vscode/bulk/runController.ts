import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { finalOutcomes, loadJournal } from '../../core/bulk/journal/journalIndex';
import { type RunResult, runBulk } from '../../core/bulk/run/run';
import { RUN_ROWS } from '../../core/history/build';
import type { ReportLine } from '../../core/bulk/run/types';
import { describeDiagnostic } from '../../core/diagnostics';
import { redactSecrets } from '../../core/redact';
import type { Instance } from '../../core/clerk/instance';
import { textInput } from '../../node/bulkInput';
import { JournalFile } from '../../node/journalFile';
import { JsonLinesFile, prepareRunFolder, readJournalHeader, runFilesFor } from '../../node/runFiles';
import { runPathsProblem } from '../../node/runPaths';
import { readUtf8 } from '../../core/text/utf8Reader';
import type { RowFailures } from './failedRows';
import { PlanPanels, planHtml } from './planView';
import { RunProgressView } from './runProgress';
import {
  type BulkResult,
  type BulkRunsDeps,
  confirmRun,
  describePace,
  logSummary,
  presentSummary,
  rateSetting,
  tell,
  unavailable,
  untrusted,
} from './bulkSession';
import { connector } from '../environments/clients';
import { bulkFormatOfDocument } from '../documents';
import { focusProblem } from '../send/sendController';
import { basename } from '../send/sendPorts';
import { errorMessage, formatCount } from '../../core/text/format';

type Mode = 'send' | 'preview' | 'retry';

const n = formatCount;

/** The rows whose last outcome in a journal is `failed`. */
async function failedRowsOf(path: string): Promise<number[]> {
  const store = new JournalFile(path);
  const loaded = await loadJournal(store, false);
  if (loaded.status !== 'ok') return [];
  const rows: number[] = [];
  for await (const { mark } of finalOutcomes(store, loaded.index))
    if (mark.state === 'failed') rows.push(mark.row);
  return rows;
}

/**
 * Bulk runs of the editor: the engine's `runBulk` on the file as saved on disk, with the
 * editor's ports: errors block the run (the first one focused), warnings and production asked once
 * as modals, a cancellable progress notification, the journal and the report next to the file, the
 * failed rows as diagnostics, and a summary with its actions. Never two runs of a file at once.
 */
export class BulkRunController implements vscode.Disposable {
  private readonly inFlight = new Map<string, AbortController>();
  private readonly previews = new PlanPanels();

  constructor(
    private readonly deps: BulkRunsDeps,
    private readonly failures: RowFailures,
  ) {}

  send(uri?: vscode.Uri, options: { restart?: boolean } = {}): Promise<BulkResult> {
    return this.start(uri, 'send', options);
  }

  preview(uri?: vscode.Uri): Promise<BulkResult> {
    return this.start(uri, 'preview', {});
  }

  retry(uri?: vscode.Uri): Promise<BulkResult> {
    return this.start(uri, 'retry', {});
  }

  /** Cancels the run of `uri` (every run when none is given): no new row starts; rows in flight finish. */
  cancel(uri?: vscode.Uri): boolean {
    let cancelled = false;
    for (const [key, abort] of this.inFlight) {
      if (!uri || key === uri.toString()) {
        abort.abort();
        cancelled = true;
      }
    }
    return cancelled;
  }

  private async start(
    uri: vscode.Uri | undefined,
    mode: Mode,
    options: { restart?: boolean },
  ): Promise<BulkResult> {
    const target = uri ?? vscode.window.activeTextEditor?.document.uri;
    if (!target)
      return tell({
        status: 'not-bulk',
        message: 'Open a *.userupdates.jsonl or *.userupdates.csv file to run it.',
      });
    const key = target.toString();
    // Claimed before any await: a second click while a run is in flight finds it taken.
    if (this.inFlight.has(key))
      return tell({
        status: 'busy',
        message: `A run of ${basename(target)} is already in flight; nothing was sent again.`,
      });
    const abort = new AbortController();
    this.inFlight.set(key, abort);
    try {
      return await this.run(target, mode, options, abort);
    } catch (error) {
      const message = redactSecrets(
        `The run of ${basename(target)} failed unexpectedly: ${errorMessage(error)}`,
        [],
      );
      this.deps.log.error(message);
      return tell({ status: 'failed', message, file: target.fsPath });
    } finally {
      this.inFlight.delete(key);
    }
  }

  private async run(
    uri: vscode.Uri,
    mode: Mode,
    options: { restart?: boolean },
    abort: AbortController,
  ): Promise<BulkResult> {
    const name = basename(uri);
    const verb = mode === 'preview' ? 'previewed' : 'sent';
    if (!vscode.workspace.isTrusted)
      return tell(
        untrusted(mode === 'preview' ? 'Previewing a run (it reads the users from Clerk)' : 'Sending'),
      );
    const document = await vscode.workspace.openTextDocument(uri);
    const format = bulkFormatOfDocument(document);
    if (!format)
      return tell({
        status: 'not-bulk',
        message: `${name} is not a *.userupdates.jsonl or *.userupdates.csv file.`,
      });
    if (uri.scheme !== 'file')
      return tell({
        status: 'blocked',
        message: `${name} is not a file on disk: a run keeps its journal next to the file.`,
      });
    // What runs is the file on disk, exactly: unsaved edits are saved first, or nothing runs.
    if (document.isDirty && !(await saveFirst(document, mode)))
      return tell({
        status: 'unsaved',
        message: `Not ${verb}: ${name} has unsaved changes, and a run sends the file as it is saved.`,
      });
    const checked = this.deps.diagnostics.bulkCheck(document, format);
    const errors = checked.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) {
      await focusProblem(document, errors[0]);
      const more = errors.length > 1 ? ` (and ${n(errors.length - 1)} more)` : '';
      return tell({
        status: 'blocked',
        message: `Not ${verb}: fix ${describeDiagnostic(errors[0])}${more} first.`,
        file: uri.fsPath,
      });
    }
    const pace = rateSetting(this.deps.settings());
    if (pace.message) return tell({ status: 'blocked', message: `Not ${verb}: ${pace.message}` });

    // The bytes hashed (the journal's key) are the bytes that run, whatever is saved meanwhile.
    const bytes = await readFile(uri.fsPath);
    // Read strictly: bytes that are not UTF-8 (VS Code shows them as U+FFFD) are never sent.
    const decoded = readUtf8(bytes, { csv: format === 'csv' });
    if (decoded.problem)
      return tell({
        status: 'blocked',
        message: `Not ${verb}: fix ${describeDiagnostic(decoded.problem)} first.`,
        file: uri.fsPath,
      });
    const inputHash = createHash('sha256').update(bytes).digest('hex');
    const files = runFilesFor(uri.fsPath);
    const journalPath = files.journal;
    const outputs = [
      { name: 'the journal', path: journalPath },
      mode === 'preview'
        ? { name: 'the plan', path: files.plan }
        : { name: 'the report', path: files.report },
    ];
    const clash = await runPathsProblem({ name, path: uri.fsPath }, outputs);
    if (clash) return tell({ status: 'blocked', message: `Not ${verb}: ${clash}`, file: uri.fsPath });
    const header = await readJournalHeader(journalPath);
    const changed = header?.kind === 'run' && header.input_sha256 !== inputHash;
    let restart = options.restart === true;
    let onlyRows: Set<number> | undefined;
    if (mode === 'retry') {
      // Unchanged file: the journal's failed rows. Edited (a fix): the rows that failed, where they are now,
      // in a new journal.
      const tracked = this.failures.rows(uri);
      const rows =
        changed && tracked.length > 0 ? tracked : header ? await failedRowsOf(journalPath) : tracked;
      if (rows.length === 0)
        return tell({ status: 'nothing', message: `${name} has no failed rows to retry.` });
      onlyRows = new Set(rows);
      restart = changed;
    } else if (mode === 'send' && changed && !restart) {
      if (!(await askRestart(name, header.started_at)))
        return tell({
          status: 'declined',
          message: `Not sent: ${name} has changed since its journal began; nothing was sent.`,
        });
      restart = true;
    }

    let instance: Instance | undefined;
    let key: string | undefined;
    const rows: ReportLine[] = [];
    const defaultApiVersion = this.deps.defaultApiVersion(uri);
    const progress = new RunProgressView(
      `Clerk: ${mode === 'preview' ? 'previewing' : 'sending'} ${name}`,
      abort,
    );
    const out = new JsonLinesFile(mode === 'preview' ? files.plan : files.report);
    await prepareRunFolder(out.path, journalPath);
    const failed: ReportLine[] = [];
    const journal = new JournalFile(journalPath);
    const log = this.deps.log;
    log.info(
      `${name}: ${mode === 'preview' ? 'preview (dry run)' : mode === 'retry' ? `retry of ${n(onlyRows!.size)} failed rows` : 'run'} of ${n(checked.rows)} rows${restart ? ', a new journal (the old one is kept aside)' : ''}; journal ${journalPath}`,
    );
    this.failures.setRunning(uri, true);
    let result: RunResult;
    try {
      result = await runBulk(
        {
          input: textInput(decoded.text, format, {
            defaultApiVersion,
            allowSecrets: this.deps.settings().bulkAllowSecrets,
            metadataTypes: this.deps.diagnostics.metadataTypesFor(uri),
          }),
          inputHash,
          inputName: name,
          journal,
          connect: connector(this.deps.clients, (environment) => {
            instance = {
              name: environment.name,
              apiUrl: environment.apiUrl,
              production: environment.production,
            };
            key = environment.key;
            log.info(
              `${name}: instance ${environment.name} (${environment.apiUrl})${environment.production ? ', production key' : ''}; pace ${describePace(pace.rate, environment.production)}`,
            );
          }),
          defaultApiVersion,
          dryRun: mode === 'preview',
          restart,
          retryFailed: mode === 'retry',
          onlyRows,
          rate: pace.rate,
          maxWaitSeconds: this.deps.settings().bulkMaxWaitSeconds,
          signal: abort.signal,
        },
        {
          confirm: (question) => confirmRun(question, name),
          progress: (p) => progress.run(p),
          planned: (plan) =>
            log.info(
              `${name}: planned ${n(plan.toChange)} to change, ${n(plan.unchanged)} unchanged, ${n(plan.failing)} failing, ${n(plan.finished)} finished before, ${n(plan.toReconcile)} to check first`,
            ),
          plan: (line) => out.write(line),
          report: (line) => {
            if (line.status === 'failed') failed.push(line);
            if (rows.length < RUN_ROWS) rows.push(line);
            return out.write(line);
          },
          log: (level, line) => log[level](line),
        },
      );
    } finally {
      progress.done();
      this.failures.setRunning(uri, false);
      await Promise.all([out.close(), journal.close()]);
    }
    const base: BulkResult = {
      status: result.status,
      message: result.message,
      file: uri.fsPath,
      journal: journalPath,
      progress: progress.seen(),
    };
    switch (result.status) {
      case 'planned': {
        const { plan } = result;
        this.deps.state(uri, {
          kind: 'planned',
          version: document.version,
          toChange: plan.toChange,
          unchanged: plan.unchanged,
          failing: plan.failing,
        });
        const planFile = out.lines > 0 ? out.path : undefined;
        const panel = this.previews.show(uri, `Preview: ${name}`, (nonce) =>
          planHtml(name, plan, instance, planFile, result.note, nonce),
        );
        log.info(`${name}: ${result.message}`);
        return { ...base, plan, report: out.path, html: panel.webview.html };
      }
      case 'finished':
      case 'cancelled':
      case 'stopped': {
        this.failures.show(document, format, failed);
        if (instance && mode !== 'preview') {
          const run = {
            status: result.status,
            message: result.message,
            summary: result.summary,
            journal: journalPath,
            fields: result.plan.fields.map((f) => f.field),
            rows,
          };
          await this.deps.recordRun?.(
            run,
            { instance, apiVersion: defaultApiVersion, source: uri, secrets: [key] },
            'run',
          );
        }
        const done = {
          ...base,
          plan: result.plan,
          summary: result.summary,
          report: out.lines > 0 ? out.path : undefined,
          failedRows: failed.map((l) => l.row),
        };
        logSummary(log, name, done);
        presentSummary(done, name, { kind: 'run', uri, journal: journalPath, resume: () => this.send(uri) });
        return done;
      }
      case 'blocked': {
        const line = /^line (\d+)/.exec(result.errors[0] ?? '');
        if (line)
          await focusProblem(document, {
            range: {
              start: { line: Number(line[1]) - 1, character: 0 },
              end: { line: Number(line[1]) - 1, character: 0 },
            },
          });
        log.warn(`${name}: ${result.message}`);
        return tell({ ...base, plan: result.plan });
      }
      case 'unavailable':
        log.warn(`${name}: ${result.message}`);
        return tell({ ...base, status: unavailable(result.problem) });
      case 'refused':
        log.warn(`${name}: ${result.message}`);
        return tell(base);
      default:
        log.info(`${name}: ${result.message}`);
        return tell({ ...base, plan: result.plan });
    }
  }

  dispose(): void {
    this.cancel();
    this.previews.dispose();
  }
}

/** Unsaved edits: a run sends the file on disk, so it is saved first (asked once). */
async function saveFirst(document: vscode.TextDocument, mode: Mode): Promise<boolean> {
  const action = mode === 'preview' ? 'Save and Preview' : 'Save and Send';
  const answer = await vscode.window.showWarningMessage(
    `${basename(document.uri)} has unsaved changes. Save it first?`,
    {
      modal: true,
      detail:
        'A run sends the file as it is saved on disk, and its journal belongs to that version of the file.',
    },
    action,
  );
  return answer === action && (await document.save());
}

/** The file changed since its journal began: resuming would apply another file. */
async function askRestart(name: string, startedAt: string): Promise<boolean> {
  const answer = await vscode.window.showWarningMessage(
    `${name} has changed since its run began (${new Date(startedAt).toLocaleString()}). Start a new run?`,
    {
      modal: true,
      detail:
        'The old journal is kept beside the file (renamed), and Undo Run still finds it. The new run compares every row with the users again: rows applied before are found unchanged and not sent.',
    },
    'Start New Run',
  );
  return answer === 'Start New Run';
}
