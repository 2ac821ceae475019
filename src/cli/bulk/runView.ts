import type { PlanLine, RunPlan, RunProgress, RunSummary } from '../../core/bulk/run/types';
import type { CoreDiagnostic } from '../../core/diagnostics';
import { quote } from '../../core/text/clip';
import { WILL_BE_CLEARED, WILL_BE_SET } from '../../core/users/preview';
import type { CliIO } from '../io';
import { ProgressLine, progressText } from './progress';
import { diagnosticLine } from '../validate';
import { formatCount } from '../../core/text/format';

const n = formatCount;

/** What a bulk command says as it starts. */
export interface StartInfo {
  command: 'send' | 'undo';
  input: string;
  journal: string;
  report: string;
  apiUrl: string;
  production: boolean;
  rate: string;
  dryRun: boolean;
}

/** How a bulk command ended, as the view shows it. */
export interface EndInfo {
  status: string;
  exitCode: number;
  message: string;
  summary?: RunSummary;
  plan?: RunPlan;
  journal?: string;
  report?: string;
  /** The exact command that resumes the run. */
  resume?: string;
  /** Lines said after the message (hints: --restart, --yes, --retry-failed). */
  hints?: string[];
}

/**
 * What a bulk command (send, undo) shows: text for a person (progress on standard error, the
 * summary on standard output), or `--format json`: one JSON event per line on standard output.
 */
export interface RunView {
  start(info: StartInfo): void;
  /** A line for the person running it. */
  note(message: string): void;
  /** A problem of the input file, as `validate` lists it. */
  problem(file: string, d: CoreDiagnostic): void;
  progress(p: RunProgress): void;
  /** The plan of a run about to send (after the first read, before any question). */
  planned(plan: RunPlan): void;
  /** Ctrl+C: what happens now. */
  interrupted(message: string): void;
  end(info: EndInfo): void;
}

export function runView(io: CliIO, format: 'text' | 'json'): RunView {
  return format === 'json' ? jsonView(io) : textView(io);
}

function jsonView(io: CliIO): RunView {
  const event = (type: string, body: object): void => io.stdout(`${JSON.stringify({ type, ...body })}\n`);
  return {
    start: (info) =>
      event('start', {
        command: info.command,
        input: info.input,
        journal: info.journal,
        report: info.report,
        api_url: info.apiUrl,
        production: info.production,
        rate: info.rate,
        dry_run: info.dryRun,
      }),
    note: (message) => event('note', { message }),
    problem: (file, d) =>
      event('problem', {
        file,
        line: d.range.start.line + 1,
        column: d.range.start.character + 1,
        severity: d.severity,
        code: d.code,
        message: d.message,
      }),
    progress: (p) => event('progress', p),
    planned: (plan) => event('plan', plan),
    interrupted: (message) => event('interrupted', { message }),
    end: (info) =>
      event('result', {
        status: info.status,
        exit_code: info.exitCode,
        message: info.message,
        ...(info.summary ? { summary: info.summary } : {}),
        ...(info.plan && info.status === 'planned' ? { plan: info.plan } : {}),
        ...(info.journal ? { journal: info.journal } : {}),
        ...(info.report ? { report: info.report } : {}),
        ...(info.resume ? { resume: info.resume } : {}),
        ...(info.hints?.length ? { hints: info.hints } : {}),
      }),
  };
}

