import { performance } from 'node:perf_hooks';
import {
  type CloseReason,
  type ConnectionPool,
  createPool,
  PoolClosedError,
  PoolTimeoutError,
} from '@letta/db-pool';
import { requireService, until } from '@test/support';
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { adminClient, backendCount, backendPids, pidOf, taggedUri, uniqueTag } from './helpers';

const hasPg = await requireService('postgres');

describe.skipIf(!hasPg)('createPool against PostgreSQL', () => {
  let admin: pg.Client;
  const pools: ConnectionPool[] = [];
  let tag = '';

  function pool(options: Omit<Parameters<typeof createPool>[0], 'uri'> = {}): ConnectionPool {
    tag = uniqueTag('pool');
    const created = createPool({ uri: taggedUri(tag), monitoring: false, ...options });
    pools.push(created);
    return created;
  }

  function closeReasons(target: ConnectionPool): CloseReason[] {
    const reasons: CloseReason[] = [];
    target.on('close', (event) => reasons.push(event.reason));
    return reasons;
  }

  beforeAll(async () => {
    admin = await adminClient();
  });
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.end()));
  });
  afterAll(async () => {
    await admin.end();
  });

  it('never has more than poolSize + maxOverflow backends under 10x overload, and serves everyone', async () => {
    const p = pool({ poolSize: 3, maxOverflow: 2, poolTimeoutMs: 20_000 });
    let peakBackends = 0;
    let peakTotal = 0;
    let sampling = true;
    // Counted once all five connections have run a query and are still held, with the other callers waiting:
    // the moment the bound is about. Nobody returns a connection before that count is taken.
    let busy = 0;
    let allBusy = () => {};
    const allConnectionsBusy = new Promise<void>((resolve) => {
      allBusy = resolve;
    });
    const atCapacity = allConnectionsBusy.then(async () => ({
      waiting: p.stats().waiting,
      backends: await backendCount(admin, tag),
    }));
    const sampler = (async () => {
      while (sampling) peakBackends = Math.max(peakBackends, await backendCount(admin, tag));
    })();
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, async () => {
        const client = await p.connect();
        peakTotal = Math.max(peakTotal, p.stats().total);
        try {
          await client.query('select pg_sleep(0.02)', []);
          if (++busy === 5) allBusy();
          await atCapacity;
        } finally {
          client.release();
        }
      }),
    );
    sampling = false;
    await sampler;
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(peakTotal).toBe(5);
    expect(await atCapacity).toEqual({ waiting: 45, backends: 5 });
    expect(peakBackends).toBeGreaterThan(0);
    expect(peakBackends).toBeLessThanOrEqual(5);
    expect(p.stats()).toMatchObject({ idle: 3, total: 3, checkedOut: 0, waiting: 0 });
  });

  it("keeps poolSize idle, closes overflow at checkin, and prints SQLAlchemy's status line", async () => {
    const p = pool({ poolSize: 2, maxOverflow: 2 });
    const reasons = closeReasons(p);
    expect(p.status()).toBe(
      'Pool size: 2  Connections in pool: 0 Current Overflow: -2 Current Checked out connections: 0',
    );
    const clients = [await p.connect(), await p.connect(), await p.connect(), await p.connect()];
    expect(p.status()).toBe(
      'Pool size: 2  Connections in pool: 0 Current Overflow: 2 Current Checked out connections: 4',
    );
    expect(await backendCount(admin, tag)).toBe(4);
    for (const client of clients) client.release();
    expect(p.status()).toBe(
      'Pool size: 2  Connections in pool: 2 Current Overflow: 0 Current Checked out connections: 0',
    );
    expect(reasons).toEqual(['overflow', 'overflow']);
    await until('the overflow backends to exit', async () => (await backendCount(admin, tag)) === 2);
  });

  it("times out a checkout at capacity with SQLAlchemy's message, and leaks no connection", async () => {
    const p = pool({ poolSize: 1, maxOverflow: 0, poolTimeoutMs: 300 });
    const held = await p.connect();
    const heldPid = await pidOf(held);
    const start = performance.now();
    const error = await p.connect().catch((caught: unknown) => caught);
    const elapsed = performance.now() - start;
    expect(error).toBeInstanceOf(PoolTimeoutError);
    expect((error as PoolTimeoutError).message).toBe(
      'QueuePool limit of size 1 overflow 0 reached, connection timed out, timeout 0.30',
    );
    expect((error as PoolTimeoutError).sqlalchemyCode).toBe('3o7r');
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(300 + 2_000);
    expect(p.stats().waiting).toBe(0);

    held.release();
    expect(p.stats()).toMatchObject({ idle: 1, checkedOut: 0, total: 1 });
    const again = await p.connect();
    expect(await pidOf(again)).toBe(heldPid);
    again.release();
    expect(await backendCount(admin, tag)).toBe(1);
  });

  it('hands a returned connection to the first waiter', async () => {
    const p = pool({ poolSize: 1, maxOverflow: 0 });
    const held = await p.connect();
    const pid = await pidOf(held);
    const first = p.connect();
    const second = p.connect();
    expect(p.stats().waiting).toBe(2);
    held.release();
    const client = await first;
    expect(await pidOf(client)).toBe(pid);
    expect(p.stats().waiting).toBe(1);
    client.release();
    (await second).release();
  });

  it.each([
    [true, 2],
    [false, 0],
  ])('useLifo %s reuses the connection returned at position %i first', async (useLifo, expected) => {
    const p = pool({ poolSize: 3, maxOverflow: 0, useLifo });
    const clients = [await p.connect(), await p.connect(), await p.connect()];
    const pids = await Promise.all(clients.map(pidOf));
    for (const client of clients) client.release();
    const next = await p.connect();
    expect(await pidOf(next)).toBe(pids[expected]);
    next.release();
  });

  it('recycles a connection older than recycleMs at its next checkout', async () => {
    const p = pool({ poolSize: 1, recycleMs: 200 });
    const reasons = closeReasons(p);
    const first = await p.connect();
    const oldPid = await pidOf(first);
    first.release();
    const reused = await p.connect();
    expect(await pidOf(reused)).toBe(oldPid);
    reused.release();
    let newPid = oldPid;
    await until('the connection to pass recycleMs and be replaced at checkout', async () => {
      const next = await p.connect();
      newPid = await pidOf(next);
      next.release();
      return newPid !== oldPid;
    });
    expect(newPid).not.toBe(oldPid);
    expect(reasons).toEqual(['recycle']);
    await until('only the new backend to remain', async () => {
      const pids = await backendPids(admin, tag);
      return pids.length === 1 && pids[0] === newPid;
    });
  });

  it('rolls back a transaction left open, or failed, when the connection is returned', async () => {
    const p = pool({ poolSize: 1, maxOverflow: 0 });
    const resets: string[] = [];
    p.on('reset', (event) => resets.push(event.transactionStatus));

    const open = await p.connect();
    const pid = await pidOf(open);
    await open.query('begin', []);
    await open.query('create temp table rollback_probe (id int)', []);
    open.release();

    const next = await p.connect();
    expect(await pidOf(next)).toBe(pid);
    const { rows } = await next.query<{ probe: string | null }>(
      "select to_regclass('pg_temp.rollback_probe')::text as probe",
      [],
    );
    expect(rows[0]?.probe).toBeNull();
    await next.query('begin', []);
    await expect(next.query('select 1 / 0', [])).rejects.toThrow(/division by zero/);
    next.release();

    const after = await p.connect();
    expect(await pidOf(after)).toBe(pid);
    await expect(after.query('select 1 as one', [])).resolves.toMatchObject({ rows: [{ one: 1 }] });
    after.release();
    // pg settles a failed statement before the server reports the failed transaction, so either status shows.
    expect(resets).toHaveLength(2);
    expect(resets[0]).toBe('T');
    expect(['T', 'E']).toContain(resets[1]);
  });

  it('opens and closes a connection per checkout in no-pool mode', async () => {
    const p = pool({ pooling: false });
    const reasons = closeReasons(p);
    expect(p.status()).toBe('NullPool');
    const first = await p.connect();
    const firstPid = await pidOf(first);
    expect(p.stats()).toMatchObject({ total: 1, checkedOut: 1, idle: 0 });
    first.release();
    expect(p.stats()).toMatchObject({ total: 0, checkedOut: 0, idle: 0 });
    await until('the backend to exit', async () => (await backendCount(admin, tag)) === 0);
    const second = await p.connect();
    expect(await pidOf(second)).not.toBe(firstPid);
    second.release();
    expect(reasons).toEqual(['no_pool', 'no_pool']);
  });

  it('caps concurrent sessions in no-pool mode with maxConcurrentSessions', async () => {
    const p = pool({ pooling: false, maxConcurrentSessions: 2, poolTimeoutMs: 200 });
    const a = await p.connect();
    const b = await p.connect();
    await expect(p.connect()).rejects.toThrow(
      'NullPool limit of 2 concurrent sessions reached, connection timed out, timeout 0.20',
    );
    const waiting = p.connect();
    a.release();
    const c = await waiting;
    expect(await backendCount(admin, tag)).toBeLessThanOrEqual(2);
    b.release();
    c.release();
  });

  it('caps checkouts below poolSize + maxOverflow with maxConcurrentSessions', async () => {
    const p = pool({ poolSize: 5, maxOverflow: 5, maxConcurrentSessions: 2, poolTimeoutMs: 200 });
    const held = [await p.connect(), await p.connect()];
    expect(p.stats().max).toBe(2);
    await expect(p.connect()).rejects.toThrow(
      'QueuePool limit of 2 concurrent sessions reached, connection timed out, timeout 0.20',
    );
    for (const client of held) client.release();
  });

  it('keeps working when an event listener throws, and logs it', async () => {
    tag = uniqueTag('listener');
    const errors: object[] = [];
    const log = () => {};
    const p = createPool(
      { uri: taggedUri(tag), poolSize: 1, monitoring: false },
      { logger: { debug: log, info: log, warn: log, error: (fields) => errors.push(fields) } },
    );
    pools.push(p);
    p.on('checkout', () => {
      throw new Error('listener bug');
    });
    const client = await p.connect();
    client.release();
    expect(p.stats()).toMatchObject({ idle: 1, checkedOut: 0 });
    expect(errors).toEqual([{ pool: p.name, event: 'checkout', errorType: 'Error' }]);
  });

  it('end() rejects waiters, waits for checked-out connections, and leaves no backends', async () => {
    const p = pool({ poolSize: 1, maxOverflow: 0 });
    const held = await p.connect();
    const waiter = p.connect();
    let ended = false;
    const ending = p.end().then(() => {
      ended = true;
    });
    await expect(waiter).rejects.toBeInstanceOf(PoolClosedError);
    await expect(p.connect()).rejects.toThrow(/is closed/);
    // The checked-out connection still works while end() waits for it.
    await expect(held.query('select 1', [])).resolves.toMatchObject({ rows: [{ '?column?': 1 }] });
    expect(ended).toBe(false);
    held.release();
    await ending;
    expect(p.stats().total).toBe(0);
    expect(await backendCount(admin, tag)).toBe(0);
  });

  it('refuses a second release of the same checkout', async () => {
    const p = pool({ poolSize: 1 });
    const client = await p.connect();
    client.release();
    expect(() => client.release()).toThrow(/not checked out\. Release each checkout exactly once/);
  });
});
