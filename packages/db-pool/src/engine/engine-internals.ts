import type { Logger } from '@letta/core';
import type { ConnectionPool } from '../pool/pool';
import type { ReplicaRouter } from '../scale-out/replica-router';
import type { SessionTarget } from '../scale-out/session-connection';

/** A Postgres engine's parts that the scale-out helpers work with. */
export interface PostgresInternals {
  readonly primary: ConnectionPool;
  /** The engine's own URI, as a target for a dedicated connection. */
  readonly main: SessionTarget;
  /** Where session-level work connects: the direct URI when there is one, else the engine's own. */
  readonly session: SessionTarget;
  readonly replicas: ReplicaRouter | undefined;
}

/** What `createEngine` records about each engine for the helpers that take an engine. */
export interface EngineInternals {
  readonly logger: Logger;
  /** Absent on SQLite. */
  readonly postgres: PostgresInternals | undefined;
}

const registry = new WeakMap<object, EngineInternals>();

export function registerEngine(engine: object, internals: EngineInternals): void {
  registry.set(engine, internals);
}

/** The internals of an engine made by `createEngine`; `caller` is named in the error for anything else. */
export function internalsOf(engine: object, caller: string): EngineInternals {
  const internals = registry.get(engine);
  if (internals === undefined) {
    throw new TypeError(
      `${caller} needs an engine returned by createEngine() from @letta/db-pool; it was given another object. ` +
        'Pass the engine itself, not a copy or a wrapper.',
    );
  }
  return internals;
}
