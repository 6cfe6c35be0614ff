/** Counts the statuses a burst of requests got, and which of them a client could not act on. */
export class StatusTally {
  readonly #counts = new Map<string, number>();

  /** A 503 counts as `503+Retry-After` only when it names when to retry. */
  add(response: { status: number; headers: Headers }): void {
    const key =
      response.status === 503 && response.headers.get('retry-after') !== null
        ? '503+Retry-After'
        : String(response.status);
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
  }

  count(status: number): number {
    return this.#counts.get(String(status)) ?? 0;
  }

  statuses(): Record<string, number> {
    return Object.fromEntries(this.#counts);
  }

  /** Every status other than `success` and 503 with `Retry-After`, with its count. */
  unexpected(success: number): Array<[string, number]> {
    return [...this.#counts].filter(([key]) => key !== String(success) && key !== '503+Retry-After');
  }
}
