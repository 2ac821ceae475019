/** A counting semaphore whose size may change as it goes (the pacer's concurrency). */
export class Slots {
  #active = 0;
  readonly #waiting: Array<() => void> = [];
  readonly #size: () => number;

  constructor(size: () => number) {
    this.#size = size;
  }

  acquire(): Promise<void> {
    if (this.#active < Math.max(1, this.#size())) {
      this.#active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  release(): void {
    this.#active--;
    while (this.#waiting.length > 0 && this.#active < Math.max(1, this.#size())) {
      this.#active++;
      this.#waiting.shift()?.();
    }
  }
}
