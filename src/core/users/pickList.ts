/**
 * The users of a search-as-you-type picker, each at a position that never changes.
 *
 * VS Code's quick pick names an item by its index in the list the extension set last. A pick made on
 * one list (Enter on the highlighted row) can reach the extension after the next search's list was
 * set: with a list rebuilt per search, that index names whoever is at it now, another user or none.
 * Here a user keeps the index of its first appearance for the life of the picker: a search adds the
 * users it is the first to find at the end, refreshes the others in place, and marks its results.
 */
export class PickList<U extends { id: string }> {
  private readonly users: U[] = [];
  private readonly indexById = new Map<string, number>();
  /** The results of the latest search for a non-empty query: listed whatever the picker's filter. */
  private alwaysShown = new Set<string>();

  /** A search for `query` answered `found` (in its order of relevance). */
  showResults(query: string, found: readonly U[]): void {
    this.alwaysShown = new Set(query.trim() === '' ? [] : found.map((user) => user.id));
    for (const user of found) {
      const index = this.indexById.get(user.id);
      if (index === undefined) {
        this.indexById.set(user.id, this.users.length);
        this.users.push(user);
      } else this.users[index] = user;
    }
  }

  /** The query changed: no user is a result until its search answers. */
  clearResults(): void {
    this.alwaysShown = new Set();
  }

  /**
   * Every user seen, in a stable order. `alwaysShow`: a result of a search for a non-empty query, which
   * stays listed even when the picker's own filter (name, email, id) does not match it: a search by
   * phone number or username finds users whose row does not show either.
   */
  entries(): Array<{ user: U; alwaysShow: boolean }> {
    return this.users.map((user) => ({ user, alwaysShow: this.alwaysShown.has(user.id) }));
  }
}
