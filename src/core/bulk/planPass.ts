import type { ClerkUser } from '../clerk/types';
import { userDisplayName } from '../clerk/types';
import type { FieldChange } from '../users/preview';
import { inBatches } from './batches';
import { type RunContext, selectRow } from './context';
import { type PreparedRow, diffRow, prepareRow, simulateWrite } from './rows';
import { resolveTargets } from './targets';
import { type BulkRow, type PlanLine, type RowTarget, type RunPlan, formatTarget } from './types';

const FIRST = 20;

export interface PlanOutcome {
  plan: RunPlan;
  /** The first errors ("line N: …") and how many there are: any refuses the run. */
  errors: string[];
  errorCount: number;
  warnings: string[];
  warningCount: number;
  /** Set when Clerk refused the key: nothing else can work. */
  fatal?: string;
}

/** "PATCH /v1/users/{user_id}" for a planned request. */
function requestKind(method: string, path: string): string {
  return `${method} ${path.endsWith('/metadata') ? '/v1/users/{user_id}/metadata' : '/v1/users/{user_id}'}`;
}

function shownChanges(changes: FieldChange[]): PlanLine['changes'] {
  return changes.filter((c) => c.change === 'set' || c.change === 'cleared' || c.change === 'secret').map((c) => ({ field: c.field, before: c.before, after: c.after }));
}

/**
 * The first read of a run: every row checked, targets looked up in batches and compared with
 * the users, nothing written anywhere. Counts what the run would do (the dry run's plan, the
 * production question) and finds what refuses it (errors). Rows that follow on the same user
 * are compared with that user as the earlier row leaves it (within two batches).
 */
export async function planPass(ctx: RunContext, onLine?: (line: PlanLine) => void | Promise<void>): Promise<PlanOutcome> {
  const out: PlanOutcome = {
    plan: { total: 0, toChange: 0, unchanged: 0, failing: 0, finished: 0, toReconcile: 0, fields: [], requests: [], diffs: [], samples: [], failures: [] },
    errors: [],
    errorCount: 0,
    warnings: [],
    warningCount: 0,
  };
  const { plan } = out;
  const fields = new Map<string, number>();
  const requests = new Map<string, number>();
  const sampled = new Set<string>();
  let simulated = new Map<string, ClerkUser>();
  let previous = new Map<string, ClerkUser>();
  const line = async (l: PlanLine): Promise<void> => {
    await onLine?.(l);
  };
  const failing = async (row: number, target: string, code: string, message: string): Promise<void> => {
    plan.failing++;
    if (plan.failures.length < FIRST) plan.failures.push(`line ${row}: ${message}`);
    await line({ row, target, user_id: null, action: 'fail', fields: [], changes: [], code, message });
  };

  for await (const batch of inBatches(ctx.input.rows(), ctx.batchSize)) {
    const fresh: PreparedRow[] = [];
    const reconcile: Array<{ row: BulkRow; userId: string }> = [];
    for (const row of batch) {
      const selection = selectRow(ctx, row.row);
      if (selection.kind === 'skip') continue;
      plan.total++;
      ctx.progress.row();
      out.errorCount += row.errors?.length ?? 0;
      for (const e of row.errors ?? []) if (out.errors.length < FIRST) out.errors.push(e);
      out.warningCount += row.warnings?.length ?? 0;
      for (const w of row.warnings ?? []) if (out.warnings.length < FIRST) out.warnings.push(w);
      if (out.errorCount > 0 || out.fatal) continue;
      if (selection.kind === 'finished') {
        plan.finished++;
        await line({ row: row.row, target: formatTarget(row.target), user_id: null, action: 'done', fields: [], changes: [], code: null, message: 'Finished in an earlier run (the journal has it).' });
      } else if (selection.kind === 'reconcile') {
        reconcile.push({ row, userId: selection.sent.user_id });
      } else {
        const prepared = prepareRow(row, ctx.apiVersion);
        if ('error' in prepared) {
          out.errorCount++;
          if (out.errors.length < FIRST) out.errors.push(prepared.error);
        } else fresh.push(prepared);
      }
    }
    if (out.errorCount > 0 || out.fatal || (fresh.length === 0 && reconcile.length === 0)) continue;

    const targets: RowTarget[] = [...fresh.map((p) => p.target), ...reconcile.map((r) => ({ kind: 'user_id' as const, value: r.userId }))];
    const resolved = await resolveTargets(ctx.client, targets);
    if (resolved.fatal) {
      out.fatal = resolved.fatal.message;
      continue;
    }
    previous = simulated;
    simulated = new Map();
    for (const r of reconcile) {
      plan.toReconcile++;
      const message = 'Sent before without an answer: checked at Clerk before anything is sent again.';
      await line({ row: r.row.row, target: formatTarget(r.row.target), user_id: r.userId, action: 'change', fields: [], changes: [], code: 'reconcile', message });
    }
    for (const prepared of fresh) {
      const found = resolved.byTarget.get(prepared.targetText);
      if (!found || !found.ok) {
        await failing(prepared.row, prepared.targetText, found?.code ?? 'target_not_found', found?.message ?? 'The target was not looked up.');
        continue;
      }
      const user = simulated.get(found.user.id) ?? previous.get(found.user.id) ?? found.user;
      const diff = diffRow(prepared, user);
      if (diff.unchanged) {
        plan.unchanged++;
        await line({ row: prepared.row, target: prepared.targetText, user_id: user.id, action: 'unchanged', fields: [], changes: [], code: null, message: null });
        continue;
      }
      plan.toChange++;
      const changed = [...diff.changed, ...prepared.writeOnly];
      for (const f of changed) fields.set(f, (fields.get(f) ?? 0) + 1);
      for (const r of prepared.plan(user.id)) {
        const kind = requestKind(r.method, r.path);
        requests.set(kind, (requests.get(kind) ?? 0) + 1);
      }
      if (plan.samples.length < 3 && !sampled.has(user.id)) {
        sampled.add(user.id);
        plan.samples.push(`${userDisplayName(user)} (${user.id})`);
      }
      const l: PlanLine = { row: prepared.row, target: prepared.targetText, user_id: user.id, action: 'change', fields: changed, changes: shownChanges(diff.changes), code: null, message: null };
      if (plan.diffs.length < FIRST) plan.diffs.push(l);
      await line(l);
      simulated.set(user.id, simulateWrite(user, prepared));
    }
  }
  const problems = ctx.input.problems?.();
  for (const e of problems?.errors ?? []) if (out.errors.length < FIRST) out.errors.push(e);
  out.errorCount += problems?.errors.length ?? 0;
  for (const w of problems?.warnings ?? []) if (out.warnings.length < FIRST) out.warnings.push(w);
  out.warningCount += problems?.warnings.length ?? 0;
  plan.fields = [...fields].map(([field, rows]) => ({ field, rows })).sort((a, b) => b.rows - a.rows);
  plan.requests = [...requests].map(([request, count]) => ({ request, count }));
  return out;
}
