import type { PlannedRequest } from '../payload/plan';
import type { Instance } from '../clerk/instance';

/**
 * The one production rule: a write to a production instance (an `sk_live_` key) is always a
 * deliberate act. Every send, undo and run asks first, naming the instance, who is changed and
 * which fields; the editor shows a modal, the CLI asks at a terminal or needs `--yes`.
 */
export interface ProductionConfirmation {
  action: 'send' | 'undo';
  instance: Instance;
  /** "Ada Lovelace (user_…)". */
  who: string;
  fields: string[];
  /** "PATCH /v1/users/user_…", in order. */
  requests: string[];
  /** For undo: what it restores and what it cannot. For a bulk run: what it will do. */
  summary?: string;
  /**
   * A bulk run (or its undo): how many users it writes to, and up to three of them ("Ada Lovelace (user_…)").
   */
  count?: number;
  samples?: string[];
}

/** True when a write to `instance` must be confirmed first. */
export function needsConfirmation(instance: Pick<Instance, 'production'>): boolean {
  return instance.production;
}

export function productionConfirmation(
  action: ProductionConfirmation['action'],
  instance: Instance,
  who: string,
  plan: readonly PlannedRequest[],
  summary?: string,
): ProductionConfirmation {
  const fields = [...new Set(plan.flatMap((p) => p.fields))];
  return { action, instance, who, fields, requests: plan.map((p) => `${p.method} ${p.path}`), summary };
}
