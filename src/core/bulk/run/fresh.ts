import type { ClerkUser } from '../../clerk/types';

/** A batch read in progress: writes after `seq` are newer than what it returns. */
export interface ReadToken {
  readonly seq: number;
}

/**
 * Keeps a batch read from being used stale. Batches overlap (the next one is read while the
 * last one is sent), so a row may come to a user that the run wrote after its batch was read:
 * it then takes the user as Clerk returned it after that write. Writes are remembered only as
 * long as a read that began before them is still in use, so memory stays small.
 */
export class FreshUsers {
  #seq = 0;
  readonly #writes = new Map<string, { seq: number; user: ClerkUser }>();
  readonly #open = new Set<ReadToken>();

  beginRead(): ReadToken {
    const token = { seq: this.#seq };
    this.#open.add(token);
    return token;
  }

  /** Every row of the read has taken its user. */
  endRead(token: ReadToken): void {
    this.#open.delete(token);
    let oldest = Infinity;
    for (const t of this.#open) oldest = Math.min(oldest, t.seq);
    for (const [id, w] of this.#writes) if (w.seq <= oldest) this.#writes.delete(id);
  }

  /** The user as a write of the run returned it. */
  wrote(user: ClerkUser): void {
    this.#writes.set(user.id, { seq: ++this.#seq, user });
  }

  /** `read` (from the batch read of `token`), or the user as written by the run since that read began. */
  current(read: ClerkUser, token: ReadToken): ClerkUser {
    const w = this.#writes.get(read.id);
    return w && w.seq > token.seq ? w.user : read;
  }
}
