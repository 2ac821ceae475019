import type { DescribedRequest } from '../../core/clerk/client';
import { formatFailure } from '../../core/clerk/errors';
import { userDisplayName } from '../../core/clerk/types';
import type { SendReport } from '../../core/send/result';
import { type CliIO, EXIT_FAILURE, EXIT_OK } from '../io';

/** How `send` prints: a dry run's requests, and each step and the outcome of a send. */

/**
 * A dry run's heading, an optional note, then each request exactly as it would go (key and secrets redacted).
 */
export function printDryRun(
  io: CliIO,
  heading: string,
  requests: readonly DescribedRequest[],
  note?: string,
): void {
  io.stdout(`\n${heading}\n`);
  if (note) io.stdout(`${note}\n`);
  for (const request of requests) io.stdout(`\n${formatDescribed(request)}`);
}

function formatDescribed(d: DescribedRequest): string {
  const headers = Object.entries(d.headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
  const body = d.body === undefined ? '' : `\n${d.body.endsWith('\n') ? d.body : `${d.body}\n`}`;
  return `${d.method} ${d.url}\n${headers}\n${body}`;
}

/**
 * Each request sent (stdout when it succeeded, stderr when not), then the outcome. Returns the exit status.
 */
export function printReport(io: CliIO, file: string, report: SendReport): number {
  for (const step of report.outcome?.steps ?? []) {
    const r = step.result;
    const line = `${step.request.method} ${step.request.path} → ${r.ok ? r.status : (r.status ?? r.kind)} in ${r.durationMs} ms${r.traceId ? ` (trace ${r.traceId})` : ''}${step.tries > 1 ? ` after ${step.tries} tries` : ''}`;
    if (r.ok) io.stdout(`${file}: ${line}\n`);
    else io.stderr(`${file}: ${line}\n`);
  }
  if (report.status === 'sent' && report.user) {
    io.stdout(
      `${file}: Updated ${userDisplayName(report.user)} (${report.user.id}): ${(report.plan ?? []).flatMap((r) => r.fields).join(', ')}.\n`,
    );
    return EXIT_OK;
  }
  if (report.status === 'declined') {
    io.stderr(`${file}: not sent (not confirmed).\n`);
    return EXIT_FAILURE;
  }
  if (report.failure) {
    io.stderr(`${file}: not updated: ${formatFailure(report.failure)}\n`);
    const steps = report.outcome?.steps ?? [];
    if (steps.length > 1)
      io.stderr(
        `${file}: the earlier step (${steps[0].request.method} ${steps[0].request.path}) was applied.\n`,
      );
    for (const skipped of report.outcome?.skipped ?? [])
      io.stderr(
        `${file}: ${skipped.method} ${skipped.path} was not sent because the step before it failed.\n`,
      );
    return EXIT_FAILURE;
  }
  return EXIT_OK;
}
