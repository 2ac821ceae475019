import * as vscode from 'vscode';
import type { Analysis } from '../core/analyze';
import type { ClerkClient } from '../core/clerk/client';
import type { ClerkFailure } from '../core/clerk/errors';
import { redactSecrets, secretValuesOf } from '../core/clerk/redact';
import { sendPlan, type SendOutcome } from '../core/clerk/send';
import { userDisplayName, type ClerkUser } from '../core/clerk/types';
import type { CoreDiagnostic } from '../core/diagnostics';
import { planRequests, type PlannedRequest } from '../core/payload/plan';
import type { ApiVersion } from '../core/versions';
import type { ApiErrorDiagnostics } from './apiErrorDiagnostics';
import { toRange } from './convert';
import type { DiagnosticsController } from './diagnostics';
import { isUserUpdateDocument } from './documents';
import type { ClientFactory } from './clients';
import type { UserQueue } from './userQueue';
import type { ResolvedEnvironment } from './environments';
import type { Settings } from './settings';
import { pickUser, offerToWriteUserId } from './userPicker';

/** What a send ended with. Returned by the command, so callers (and tests) can see it. */
export interface SendResult {
  status: 'sent' | 'failed' | 'blocked' | 'cancelled' | 'busy' | 'declined' | 'untrusted' | 'no-key' | 'no-target' | 'nothing';
  message: string;
  userId?: string;
  environment?: string;
  /** Method, path and HTTP status of each request that was sent. */
  steps?: { method: string; path: string; status?: number }[];
  traceId?: string;
  failureKind?: ClerkFailure['kind'];
  /** HTTP status of the failed request, when there was one (a 2xx here means the change was probably applied). */
  httpStatus?: number;
  /** The user as returned by Clerk after a successful send. */
  user?: ClerkUser;
}

/** Called after every successful send, with what undo needs. */
export interface SentUpdate {
  document: vscode.Uri;
  environment: ResolvedEnvironment;
  apiVersion: ApiVersion;
  before: ClerkUser;
  after: ClerkUser;
  plan: PlannedRequest[];
}

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
  /** Presents the outcome (notifications with actions). Not awaited by the send. */
  present: (result: SendResult, context: { document: vscode.Uri; outcome?: SendOutcome; sent?: SentUpdate }) => void;
}

interface InFlight {
  abort: AbortController;
  cancelled: boolean;
  /** The result to show once the send is no longer in flight. */
  present?: () => void;
}