function textView(io: CliIO): RunView {
  const line = new ProgressLine(io);
  const err = (text: string): void => line.print(`${text}\n`);
  let waiting = false;
  return {
    start(info) {
      const key = info.production ? 'production key' : 'development key';
      const what = info.dryRun
        ? `Dry run of ${info.input} against ${info.apiUrl} (${key}): nothing is sent.`
        : `${info.command === 'undo' ? 'Undoing the run of' : 'Sending'} ${info.input} to ${info.apiUrl} (${key}, at most ${info.rate}).`;
      err(what);
      if (!info.dryRun) err(`Journal: ${info.journal}`);
    },
    note: err,
    problem: (file, d) => err(diagnosticLine(file, d)),
    progress(p) {
      // A wait after a 429 is said as it begins, on a terminal or not (the progress line may be minutes
      // apart).
      const wait = p.waitingSeconds !== undefined && p.waitingSeconds > 0;
      if (wait && !waiting)
        err(`Clerk answered 429 (too many requests): waiting ${p.waitingSeconds} s before sending more.`);
      waiting = wait;
      line.update(p.phase, progressText(p, line.tty));
    },
    planned(plan) {
      const parts = [
        `${n(plan.toChange)} to change`,
        `${n(plan.unchanged)} unchanged`,
        `${n(plan.failing)} that cannot be sent`,
      ];
      if (plan.finished) parts.push(`${n(plan.finished)} finished before`);
      if (plan.toReconcile) parts.push(`${n(plan.toReconcile)} to check at Clerk first`);
      err(`Plan: ${parts.join(', ')} (${n(plan.total)} rows).`);
    },
    interrupted: err,
    end(info) {
      line.end();
      const out: string[] = [];
      const ok = info.status === 'finished' || info.status === 'planned';
      if (info.status === 'planned' && info.plan) out.push(info.message, ...planLines(info.plan));
      else if (info.summary && info.status !== 'planned')
        out.push(info.message, ...failureLines(info.summary));
      else io.stderr(`${info.message}\n`);
      if (info.journal && info.summary) out.push(`Journal: ${info.journal}`);
      if (info.report)
        out.push(`${info.status === 'planned' ? 'Plan of every row' : 'Report'}: ${info.report}`);
      if (info.resume) out.push('To resume, run:', `  ${info.resume}`);
      out.push(...(info.hints ?? []));
      if (out.length === 0) return;
      const text = `${out.join('\n')}\n`;
      if (ok || info.status === 'cancelled') io.stdout(text);
      else io.stderr(text);
    },
  };
}

/** The failed (and skipped) rows by reason, most frequent first. */
function failureLines(s: RunSummary): string[] {
  if (s.failuresByCode.length === 0) return [];
  return ['By reason:', ...s.failuresByCode.map((c) => `  ${n(c.count)} ${c.code} (e.g. ${c.example})`)];
}

/** A dry run: fields, requests, the first 20 changes, the first rows that cannot be sent. */
function planLines(plan: RunPlan): string[] {
  const out: string[] = [];
  const changes = (f: RunPlan['fields'][number]): string =>
    f.changes?.length ? `: ${f.changes.map((c) => `${c.change} × ${n(c.rows)}`).join(', ')}` : '';
  if (plan.fields.length)
    out.push(
      `Fields: ${plan.fields.map((f) => `${f.field} (${n(f.rows)} ${f.rows === 1 ? 'row' : 'rows'}${changes(f)})`).join(', ')}`,
    );
  if (plan.dropped) {
    const lost = plan.dropped.keys
      .map((k) => `${k.path} (${n(k.users)} ${k.users === 1 ? 'user' : 'users'})`)
      .join(', ');
    out.push(
      `Replacing metadata removes keys from ${n(plan.dropped.users)} ${plan.dropped.users === 1 ? 'user' : 'users'}: ${lost}`,
    );
  }
  if (plan.requests.length)
    out.push(`Requests: ${plan.requests.map((r) => `${r.request} × ${n(r.count)}`).join(', ')}`);
  if (plan.diffs.length) {
    out.push(plan.toChange > plan.diffs.length ? `The first ${plan.diffs.length} changes:` : 'Changes:');
    for (const d of plan.diffs) out.push(...diffLines(d));
  }
  if (plan.failures.length) out.push('Cannot be sent:', ...plan.failures.map((f) => `  ${f}`));
  return out;
}

function diffLines(d: PlanLine): string[] {
  const head = `  line ${d.row}, ${d.target}${d.user_id && !d.target.endsWith(d.user_id) ? ` (${d.user_id})` : ''}:`;
  const shown = new Set(d.changes.map((c) => c.field));
  const changes = d.changes.map((c) => `    ${c.field}: ${show(c.before)} → ${show(c.after)}`);
  const more = d.fields.filter((f) => !shown.has(f)).map((f) => `    ${f}: (will be set)`);
  return [head, ...changes, ...more];
}

/** Shown as they are: what stands in for secret values, and undo's "as the run left it". */
const MARKERS = new Set([WILL_BE_SET, WILL_BE_CLEARED, '(set)', '(not set)', '(as the run left it)']);

function show(value: unknown): string {
  if (value === undefined) return '(absent)';
  return typeof value === 'string' && MARKERS.has(value) ? value : quote(value);
}
