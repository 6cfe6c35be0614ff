import { performance } from 'node:perf_hooks';
import type { Logger } from '@letta/core';
import type { PostgresPool } from 'kysely';
import { errorType } from '../pool/connection-failure';
import type { ConnectionPool, Pool, PoolClient } from '../pool/pool';
import { PoolClosedError, PoolTimeoutError } from '../pool/pool-errors';

/** One read replica of an engine: its pool and whether reads go to it. */
export interface Replica {
  /** The replica pool's name on metrics and logs. */
  readonly name: string;
  readonly pool: Pool;
  /** false while it is out of rotation after failing to connect or to answer its ping. */
  readonly healthy: boolean;
}

/** A replica's pool and its place in the rotation. */
export class ReplicaMember implements Replica {
  readonly pool: ConnectionPool;
  healthy = true;
  /** When an unhealthy replica is pinged again (`performance.now()` time). */
  retryAt = 0;
  probing = false;

  constructor(pool: ConnectionPool) {
    this.pool = pool;
  }

  get name(): string {
    return this.pool.name;
  }
}

/**
 * A failure to check out at capacity or from a closed pool says nothing about the replica's health;
 * any other checkout failure (refused, timed out, authentication, recovery not yet open) does.
 */
function meansUnhealthy(error: unknown): boolean {
  return !(error instanceof PoolTimeoutError || error instanceof PoolClosedError);
}

/**
 * Kysely's pool for `engine.reader`: hands out connections from the replicas in turn, skips a replica
 * that failed (pinging it again in the background every `retryMs`), and falls back to the primary when
 * no replica is healthy. `end()` closes the replica pools only; the primary belongs to the engine.
 */
export class ReplicaRouter implements PostgresPool {
  readonly members: readonly ReplicaMember[];
  readonly #primary: ConnectionPool;
  readonly #retryMs: number;
  readonly #logger: Logger;
  #next = 0;
  #onPrimary = false;

  constructor(replicas: readonly ConnectionPool[], primary: ConnectionPool, retryMs: number, logger: Logger) {
    this.members = replicas.map((pool) => new ReplicaMember(pool));
    this.#primary = primary;
    this.#retryMs = retryMs;
    this.#logger = logger;
  }

  async connect(): Promise<PoolClient> {
    const count = this.members.length;
    for (let tried = 0; tried < count; tried++) {
      const member = this.members[this.#next] as ReplicaMember;
      this.#next = (this.#next + 1) % count;
      if (!member.healthy) {
        this.#probeWhenDue(member);
        continue;
      }
      try {
        return await member.pool.connect();
      } catch (error) {
        if (!meansUnhealthy(error)) throw error;
        this.#takeOut(member, error);
      }
    }
    if (!this.#onPrimary) {
      this.#onPrimary = true;
      this.#logger.warn({ replicas: count }, 'no read replica is healthy; reads go to the primary');
    }
    return this.#primary.connect();
  }

  async end(): Promise<void> {
    await Promise.all(this.members.map((member) => member.pool.end()));
  }

  #takeOut(member: ReplicaMember, error: unknown): void {
    if (member.healthy) {
      this.#logger.warn(
        { replica: member.name, errorType: errorType(error), retryMs: this.#retryMs },
        'read replica taken out of rotation',
      );
    }
    member.healthy = false;
    member.retryAt = performance.now() + this.#retryMs;
  }

  /** Pings an unhealthy replica once its retry time has come, without holding up the read. */
  #probeWhenDue(member: ReplicaMember): void {
    if (member.probing || performance.now() < member.retryAt) return;
    member.probing = true;
    void this.#probe(member).finally(() => {
      member.probing = false;
    });
  }

  async #probe(member: ReplicaMember): Promise<void> {
    let client: PoolClient;
    try {
      client = await member.pool.connect();
    } catch (error) {
      this.#takeOut(member, error);
      return;
    }
    try {
      await client.query('select 1', []);
    } catch (error) {
      client.release(true);
      this.#takeOut(member, error);
      return;
    }
    client.release();
    member.healthy = true;
    this.#onPrimary = false;
    this.#logger.info({ replica: member.name }, 'read replica back in rotation');
  }
}
