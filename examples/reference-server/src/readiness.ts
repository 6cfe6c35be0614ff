import type { Gauge } from '@opentelemetry/api';

/** Why the server is or is not taking traffic, as Letta's readiness state names it. */
export type ReadinessState = 'warming' | 'ready' | 'draining';

const STATES: readonly ReadinessState[] = ['warming', 'ready', 'draining'];

/**
 * The server's readiness: `warming` until startup finishes, `ready`, then `draining` from the moment a
 * shutdown begins (never back). Each transition sets Letta's one-hot `readiness_state{reason}` gauge.
 */
export class Readiness {
  #state: ReadinessState = 'warming';
  readonly #gauge: Gauge;

  constructor(gauge: Gauge) {
    this.#gauge = gauge;
    this.#record();
  }

  get state(): ReadinessState {
    return this.#state;
  }

  /** Startup finished; ignored once draining. */
  ready(): void {
    if (this.#state === 'warming') this.#set('ready');
  }

  drain(): void {
    this.#set('draining');
  }

  #set(state: ReadinessState): void {
    this.#state = state;
    this.#record();
  }

  #record(): void {
    for (const reason of STATES) this.#gauge.record(reason === this.#state ? 1 : 0, { reason });
  }
}
