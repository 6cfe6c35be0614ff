import type { Gauge } from '@opentelemetry/api';

/** Why the server is or is not taking traffic, as Letta's readiness state names it. */
export type ReadinessState = 'warming' | 'ready' | 'degraded' | 'draining';

const STATES: readonly ReadinessState[] = ['warming', 'ready', 'degraded', 'draining'];

/**
 * The server's readiness: `warming` until startup finishes, `ready` (or `degraded` while a readiness
 * gate is tripped), then `draining` from the moment a shutdown begins (never back). Each transition sets Letta's one-hot `readiness_state{reason}` gauge.
 */
export class Readiness {
  #state: ReadinessState = 'warming';
  readonly #degradedBy = new Set<string>();
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

  /** A readiness gate tripped (see `ReadinessGates`): `degraded` until every tripped gate recovers. */
  degrade(source: string): void {
    this.#degradedBy.add(source);
    if (this.#state === 'ready') this.#set('degraded');
  }

  /** The gate `source` recovered; back to `ready` when no other gate is tripped. */
  recover(source: string): void {
    this.#degradedBy.delete(source);
    if (this.#state === 'degraded' && this.#degradedBy.size === 0) this.#set('ready');
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
