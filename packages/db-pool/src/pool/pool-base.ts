import type { Logger } from '@letta/core';
import { errorType } from './connection-failure';
import { type PoolEventName, PoolEvents, type PoolListener } from './pool-events';

/** What both pools share: a name, events whose failing listeners are logged, and hooks run at the end. */
export abstract class PoolBase {
  readonly name: string;
  protected readonly logger: Logger;
  protected readonly events: PoolEvents;
  readonly #endHooks: (() => void)[] = [];

  constructor(name: string, logger: Logger) {
    this.name = name;
    this.logger = logger;
    this.events = new PoolEvents((event, error) =>
      logger.error({ pool: name, event, errorType: errorType(error) }, 'a pool event listener threw'),
    );
  }

  on<E extends PoolEventName>(event: E, listener: PoolListener<E>): () => void {
    return this.events.on(event, listener);
  }

  off<E extends PoolEventName>(event: E, listener: PoolListener<E>): void {
    this.events.off(event, listener);
  }

  /** Runs once the pool has closed its last connection (used to detach monitoring). */
  onEnd(hook: () => void): void {
    this.#endHooks.push(hook);
  }

  protected runEndHooks(): void {
    for (const hook of this.#endHooks.splice(0)) hook();
  }
}
