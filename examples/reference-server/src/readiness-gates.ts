import type { ReadinessSettings } from '@letta/settings';
import { watchEventLoopLag } from './event-loop-lag';
import type { Readiness } from './readiness';

/** Letta's readiness gates, by the name of the degradation source each one registers. */
export type GateName = 'event_loop_lag' | 'fg_in_flight' | 'bg_in_flight' | 'admission_wait';

/** A run as Letta counts it: a foreground (interactive) request or a background task. */
export type RunKind = 'foreground' | 'background';

type Change = 'trip' | 'clear' | undefined;

/**
 * One gate's stabilization: a condition must hold for `degradeAfterMs` before the gate trips, and be
 * clear for `recoverAfterMs` before it clears. An observation of the other kind restarts the timer.
 */
class StabilizedGate {
  #badSince: number | undefined;
  #goodSince: number | undefined;
  #tripped = false;

  observe(bad: boolean, now: number, degradeAfterMs: number, recoverAfterMs: number): Change {
    if (bad) {
      this.#goodSince = undefined;
      this.#badSince ??= now;
      if (this.#tripped || now - this.#badSince < degradeAfterMs) return undefined;
      this.#tripped = true;
      return 'trip';
    }
    this.#badSince = undefined;
    this.#goodSince ??= now;
    if (!this.#tripped || now - this.#goodSince < recoverAfterMs) return undefined;
    this.#tripped = false;
    return 'clear';
  }
}

/**
 * Letta's load gates (`letta/monitoring/load_gate.py` and the event-loop watchdog): event-loop lag,
 * foreground and background runs in flight, and the wait to take an agent's lock. Each enabled gate
 * marks the server degraded once its condition has held for `degradedStabilizationSeconds`, and the
 * server is ready again once every tripped gate has been clear for `recoveryStabilizationSeconds`.
 * Unlike Letta, a gate clears under the same name it tripped under, so a degraded server recovers, and
 * `tick()` re-checks the counts on a timer, so a window ends even when no new run starts or ends.
 */
export class ReadinessGates {
  readonly #settings: ReadinessSettings;
  readonly #readiness: Readiness;
  readonly #now: () => number;
  readonly #gates = new Map<GateName, StabilizedGate>();
  readonly #inFlight: Record<RunKind, number> = { foreground: 0, background: 0 };
  #lastAdmissionWaitMs: number | undefined;
  #lastLagMs: number | undefined;

  constructor(
    settings: ReadinessSettings,
    readiness: Readiness,
    now: () => number = () => performance.now(),
  ) {
    this.#settings = settings;
    this.#readiness = readiness;
    this.#now = now;
  }

  /** Counts a run in flight until the returned function is called (once). */
  runStarted(kind: RunKind): () => void {
    this.#inFlight[kind] += 1;
    this.#checkInFlight(kind);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.#inFlight[kind] -= 1;
      this.#checkInFlight(kind);
    };
  }

  /** Runs in flight now. */
  inFlight(kind: RunKind): number {
    return this.#inFlight[kind];
  }

  /** Records how long a request waited for an agent's lock. */
  admissionWaited(waitMs: number): void {
    this.#lastAdmissionWaitMs = waitMs;
    this.#checkAdmission();
  }

  /** Records the event loop's current lag. */
  eventLoopLagged(lagMs: number): void {
    this.#lastLagMs = lagMs;
    const { eventLoopLagGatingEnabled, eventLoopLagThresholdMs } = this.#settings;
    this.#observe('event_loop_lag', eventLoopLagGatingEnabled, lagMs >= eventLoopLagThresholdMs);
  }

  /** Re-checks every gate with the latest observations, so that stabilization windows end on time. */
  tick(): void {
    this.#checkInFlight('foreground');
    this.#checkInFlight('background');
    if (this.#lastAdmissionWaitMs !== undefined) this.#checkAdmission();
    if (this.#lastLagMs !== undefined) this.eventLoopLagged(this.#lastLagMs);
  }

  #checkInFlight(kind: RunKind): void {
    const settings = this.#settings;
    if (kind === 'foreground') {
      const over = this.#inFlight.foreground > settings.fgInFlightThreshold;
      this.#observe('fg_in_flight', settings.fgInFlightGatingEnabled, over);
    } else {
      const over = this.#inFlight.background > settings.bgInFlightThreshold;
      this.#observe('bg_in_flight', settings.bgInFlightGatingEnabled, over);
    }
  }

  #checkAdmission(): void {
    const { admissionWaitGatingEnabled, admissionWaitThresholdMs } = this.#settings;
    const waited = (this.#lastAdmissionWaitMs ?? 0) >= admissionWaitThresholdMs;
    this.#observe('admission_wait', admissionWaitGatingEnabled, waited);
  }

  #observe(name: GateName, enabled: boolean, bad: boolean): void {
    const settings = this.#settings;
    if (!settings.enforcementEnabled || !enabled) return;
    // As in Letta, gates only act on a server that is taking traffic (not warming or draining).
    if (this.#readiness.state !== 'ready' && this.#readiness.state !== 'degraded') return;
    let gate = this.#gates.get(name);
    if (gate === undefined) {
      gate = new StabilizedGate();
      this.#gates.set(name, gate);
    }
    const change = gate.observe(
      bad,
      this.#now(),
      settings.degradedStabilizationSeconds * 1000,
      settings.recoveryStabilizationSeconds * 1000,
    );
    if (change === 'trip') this.#readiness.degrade(name);
    if (change === 'clear') this.#readiness.recover(name);
  }
}

/** How often the event loop's lag is measured and the gates re-checked (Letta's heartbeat: 1 s). */
const HEARTBEAT_MS = 1_000;

/**
 * The gates of `settings`, measuring the event loop's lag when its gate is on, or `null` when
 * enforcement is off (Letta's default). `close()` stops the measurements.
 */
export function startReadinessGates(
  settings: ReadinessSettings,
  readiness: Readiness,
  heartbeatMs = HEARTBEAT_MS,
): { readonly gates: ReadinessGates; close(): void } | null {
  if (!settings.enforcementEnabled) return null;
  const gates = new ReadinessGates(settings, readiness);
  const stop = watchEventLoopLag(heartbeatMs, (lagMs) => {
    gates.eventLoopLagged(lagMs);
    gates.tick();
  });
  return { gates, close: stop };
}
