// Write counts that prove "exactly once": per user and per write route, how many PATCH/PUT requests
// arrived and how many the store applied (and of those, changed the user). A few numbers per user,
// whatever the number of requests, so long runs keep them all.

export interface Counts {
  /** Requests that arrived (whatever came of them: 429, 422, dropped, applied…). */
  arrived: number;
  /** Requests the store applied (answered 200 by the backend, or applied before a fault with `apply`). */
  applied: number;
  /** Applied requests that changed the user (`updated_at` moved). */
  changed: number;
}

export interface WriteCounts extends Counts {
  userId: string;
  /** By route, e.g. `PATCH /v1/users/:user_id`, `PUT /v1/users/:user_id/metadata`. */
  byRoute: Record<string, Counts>;
}

export interface WriteSummary extends Counts {
  /** Users that received at least one write. */
  users: number;
  /** Users that one write route applied more than once (should be empty after an exactly-once run). */
  appliedMoreThanOnce: string[];
  /** The most times one route applied to one user. */
  maxAppliedPerRoute: number;
}

const zero = (): Counts => ({ arrived: 0, applied: 0, changed: 0 });

export class WriteLedger {
  private readonly byUser = new Map<string, WriteCounts>();

  arrived(userId: string, route: string): void {
    this.bump(userId, route, 'arrived');
  }

  applied(userId: string, route: string, changed: boolean): void {
    this.bump(userId, route, 'applied');
    if (changed) this.bump(userId, route, 'changed');
  }

  get(userId: string): WriteCounts {
    const counts = this.byUser.get(userId);
    return counts ? structuredClone(counts) : { userId, ...zero(), byRoute: {} };
  }

  summary(): WriteSummary {
    const total: WriteSummary = {
      users: this.byUser.size,
      ...zero(),
      appliedMoreThanOnce: [],
      maxAppliedPerRoute: 0,
    };
    for (const counts of this.byUser.values()) {
      total.arrived += counts.arrived;
      total.applied += counts.applied;
      total.changed += counts.changed;
      const most = Math.max(0, ...Object.values(counts.byRoute).map((c) => c.applied));
      total.maxAppliedPerRoute = Math.max(total.maxAppliedPerRoute, most);
      if (most > 1) total.appliedMoreThanOnce.push(counts.userId);
    }
    return total;
  }

  reset(): void {
    this.byUser.clear();
  }

  private bump(userId: string, route: string, key: keyof Counts): void {
    let counts = this.byUser.get(userId);
    if (!counts) this.byUser.set(userId, (counts = { userId, ...zero(), byRoute: {} }));
    counts[key]++;
    (counts.byRoute[route] ??= zero())[key]++;
  }
}
