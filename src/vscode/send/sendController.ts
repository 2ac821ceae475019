import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { ClerkFailure } from '../../core/clerk/errors';
import type { ClerkUser } from '../../core/clerk/types';
import { type CoreDiagnostic, describeDiagnostic } from '../../core/diagnostics';
import { readUtf8 } from '../../core/text/utf8Reader';
import type { HistoryEntry } from '../../core/history/entry';
import { payloadValue } from '../../core/payload/value';
import { redactSecrets, secretValuesOf } from '../../core/redact';
import type { SendReport } from '../../core/send/result';
import type { EditorChange } from '../history/historyRecorder';
import { type DocumentReport, sendDocument } from '../../core/send/document';
import type { SendPorts } from '../../core/send/ports';
import type { UserQueue } from '../../core/send/userQueue';
import type { ApiErrorDiagnostics } from './apiErrorDiagnostics';
import { type ClientFactory, connector } from '../environments/clients';
import { toRange } from '../convert';
import type { DiagnosticsController } from '../authoring/diagnostics';
import { isUserUpdateDocument } from '../documents';
import type { ResolvedEnvironment } from '../environments/environments';
import { basename, confirmInEditor, LazyProgress } from './sendPorts';
import { type SendResult, type SentUpdate, toSendResult, toSentUpdate } from './sendResults';
import type { Settings } from '../settings';
import { offerToWriteUserId, pickUser } from '../users/userPicker';
import { errorMessage } from '../../core/text/format';

export interface SendControllerDeps {
  diagnostics: DiagnosticsController;
  clients: ClientFactory;
  /** Sends (and undos) to the same user on the same instance run one after the other. */
  queue: UserQueue;
  /** Warnings found outside the core pipeline (e.g. identifier checks), asked about like the others. */
  extraWarnings?: (uri: vscode.Uri) => string[];
  apiErrors: ApiErrorDiagnostics;
  log: vscode.LogOutputChannel;
  settings: () => Settings;
  /** Records what was sent in the history (awaited: the entry is there when the command resolves). */
  record?: (report: SendReport, change: EditorChange) => Promise<HistoryEntry | undefined>;
  /** Keeps the user a send read (or Clerk returned), as the document's last known user. */
  remember?: (document: vscode.Uri, user: ClerkUser, environment: string) => void;
  /** Presents the outcome (notifications with actions). Not awaited by the send. */
  present: (result: SendResult, context: { document: vscode.Uri; sent?: SentUpdate }) => void;
}

interface InFlight {
  abort: AbortController;
  /** The result to show once the send is no longer in flight. */
  present?: () => void;
}

/**
 * The editor's adapter of the send use case (src/core/send): exactly the text the user sees
 * (unsaved edits included); never twice at once for a file (a second click while in flight sends
 * nothing); questions as modals, progress as a cancellable notification, results as notifications.
 */
export class SendController implements vscode.Disposable {
  private readonly inFlight = new Map<string, InFlight>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;

  constructor(private readonly deps: SendControllerDeps) {}

  isSending(uri: vscode.Uri): boolean {
    return this.inFlight.has(uri.toString());
  }

  /** Cancels the send in flight for `uri` (or every send when no uri is given). */
  cancel(uri?: vscode.Uri): boolean {
    let cancelled = false;
    for (const [key, flight] of this.inFlight) {
      if (!uri || key === uri.toString()) {
        flight.abort.abort();
        cancelled = true;
      }
    }
    return cancelled;
  }

  async send(uri?: vscode.Uri): Promise<SendResult> {
    const target = uri ?? vscode.window.activeTextEditor?.document.uri;
    if (!target)
      return this.finish({ status: 'blocked', message: 'Open a *.userupdate.json file to send it.' });
    const key = target.toString();
    // Claimed synchronously, before any await: a double click finds it taken.
    if (this.inFlight.has(key)) {
      return this.finish(
        { status: 'busy', message: 'A send for this file is already in flight; nothing was sent again.' },
        target,
        false,
      );
    }
    const flight: InFlight = { abort: new AbortController() };
    this.inFlight.set(key, flight);
    this.emitter.fire(target);
    try {
      return await this.run(target, flight);
    } catch (error) {
      // Never let an unexpected error escape as a crash; never echo secrets.
      const message = redactSecrets(`The send failed unexpectedly: ${errorMessage(error)}`, []);
      this.deps.log.error(message);
      return this.finish({ status: 'failed', message }, target);
    } finally {
      this.inFlight.delete(key);
      this.emitter.fire(target);
      flight.present?.();
    }
  }

