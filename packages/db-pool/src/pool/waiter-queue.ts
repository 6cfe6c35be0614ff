import { performance } from 'node:perf_hooks';
import type { PooledConnection } from './pooled-connection';

/** A caller waiting at capacity for a connection. */
export interface Waiter {
  /** `performance.now()` when the caller asked, for the wait time it reports. */
  readonly start: number;
  readonly deadline: number;
  resolve(connection: PooledConnection | Promise<PooledConnection>): void;
  reject(error: Error): void;
}

/**
 * Waiting callers in arrival order. Every waiter gets the same timeout, so deadlines are in queue order:
 * one timer, armed for the head, expires waiters from the front, and handing a connection to the head
 * costs no timer work at all.
 */
export class WaiterQueue {
  #items: (Waiter | undefined)[] = [];
  #head = 0;
  #timer: NodeJS.Timeout | undefined;
  readonly #onExpired: (waiter: Waiter) => void;

  constructor(onExpired: (waiter: Waiter) => void) {
    this.#onExpired = onExpired;
  }

  get length(): number {
    return this.#items.length - this.#head;
  }

  push(waiter: Waiter): void {
    this.#items.push(waiter);
    if (this.#timer === undefined) this.#arm(waiter.deadline);
  }

  shift(): Waiter | undefined {
    const waiter = this.#items[this.#head];
    if (waiter === undefined) return undefined;
    this.#items[this.#head++] = undefined;
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head >= 1024 && this.#head * 2 >= this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return waiter;
  }

  /** Removes every waiter (and the timer), for the caller to reject. */
  drain(): Waiter[] {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const waiters = this.#items.slice(this.#head) as Waiter[];
    this.#items = [];
    this.#head = 0;
    return waiters;
  }

  #arm(deadline: number): void {
    this.#timer = setTimeout(this.#expire, Math.max(1, Math.ceil(deadline - performance.now())));
  }

  readonly #expire = (): void => {
    this.#timer = undefined;
    const now = performance.now();
    let head = this.#items[this.#head];
    while (head !== undefined && head.deadline <= now) {
      this.shift();
      this.#onExpired(head);
      head = this.#items[this.#head];
    }
    if (head !== undefined) this.#arm(head.deadline);
  };
}
