import * as vscode from 'vscode';
import type { RunResult } from '../../core/bulk/run/run';
import { undoRun } from '../../core/bulk/run/undoRun';
import type { ReportLine } from '../../core/bulk/run/types';
import { RUN_ROWS } from '../../core/history/build';
import { redactSecrets } from '../../core/redact';
import { JournalFile, fileSha256 } from '../../node/journalFile';
import { JsonLinesFile, prepareRunFolder, readJournalHeader, undoFilesFor } from '../../node/runFiles';
import { runPathsProblem } from '../../node/runPaths';
import { countOutcomes, pickRun } from './pastRuns';
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
import { basename } from '../send/sendPorts';
import { errorMessage, formatCount } from '../../core/text/format';

export interface UndoArgs {
  /** The run's journal (`FILE.journal.jsonl`); without it, the runs of the workspace are offered. */
  journal?: string;
  /** The development question was answered already (tests). A production undo always asks. */
  confirmed?: boolean;
}

const n = formatCount;

/**
 * "Clerk: Undo Run…": pick a run, confirm (production asks with the count, fields and users), then
 * `undoRun` with the run's progress, summary and report (`FILE.undo.report.jsonl`). Users changed
 * since the run are skipped and reported. The undo is journaled (`FILE.undo.journal.jsonl`) and
 * resumes like a run.
 */
export class BulkUndo implements vscode.Disposable {
  private readonly inFlight = new Map<string, AbortController>();

  constructor(private readonly deps: BulkRunsDeps) {}

  async undo(args: UndoArgs = {}): Promise<BulkResult> {
    if (!vscode.workspace.isTrusted) return tell(untrusted('Undoing a run'));
    const path = args.journal ?? (await pickRun())?.path;
    if (!path) return { status: 'nothing', message: 'No run was chosen; nothing was undone.' };
    if (this.inFlight.has(path))
      return tell({
        status: 'busy',
        message: `An undo of ${basename(vscode.Uri.file(path))} is already in flight.`,
      });
    const abort = new AbortController();
    this.inFlight.set(path, abort);
    try {
      return await this.run(path, args, abort);
    } catch (error) {
      const message = redactSecrets(`The undo failed unexpectedly: ${errorMessage(error)}`, []);
      this.deps.log.error(message);
      return tell({ status: 'failed', message, journal: path });
    } finally {
      this.inFlight.delete(path);
    }
  }

  cancel(): void {
    for (const abort of this.inFlight.values()) abort.abort();
  }

  private async run(path: string, args: UndoArgs, abort: AbortController): Promise<BulkResult> {
    const header = await readJournalHeader(path);
    if (header?.kind !== 'run')
      return tell({
        status: 'refused',
        message: `${path} is not the journal of a run: there is nothing to undo.`,
        journal: path,
      });
    const title = `Undo of ${header.input}`;
    const pace = rateSetting(this.deps.settings());
    if (pace.message) return tell({ status: 'blocked', message: `Not undone: ${pace.message}` });
    const environment = await this.deps.clients.forActive(header.api_version);
    if (!environment.ok)
      return tell({ status: unavailable(environment.problem), message: environment.message, journal: path });
    // Development: asked here. Production: the engine asks, with the count, the fields and three users.
    if (!environment.environment.production && !args.confirmed) {
      const { changed } = await countOutcomes(path);
      const answer = await vscode.window.showWarningMessage(
        `Undo the run of ${header.input} (${new Date(header.started_at).toLocaleString()})?`,
        {
          modal: true,
          detail: `It restores the values the run changed on ${n(changed)} ${changed === 1 ? 'row' : 'rows'} of ${header.instance} (${header.api_url}). A user changed since the run is skipped and reported.`,
        },
        'Undo Run',
      );
      if (answer !== 'Undo Run')
        return tell({
          status: 'declined',
          message: 'Not undone: the undo was not confirmed.',
          journal: path,
        });
    }
    const undoFiles = undoFilesFor(path);
    const undoPath = undoFiles.journal;
    const outputs = [
      { name: 'the undo journal', path: undoPath },
      { name: 'the undo report', path: undoFiles.report },
    ];
    const clash = await runPathsProblem({ name: "the run's journal", path }, outputs);
    if (clash) return tell({ status: 'refused', message: `Not undone: ${clash}`, journal: path });
    await prepareRunFolder(undoPath, undoFiles.report);
    const report = new JsonLinesFile(undoFiles.report);
    const progress = new RunProgressView(`Clerk: undoing the run of ${header.input}`, abort);
    const runJournal = new JournalFile(path);
    const journal = new JournalFile(undoPath);
    const log = this.deps.log;
    log.info(
      `${title}: journal ${path}, undo journal ${undoPath}; pace ${describePace(pace.rate, environment.environment.production)}`,
    );
    const rows: ReportLine[] = [];
    let result: RunResult;
    try {
      result = await undoRun(
        {
          runJournal,
          runJournalHash: await fileSha256(path),
          runJournalName: basename(vscode.Uri.file(path)),
          journal,
          connect: connector(this.deps.clients, () => undefined),
          rate: pace.rate,
          maxWaitSeconds: this.deps.settings().bulkMaxWaitSeconds,
          signal: abort.signal,
        },
        {
          confirm: (question) => confirmRun(question, header.input),
          progress: (p) => progress.run(p),
          report: (line) => {
            if (rows.length < RUN_ROWS) rows.push(line);
            return report.write(line);
          },
          log: (level, line) => log[level](line),
        },
      );
    } finally {
      progress.done();
      await Promise.all([report.close(), runJournal.close(), journal.close()]);
    }
    const base: BulkResult = {
      status: result.status,
      message: result.message,
      journal: path,
      progress: progress.seen(),
    };
    if (result.status === 'finished' || result.status === 'cancelled' || result.status === 'stopped') {
      const done = {
        ...base,
        plan: result.plan,
        summary: result.summary,
        report: report.lines > 0 ? report.path : undefined,
      };
      const { name, apiUrl, production, key } = environment.environment;
      const run = {
        status: result.status,
        message: result.message,
        summary: result.summary,
        journal: undoPath,
        fields: result.plan.fields.map((f) => f.field),
        rows,
      };
      await this.deps.recordRun?.(
        run,
        {
          instance: { name, apiUrl, production },
          apiVersion: header.api_version,
          source: vscode.Uri.file(path),
          secrets: [key],
        },
        'undo',
      );
      logSummary(log, title, done);
      presentSummary(done, title, {
        kind: 'undo',
        journal: path,
        resume: () => this.undo({ journal: path, confirmed: true }),
      });
      return done;
    }
    log.warn(`${title}: ${result.message}`);
    return tell(result.status === 'unavailable' ? { ...base, status: unavailable(result.problem) } : base);
  }

  dispose(): void {
    this.cancel();
  }
}
