import type pg from 'pg';
import { invalidOption } from '../options/option-checks';

/** Letta's scheduler lock key, `0x12345678ABCDEF00` (1311768467750121216). */
export const LETTA_SCHEDULER_LOCK_KEY = 0x12345678abcdef00n;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** A session-level advisory lock on one 64-bit key, taken and checked on a connection of its own. */
export class AdvisoryLock {
  readonly key: bigint;
  /** How pg_locks shows a bigint key: its high half in `classid`, its low half in `objid`. */
  readonly #classid: string;
  readonly #objid: string;

  constructor(key: bigint | number) {
    this.key = lockKey(key);
    const unsigned = BigInt.asUintN(64, this.key);
    this.#classid = String(unsigned >> 32n);
    this.#objid = String(unsigned & 0xffffffffn);
  }

  /** Takes the lock if nobody holds it; never waits. */
  async tryAcquire(client: pg.Client): Promise<boolean> {
    const { rows } = await client.query<{ locked: boolean }>(
      'select pg_try_advisory_lock($1::bigint) as locked',
      [String(this.key)],
    );
    return rows[0]?.locked === true;
  }

  /** Whether this connection's session holds the lock, answered within `timeoutMs`. */
  async isHeld(client: pg.Client, timeoutMs: number): Promise<boolean> {
    const { rows } = await client.query<{ held: boolean }>({
      text:
        'select exists (select 1 from pg_locks where locktype = $1 and pid = pg_backend_pid() and granted ' +
        'and classid = $2::oid and objid = $3::oid and objsubid = 1) as held',
      values: ['advisory', this.#classid, this.#objid],
      query_timeout: timeoutMs,
    } as pg.QueryConfig);
    return rows[0]?.held === true;
  }

  async release(client: pg.Client): Promise<void> {
    await client.query('select pg_advisory_unlock($1::bigint)', [String(this.key)]);
  }
}

function lockKey(key: bigint | number): bigint {
  if (typeof key === 'number' && Number.isSafeInteger(key)) return BigInt(key);
  if (typeof key === 'bigint' && key >= INT64_MIN && key <= INT64_MAX) return key;
  throw invalidOption('key', 'a 64-bit signed integer (a bigint, or a number that is a safe integer)', key);
}