  private async run(uri: vscode.Uri, flight: InFlight): Promise<SendResult> {
    if (!vscode.workspace.isTrusted) {
      const message =
        'Sending is disabled in an untrusted workspace. Authoring still works; trust the workspace to send updates to Clerk.';
      return this.finish({ status: 'untrusted', message }, uri);
    }
    const document = await vscode.workspace.openTextDocument(uri);
    if (!isUserUpdateDocument(document))
      return this.finish(
        { status: 'blocked', message: `${basename(uri)} is not a *.userupdate.json file.` },
        uri,
      );
    // Bytes on disk that are not UTF-8 show as U+FFFD in the editor: never sent as such.
    if (uri.scheme === 'file' && !document.isDirty) {
      const problem = readUtf8(await readFile(uri.fsPath)).problem;
      if (problem)
        return this.finish(
          { status: 'blocked', message: `Not sent: fix ${describeDiagnostic(problem)} first.` },
          uri,
        );
    }
    // The exact text sent is the text validated now: take both from one snapshot.
    const text = document.getText();
    const analysis = this.deps.diagnostics.analysis(document);
    let environment: ResolvedEnvironment | undefined;
    let target = analysis.userId;
    const progress = new LazyProgress(() => `Clerk: sending to ${target}`, flight.abort);
    const ports: SendPorts = {
      confirm: (question) => confirmInEditor(question, basename(uri)),
      progress: (message) => progress.report(message),
      log: (level, line) => this.deps.log[level](line),
      pickUser: async (client, signal) => {
        const picked = await pickUser(client, signal);
        target = picked?.id;
        if (picked)
          void offerToWriteUserId(document, picked, () => this.deps.diagnostics.analysis(document).root);
        return picked;
      },
      signal: flight.abort.signal,
    };
    let report: DocumentReport;
    try {
      report = await sendDocument(
        {
          text,
          analysis,
          extraWarnings: this.deps.extraWarnings?.(uri),
          connect: connector(this.deps.clients, (seen) => (environment = seen)),
          queue: this.deps.queue,
          readUser: true,
          rateLimit: { maxTries: this.deps.settings().maxRateLimitRetries + 1 },
        },
        ports,
      );
    } finally {
      progress.done();
    }
    if (report.status !== 'unavailable' && environment) {
      // The user as Clerk last showed it: returned by the last request, else read before sending.
      const seen = report.user ?? report.before;
      if (seen) this.deps.remember?.(uri, seen, environment.name);
    }
    let entry: HistoryEntry | undefined;
    if (report.status !== 'unavailable' && environment && this.deps.record) {
      const { name, apiUrl, production, key } = environment;
      const secrets = [key, ...(analysis.root ? secretValuesOf(payloadValue(analysis.root)) : [])];
      entry = await this.deps.record(report, {
        instance: { name, apiUrl, production },
        apiVersion: analysis.apiVersion,
        source: uri,
        secrets,
      });
    }
    if (report.status === 'blocked' && report.errors?.[0]) await focusProblem(document, report.errors[0]);
    if (report.status === 'sent') this.deps.apiErrors.clear(uri);
    if (report.status === 'failed') this.showParamErrors(uri, report.failure);
    const sent = toSentUpdate(report, uri, environment, analysis.apiVersion);
    if (sent && entry) sent.entryId = entry.id;
    return this.finish(toSendResult(report, environment), uri, true, sent);
  }

  /** Clerk's errors that name a parameter become diagnostics on that key. */
  private showParamErrors(uri: vscode.Uri, failure: ClerkFailure | undefined): void {
    const paramErrors = (failure?.errors ?? [])
      .filter((e) => typeof e.meta?.param_name === 'string')
      .map((e) => ({
        paramName: e.meta!.param_name as string,
        message: e.long_message || e.message,
        code: e.code,
      }));
    if (paramErrors.length === 0) return;
    void vscode.workspace
      .openTextDocument(uri)
      .then((doc) => this.deps.apiErrors.show(doc, this.deps.diagnostics.analysis(doc).root, paramErrors));
  }

  private finish(result: SendResult, document?: vscode.Uri, present = true, sent?: SentUpdate): SendResult {
    if (!present) return result;
    if (!document) {
      void vscode.window.showWarningMessage(result.message);
      return result;
    }
    const show = () => this.deps.present(result, { document, sent });
    const flight = this.inFlight.get(document.toString());
    // While the send is still marked in flight (lens "Sending…", progress shown), the result waits
    // for send() to clear that state, so the user never sees "Updated…" next to "Sending…".
    if (flight) flight.present = show;
    else show();
    return result;
  }

  dispose(): void {
    this.cancel();
    this.emitter.dispose();
  }
}

/** Shows the document with `diagnostic`'s range selected (the first problem that blocks a send or a run). */
export async function focusProblem(
  document: vscode.TextDocument,
  diagnostic: Pick<CoreDiagnostic, 'range'>,
): Promise<void> {
  const editor = await vscode.window.showTextDocument(document, { preserveFocus: false, preview: false });
  const range = toRange(diagnostic.range);
  editor.selection = new vscode.Selection(range.start, range.end);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}
