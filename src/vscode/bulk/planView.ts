import type { PlanLine, RunPlan } from '../../core/bulk/run/types';
import type { Instance } from '../../core/clerk/instance';
import { showValue } from '../../core/users/preview';

const n = (x: number): string => x.toLocaleString('en-US');

/** A value in a Markdown table cell: JSON, with the pipes escaped. */
function cell(value: unknown): string {
  return showValue(value).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function diff(line: PlanLine): string[] {
  const who = line.user_id ? `${line.target} (${line.user_id})` : line.target;
  return [`### line ${line.row}: ${who}`, '', '| field | now | after the run |', '| --- | --- | --- |', ...line.changes.map((c) => `| ${c.field} | ${cell(c.before)} | ${cell(c.after)} |`), ''];
}

/**
 * A dry run as a read-only Markdown document: the counts (to change, unchanged, failing), the
 * rows per field, the requests, the rows that cannot be sent and the first 20 diffs; the whole
 * plan is in the plan file, one line per row.
 */
export function planMarkdown(fileName: string, plan: RunPlan, instance: Instance | undefined, planFile: string | undefined, note?: string): string {
  const out = [`# Preview of ${fileName}: nothing was sent`, ''];
  if (instance) out.push(`Compared with the users of ${instance.name} (${instance.apiUrl})${instance.production ? ', a **production** instance' : ''}.`, '');
  if (note) out.push(`> ${note}`, '');
  out.push('| rows | |', '| --- | ---: |', `| to change | ${n(plan.toChange)} |`, `| unchanged (the user already has the values) | ${n(plan.unchanged)} |`, `| failing (cannot be sent) | ${n(plan.failing)} |`);
  if (plan.finished) out.push(`| finished by an earlier run (journal) | ${n(plan.finished)} |`);
  if (plan.toReconcile) out.push(`| sent without an answer: checked at Clerk first | ${n(plan.toReconcile)} |`);
  out.push(`| **total** | **${n(plan.total)}** |`, '');
  const changes = (f: RunPlan['fields'][number]): string => (f.changes ?? []).map((c) => `${c.change} × ${n(c.rows)}`).join(', ').replace(/\|/g, '\\|');
  if (plan.fields.length > 0) {
    out.push('## Fields', '', '| field | rows that change it | changes |', '| --- | ---: | --- |', ...plan.fields.map((f) => `| ${f.field} | ${n(f.rows)} | ${changes(f)} |`), '');
  }
  if (plan.requests.length > 0) out.push('## Requests', '', ...plan.requests.map((r) => `- ${r.request} × ${n(r.count)}`), '');
  if (plan.failures.length > 0) out.push('## Rows that cannot be sent', '', ...plan.failures.map((f) => `- ${f}`), '');
  if (plan.diffs.length > 0) out.push(`## The first ${plan.diffs.length === 1 ? 'change' : `${plan.diffs.length} changes`}`, '', ...plan.diffs.flatMap(diff));
  if (planFile) out.push(`The whole plan, one line per row: \`${planFile}\``, '');
  return out.join('\n');
}
