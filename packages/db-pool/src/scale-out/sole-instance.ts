import { type ElectionCallbacks, type LeaderElector, runCallback } from './leader-election';

/** SQLite runs as one instance, which leads from the start. */
export class SoleInstance implements LeaderElector {
  readonly #callbacks: ElectionCallbacks;
  readonly #term = new AbortController();
  #closing: Promise<void> | undefined;

  constructor(callbacks: ElectionCallbacks) {
    this.#callbacks = callbacks;
    callbacks.logger.info({}, 'leader elected: SQLite has a single instance');
    void runCallback(callbacks.logger, 'onElected', callbacks.onElected, this.#term.signal);
  }

  get isLeader(): boolean {
    return this.#closing === undefined;
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#term.abort();
      await runCallback(this.#callbacks.logger, 'onDemoted', this.#callbacks.onDemoted, 'stopped' as const);
    })();
    return this.#closing;
  }
}
