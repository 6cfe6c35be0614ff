/** Why a connection was closed. */
export type CloseReason =
  /** Returned while `poolSize` connections were already idle. */
  | 'overflow'
  /** Older than `recycleMs`, or older than a disconnect the pool saw. */
  | 'recycle'
  /** Broken: its backend or socket went away, a reset failed, or the caller released it with an error. */
  | 'invalidated'
  /** Soft-invalidated while checked out and closed when it came back. */
  | 'soft_invalidated'
  /** No-pool mode closes every connection when it is returned. */
  | 'no_pool'
  /** The pool (or engine) was closed. */
  | 'end';

/** A new connection was opened. */
export interface ConnectEvent {
  readonly connectionId: number;
  /** Time to open the connection. */
  readonly durationMs: number;
}

/** A connection was handed out. */
export interface CheckoutEvent {
  readonly connectionId: number;
  /** From the call to `connect()` until the connection was handed out (waiting, connecting, pre-ping). */
  readonly waitMs: number;
}

/** A connection was returned. */
export interface CheckinEvent {
  readonly connectionId: number;
  /** From checkout until `release()`. */
  readonly useMs: number;
}

/** A connection was marked unusable and will be closed. */
export interface InvalidateEvent {
  readonly connectionId: number;
  readonly error: unknown;
}

/** A connection was closed, and why. */
export interface CloseEvent {
  readonly connectionId: number;
  readonly reason: CloseReason;
}

/** A connection returned inside a transaction is being rolled back. */
export interface ResetEvent {
  readonly connectionId: number;
  /** pg's transaction status at return: `T` in a transaction, `E` in a failed one. */
  readonly transactionStatus: 'T' | 'E';
}

/** A checkout waited `poolTimeoutMs` and gave up. */
export interface TimeoutEvent {
  readonly waitMs: number;
}

/** Opening a connection failed. */
export interface ConnectErrorEvent {
  readonly error: unknown;
  readonly durationMs: number;
}

/**
 * Pool events. The first eight are SQLAlchemy's pool events under the same names; `timeout` and
 * `connect_error` are ours, for a checkout that gave up waiting and a connection that failed to open.
 */
export interface PoolEventMap {
  connect: ConnectEvent;
  first_connect: ConnectEvent;
  checkout: CheckoutEvent;
  checkin: CheckinEvent;
  invalidate: InvalidateEvent;
  soft_invalidate: InvalidateEvent;
  close: CloseEvent;
  reset: ResetEvent;
  timeout: TimeoutEvent;
  connect_error: ConnectErrorEvent;
}

/** The name of a pool event. */
export type PoolEventName = keyof PoolEventMap;

/** A listener for one pool event. */
export type PoolListener<E extends PoolEventName> = (event: PoolEventMap[E]) => void;

type ListenerLists = { [E in PoolEventName]?: readonly PoolListener<E>[] };

/**
 * Synchronous listeners per event. Emitting to an event without listeners costs one property read; callers
 * check `has()` first so that no event object is built for nobody. A listener that throws is reported
 * to `onListenerError` and never disturbs the pool.
 */
export class PoolEvents {
  #lists: ListenerLists = {};
  readonly #onListenerError: (event: PoolEventName, error: unknown) => void;

  constructor(onListenerError: (event: PoolEventName, error: unknown) => void) {
    this.#onListenerError = onListenerError;
  }

  has(event: PoolEventName): boolean {
    return this.#lists[event] !== undefined;
  }

  on<E extends PoolEventName>(event: E, listener: PoolListener<E>): () => void {
    const lists = this.#lists as { [K in E]?: readonly PoolListener<K>[] };
    lists[event] = [...(lists[event] ?? []), listener];
    return () => this.off(event, listener);
  }

  off<E extends PoolEventName>(event: E, listener: PoolListener<E>): void {
    const lists = this.#lists as { [K in E]?: readonly PoolListener<K>[] };
    const remaining = lists[event]?.filter((l) => l !== listener);
    lists[event] = remaining?.length ? remaining : undefined;
  }

  emit<E extends PoolEventName>(event: E, payload: PoolEventMap[E]): void {
    const list = (this.#lists as { [K in E]?: readonly PoolListener<K>[] })[event];
    if (list === undefined) return;
    for (const listener of list) {
      try {
        listener(payload);
      } catch (error) {
        this.#onListenerError(event, error);
      }
    }
  }
}
