import type { ClerkClient } from '../../core/clerk/client';
import type { ClerkUser } from '../../core/clerk/types';

const TTL_MS = 30_000;

/** Users fetched once and kept briefly (identifier completion and checks), keyed by instance and id. */
export class UserCache {
  private readonly entries = new Map<string, { at: number; user: Promise<ClerkUser | undefined> }>();

  constructor(private readonly now: () => number = Date.now) {}

  get(client: ClerkClient, userId: string): Promise<ClerkUser | undefined> {
    const key = `${client.apiUrl}|${userId}`;
    const hit = this.entries.get(key);
    if (hit && this.now() - hit.at < TTL_MS) return hit.user;
    const user = client.getUser(userId).then((r) => (r.ok ? r.data : undefined));
    this.entries.set(key, { at: this.now(), user });
    return user;
  }

  /** Forget a user after it changed (a send). */
  invalidate(apiUrl: string, userId: string): void {
    this.entries.delete(`${apiUrl}|${userId}`);
  }
}