/**
 * Sends *.userupdate.json files to Clerk, safely:
 * - exactly the text the user sees (unsaved edits included), `$` keys removed;
 * - never twice at once for a file (a second click while in flight sends nothing);
 * - one after the other for the same user and instance, in parallel otherwise;
 * - production keys and warnings ask first; errors block and focus the first problem.
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
        flight.cancelled = true;
        flight.abort.abort();
        cancelled = true;
      }
    }
    return cancelled;
  }

  async send(uri?: vscode.Uri): Promise<SendResult> {
    const target = uri ?? vscode.window.activeTextEditor?.document.uri;
    if (!target) return this.finish({ status: 'blocked', message: 'Open a *.userupdate.json file to send it.' });
    const key = target.toString();
    // Claimed synchronously, before any await: a double click finds it taken.
    if (this.inFlight.has(key)) {
      return this.finish({ status: 'busy', message: 'A send for this file is already in flight; nothing was sent again.' }, target, false);
    }
    const flight: InFlight = { abort: new AbortController(), cancelled: false };
    this.inFlight.set(key, flight);
    this.emitter.fire(target);
    try {
      const result = await this.run(target, flight);
      return result;
    } catch (error) {
      // Never let an unexpected error escape as a crash; never echo secrets.
      const message = `The send failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`;
      this.deps.log.error(redactSecrets(message, []));
      return this.finish({ status: 'failed', message: redactSecrets(message, []) }, target);
    } finally {
      this.inFlight.delete(key);
      this.emitter.fire(target);
      flight.present?.();
    }
  }

  private async run(uri: vscode.Uri, flight: InFlight): Promise<SendResult> {
    if (!vscode.workspace.isTrusted) {
      return this.finish(
        {
          status: 'untrusted',
          message: 'Sending is disabled in an untrusted workspace. Authoring still works; trust the workspace to send updates to Clerk.',
        },
        uri,
      );
    }
    const document = await vscode.workspace.openTextDocument(uri);
    if (!isUserUpdateDocument(document)) {
      return this.finish({ status: 'blocked', message: `${basename(uri)} is not a *.userupdate.json file.` }, uri);
    }
    // The exact text sent is the text validated now: take both from one snapshot.
    const text = document.getText();
    const version = document.version;
    const analysis = this.deps.diagnostics.analysis(document);

    const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) {
      await focusProblem(document, errors[0]);
      const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
      return this.finish({ status: 'blocked', message: `Not sent: fix ${describeProblem(errors[0])}${more} first.` }, uri);
    }
    if (!analysis.root) return this.finish({ status: 'blocked', message: 'Not sent: the file must hold a JSON object.' }, uri);

    const warnings = [...analysis.diagnostics.filter((d) => d.severity === 'warning').map(describeProblem), ...(this.deps.extraWarnings?.(uri) ?? [])];
    if (warnings.length > 0) {
      const answer = await vscode.window.showWarningMessage(
        `${basename(uri)} has ${warnings.length === 1 ? 'a warning' : `${warnings.length} warnings`}. Send anyway?`,
        { modal: true, detail: warnings.join('\n') },
        'Send Anyway',
      );
      if (answer !== 'Send Anyway') return this.finish({ status: 'declined', message: 'Not sent: the warnings were not accepted.' }, uri);
    }

    const made = await this.deps.clients.forActive(analysis.apiVersion);
    if ('problem' in made) return this.finish({ status: made.problem, environment: made.environment.name, message: made.message }, uri);
    const { client, environment } = made;

    let userId = analysis.userId;
    if (!userId) {
      const picked = await pickUser(client, flight.abort.signal);
      if (!picked) return this.finish({ status: 'no-target', message: 'Not sent: no target user was chosen ($user_id is missing).' }, uri);
      userId = picked.id;
      void offerToWriteUserId(document, picked, () => this.deps.diagnostics.analysis(document).root);
    }

    const plan = planRequests(text, analysis.root, userId, analysis.apiVersion);
    if (plan.length === 0) {
      return this.finish({ status: 'nothing', message: 'Nothing to send: the file has no fields besides its $ keys.', userId }, uri);
    }
    const queueKey = `${environment.apiUrl}|${userId}`;
    return this.deps.queue.run(queueKey, () => this.execute({ uri, version, text, analysis, environment, client, userId, plan, flight }));
  }

  private async execute(job: {
    uri: vscode.Uri;
    version: number;
    text: string;
    analysis: Analysis;
    environment: ResolvedEnvironment;
    client: ClerkClient;
    userId: string;
    plan: PlannedRequest[];
    flight: InFlight;
  }): Promise<SendResult> {
    const { uri, environment, client, userId, plan, flight } = job;
    const secrets = [environment.key, ...secretValuesOfText(job.text)];
    const fields = [...new Set(plan.flatMap((p) => p.fields))];
    const base = { userId, environment: environment.name };

    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Clerk: sending to ${userId}`, cancellable: true },
      async (progress, token) => {
        const cancelListener = token.onCancellationRequested(() => {
          flight.cancelled = true;
          flight.abort.abort();
        });
        try {
          progress.report({ message: 'reading the user…' });
          const read = await client.getUser(userId, { signal: flight.abort.signal });
          if (flight.cancelled) return this.cancelled(base, uri, secrets);
          if (!read.ok) return this.failed(base, uri, read, [], secrets);
          const before = read.data;

          if (environment.production) {
            const confirmed = await confirmProduction(environment, before, fields, plan);
            if (!confirmed) return this.finish({ ...base, status: 'declined', message: 'Not sent: the production send was not confirmed.' }, uri);
          }
          if (flight.cancelled) return this.cancelled(base, uri, secrets);

          const outcome = await sendPlan(client, plan, userId, {
            signal: flight.abort.signal,
            rateLimit: {
              policy: { maxTries: this.deps.settings().maxRateLimitRetries + 1 },
              onWait: (wait) => {
                const why = wait.fromRetryAfter ? 'Retry-After' : 'no Retry-After given';
                progress.report({ message: `rate limited by Clerk; retrying in ${wait.waitSeconds} s (${why}, try ${wait.nextTry} of ${wait.maxTries})…` });
                this.deps.log.warn(`429 from Clerk for ${userId}; waiting ${wait.waitSeconds} s before try ${wait.nextTry} of ${wait.maxTries}`);
              },
            },
            onStep: (request, index, total) => progress.report({ message: `${request.method} ${request.path}${total > 1 ? ` (${index + 1} of ${total})` : ''}…` }),
          });
          const steps = outcome.steps.map((s) => ({ method: s.request.method, path: s.request.path, status: s.result.status }));
          if (flight.cancelled) {
            if (outcome.ok) this.deps.log.warn(`A response from Clerk arrived after Cancel for ${userId} and was dropped (status ${steps.at(-1)?.status}).`);
            return this.cancelled({ ...base, steps }, uri, secrets);
          }
          if (!outcome.ok || !outcome.user) return this.failed(base, uri, outcome.failure, steps, secrets, outcome);

          const last = outcome.steps.at(-1)?.result;
          const traceId = last?.ok ? last.traceId : undefined;
          this.logLine('info', environment, userId, steps, outcome.durationMs, traceId, secrets);
          this.deps.apiErrors.clear(uri);
          const twoSteps = plan.length > 1 ? ` (${plan.map((p) => p.method).join(' + ')})` : '';
          const result: SendResult = {
            ...base,
            status: 'sent',
            message: `Updated ${userDisplayName(outcome.user)} (${outcome.user.id})${twoSteps}.`,
            steps,
            traceId,
            user: outcome.user,
          };
          const sent: SentUpdate = { document: uri, environment, apiVersion: job.analysis.apiVersion, before, after: outcome.user, plan };
          return this.finish(result, uri, true, outcome, sent);
        } finally {
          cancelListener.dispose();
        }
      },
    );
  }

  private cancelled(base: Partial<SendResult>, uri: vscode.Uri, secrets: (string | undefined)[]): SendResult {
    this.deps.log.info(redactSecrets(`Send to ${base.userId} cancelled by the user; any response that arrives later is dropped.`, secrets));
    return this.finish({ ...base, status: 'cancelled', message: 'Cancelled. If Clerk had already received the request, the change may still have been applied.' }, uri);
  }

  private failed(
    base: { userId: string; environment: string },
    uri: vscode.Uri,
    failure: ClerkFailure | undefined,
    steps: SendResult['steps'],
    secrets: (string | undefined)[],
    outcome?: SendOutcome,
  ): SendResult {
    const message = redactSecrets(failure?.message ?? 'The send failed.', secrets);
    const paramErrors = (failure?.errors ?? [])
      .filter((e) => typeof e.meta?.param_name === 'string')
      .map((e) => ({ paramName: e.meta!.param_name as string, message: redactSecrets(e.long_message || e.message, secrets), code: e.code }));
    if (paramErrors.length > 0) {
      void vscode.workspace.openTextDocument(uri).then((doc) => this.deps.apiErrors.show(doc, this.deps.diagnostics.analysis(doc).root, paramErrors));
    }
    const environment = base.environment;
    this.deps.log.error(
      redactSecrets(
        `send env=${environment} user=${base.userId} failed kind=${failure?.kind} status=${failure?.status ?? '-'} duration=${failure?.durationMs ?? 0}ms trace=${failure?.traceId ?? '-'} codes=${(failure?.errors ?? []).map((e) => e.code).join(',') || '-'}: ${message}`,
        secrets,
      ),
    );
    return this.finish(
      {
        ...base,
        status: failure?.kind === 'cancelled' ? 'cancelled' : 'failed',
        message,
        steps,
        traceId: failure?.traceId,
        failureKind: failure?.kind,
        httpStatus: failure?.status,
      },
      uri,
      true,
      outcome,
    );
  }

  private logLine(
    level: 'info' | 'error',
    environment: ResolvedEnvironment,
    userId: string,
    steps: SendResult['steps'],
    durationMs: number,
    traceId: string | undefined,
    secrets: (string | undefined)[],
  ): void {
    const line = `send env=${environment.name} user=${userId} ${steps?.map((s) => `${s.method} ${s.status ?? '-'}`).join(', ')} duration=${durationMs}ms trace=${traceId ?? '-'}`;
    this.deps.log[level](redactSecrets(line, secrets));
  }

  private finish(result: SendResult, document?: vscode.Uri, present = true, outcome?: SendOutcome, sent?: SentUpdate): SendResult {
    if (!present) return result;
    if (!document) {
      void vscode.window.showWarningMessage(result.message);
      return result;
    }
    const show = () => this.deps.present(result, { document, outcome, sent });
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

function basename(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}

function describeProblem(d: CoreDiagnostic): string {
  return `line ${d.range.start.line + 1}: ${d.message}`;
}

async function focusProblem(document: vscode.TextDocument, diagnostic: CoreDiagnostic): Promise<void> {
  const editor = await vscode.window.showTextDocument(document, { preserveFocus: false, preview: false });
  const range = toRange(diagnostic.range);
  editor.selection = new vscode.Selection(range.start, range.end);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

function secretValuesOfText(text: string): string[] {
  try {
    return secretValuesOf(JSON.parse(text));
  } catch {
    return [];
  }
}

async function confirmProduction(environment: ResolvedEnvironment, user: ClerkUser, fields: string[], plan: PlannedRequest[]): Promise<boolean> {
  const answer = await vscode.window.showWarningMessage(
    `Send to PRODUCTION: update ${userDisplayName(user)} (${user.id})?`,
    {
      modal: true,
      detail: [
        `Instance: ${environment.name} (${environment.apiUrl}), production key (sk_live_).`,
        `Fields: ${fields.join(', ')}.`,
        `Requests: ${plan.map((p) => `${p.method} ${p.path}`).join(', ')}.`,
      ].join('\n'),
    },
    'Send to Production',
  );
  return answer === 'Send to Production';
}
