import type { Logger } from '@letta/telemetry';
import { errorName } from './error-name';

/** What the server started and must close again, newest first. */
export class Closers {
  readonly #logger: Logger;
  readonly #closers: Array<{ name: string; close: () => Promise<void> | void }> = [];

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  add(name: string, close: () => Promise<void> | void): void {
    this.#closers.push({ name, close });
  }

  /** Closes everything added so far, newest first; `false` when something failed to close (it is logged). */
  async closeAll(): Promise<boolean> {
    let clean = true;
    for (const { name, close } of this.#closers.splice(0).reverse()) {
      const started = performance.now();
      try {
        await close();
        this.#logger.info({ component: name, ms: Math.round(performance.now() - started) }, 'Closed');
      } catch (error) {
        clean = false;
        this.#logger.error({ component: name, errorType: errorName(error) }, 'Closing a component failed');
      }
    }
    return clean;
  }
}
