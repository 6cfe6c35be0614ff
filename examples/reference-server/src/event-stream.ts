import type { ServerResponse } from 'node:http';

/**
 * One open server-sent event response: writes, remembers when it last wrote, and sleeps until it is
 * woken, ended or a timeout passes. A wake-up that lands while the stream is busy is not lost: it stays
 * `pending` until the next `takePending()`.
 */
export class EventStream {
  readonly agentId: string;
  readonly #response: ServerResponse;
  #ended = false;
  #pending = false;
  #resolveWait: (() => void) | undefined;
  #lastWrite = performance.now();

  /** Sends the status line and the event-stream headers at once. */
  constructor(response: ServerResponse, headers: Record<string, string>, agentId: string) {
    this.agentId = agentId;
    this.#response = response;
    response.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // Tells nginx (and proxies that honour it) not to buffer this response.
      'x-accel-buffering': 'no',
    });
    response.flushHeaders();
    response.once('close', () => this.end());
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** Whether a wake-up arrived since the last call; clears it. */
  takePending(): boolean {
    const pending = this.#pending;
    this.#pending = false;
    return pending;
  }

  wake(): void {
    this.#pending = true;
    this.#resolveWait?.();
  }

  write(chunk: string): void {
    this.#response.write(chunk);
    this.#lastWrite = performance.now();
  }

  /** Milliseconds since the last write (or since the stream opened). */
  idleMs(): number {
    return performance.now() - this.#lastWrite;
  }

  /** Ends the response, after `event` when given; later calls do nothing. */
  end(event?: string): void {
    if (this.#ended) return;
    this.#ended = true;
    if (event && !this.#response.writableEnded) this.#response.write(event);
    this.#response.end();
    this.wake();
  }

  /** Whether the client's socket is full: a write now would only grow the buffer. */
  get backedUp(): boolean {
    return this.#response.writableNeedDrain;
  }

  /**
   * A slow client: resolves when its socket takes more, when the stream ends, or when it is woken
   * (an announcement to count against its bound), rather than buffering its history.
   */
  async drained(): Promise<void> {
    if (!this.#response.writableNeedDrain || this.#ended) return;
    let done: (() => void) | undefined;
    await new Promise<void>((resolve) => {
      done = resolve;
      this.#resolveWait = resolve;
      this.#response.once('drain', resolve);
    });
    if (done) this.#response.removeListener('drain', done);
    this.#resolveWait = undefined;
  }

  /** Resolves after `ms`, or sooner when woken or ended. */
  async sleep(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#resolveWait = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.#resolveWait = undefined;
  }
}
