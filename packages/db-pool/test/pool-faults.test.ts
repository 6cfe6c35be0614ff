import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type CloseReason,
  ConnectionLostError,
  type ConnectionPool,
  ConnectTimeoutError,
  createPool,
} from '@letta/db-pool';
import { requireService, until } from '@test/support';
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  adminClient,
  backendCount,
  backendPids,
  pidOf,
  startPgProxy,
  startSilentServer,
  taggedUri,
  terminateBackends,
  uniqueTag,
} from './helpers';

const hasPg = await requireService('postgres');

async function selectOne(pool: ConnectionPool): Promise<number> {
  const client = await pool.connect();
  try {
    return await pidOf(client);
  } finally {
    client.release();
  }
}

/** Opens `count` connections and returns them all to the pool; gives their backend pids. */
async function warm(pool: ConnectionPool, count: number): Promise<number[]> {
  const clients = await Promise.all(Array.from({ length: count }, () => pool.connect()));
  const pids = await Promise.all(clients.map(pidOf));
  for (const client of clients) client.release();
  return pids;
}

describe.skipIf(!hasPg)('pool faults against PostgreSQL', () => {
  let admin: pg.Client;
  const cleanup: (() => Promise<void>)[] = [];
  const uncaught = vi.fn();

  beforeAll(async () => {
    admin = await adminClient();
    process.on('uncaughtException', uncaught);
  });
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
    expect(uncaught).not.toHaveBeenCalled();
  });
  afterAll(async () => {
    process.off('uncaughtException', uncaught);
    await admin.end();
  });

  function track(pool: ConnectionPool): ConnectionPool {
    cleanup.push(() => pool.end());
    return pool;
  }

  it('pre-ping replaces idle connections whose backends were all terminated: no caller sees an error', async () => {
    const tag = uniqueTag('preping');
    const pool = track(createPool({ uri: taggedUri(tag), poolSize: 3, maxOverflow: 0, monitoring: false }));
    const oldPids = await warm(pool, 3);
    await sleep(600); // past the 500 ms pre-ping bypass window: these connections get pinged
    expect(await terminateBackends(admin, tag)).toHaveLength(3);

    const results = await Promise.allSettled(Array.from({ length: 12 }, () => selectOne(pool)));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const newPids = results.map((r) => (r as PromiseFulfilledResult<number>).value);
    expect(newPids.some((pid) => oldPids.includes(pid))).toBe(false);
    expect(pool.stats().total).toBeLessThanOrEqual(3);
  });

  it('pre-ping catches a connection that died silently, invalidates it and reconnects once', async () => {
    const proxy = await startPgProxy();
    cleanup.push(() => proxy.close());
    const tag = uniqueTag('silent');
    const pool = track(
      createPool({ uri: proxy.uri(tag), poolSize: 2, prePingBypassMs: 0, monitoring: false }),
    );
    const reasons: CloseReason[] = [];
    pool.on('close', (event) => reasons.push(event.reason));
    const invalidated: unknown[] = [];
    pool.on('invalidate', (event) => invalidated.push(event.error));
    const oldPids = await warm(pool, 2);

    proxy.sever();
    await until('the severed backends to exit', async () => (await backendCount(admin, tag)) === 0);
    expect(pool.stats().idle).toBe(2); // nobody told the pool

    const pid = await selectOne(pool);
    expect(oldPids).not.toContain(pid);
    expect(invalidated).toHaveLength(1);
    expect(reasons).toEqual(['invalidated']);
    // The disconnect marked every older connection: the other one is recycled at its checkout, unpinged.
    const pids = await Promise.all([selectOne(pool), selectOne(pool)]);
    expect(pids.some((p) => oldPids.includes(p))).toBe(false);
    expect(reasons).toEqual(['invalidated', 'recycle']);
  });

  it('without pre-ping the caller gets a clear ConnectionLostError from a silently dead connection', async () => {
    const proxy = await startPgProxy();
    cleanup.push(() => proxy.close());
    const tag = uniqueTag('noping');
    const pool = track(createPool({ uri: proxy.uri(tag), poolSize: 1, prePing: false, monitoring: false }));
    await warm(pool, 1);
    proxy.sever();
    const client = await pool.connect();
    const error = await client.query('select 1', []).catch((caught: unknown) => caught);
    client.release();
    expect(error).toBeInstanceOf(ConnectionLostError);
    expect((error as Error).message).toMatch(
      /^A connection of pool "127\.0\.0\.1:\d+\/\w+" was lost while it was in use \(.+\)\. The pool/,
    );
    expect(pool.stats().total).toBe(0);
    await expect(selectOne(pool)).resolves.toBeTypeOf('number');
  });

  it('evicts an idle connection as soon as its backend is terminated (why the 500 ms ping bypass is safe)', async () => {
    const tag = uniqueTag('evict');
    const pool = track(createPool({ uri: taggedUri(tag), poolSize: 1, monitoring: false }));
    const [oldPid] = await warm(pool, 1);
    const invalidated = new Promise((resolve) => pool.on('invalidate', resolve));
    await terminateBackends(admin, tag);
    await invalidated;
    expect(pool.stats()).toMatchObject({ idle: 0, total: 0 });
    const pid = await selectOne(pool);
    expect(pid).not.toBe(oldPid);
  });

  it('a backend killed mid-query gives the caller ConnectionLostError; the process and the pool carry on', async () => {
    const tag = uniqueTag('midquery');
    const pool = track(createPool({ uri: taggedUri(tag), poolSize: 2, monitoring: false }));
    const client = await pool.connect();
    const pid = await pidOf(client);
    const running = client.query('select pg_sleep(30)', []).catch((caught: unknown) => caught);
    await until('the query to run', async () => {
      const { rows } = await admin.query(
        "select 1 from pg_stat_activity where pid = $1 and state = 'active'",
        [pid],
      );
      return rows.length === 1;
    });
    await admin.query('select pg_terminate_backend($1)', [pid]);
    const error = await running;
    expect(error).toBeInstanceOf(ConnectionLostError);
    expect((error as Error).message).toContain(
      `A connection of pool "${pool.name}" was lost while it was in use`,
    );
    client.release();
    expect(pool.stats()).toMatchObject({ total: 0, checkedOut: 0 });
    expect(await selectOne(pool)).not.toBe(pid);
  });

  it('gives up connecting after connectTimeoutMs, with the target named and no credentials shown', async () => {
    const silent = await startSilentServer();
    cleanup.push(() => silent.close());
    const pool = track(
      createPool({
        uri: `postgresql://app:do-not-print-me@127.0.0.1:${silent.port}/letta`,
        connectTimeoutMs: 300,
        monitoring: false,
      }),
    );
    const failures: unknown[] = [];
    pool.on('connect_error', (event) => failures.push(event.error));
    const start = performance.now();
    const error = await pool.connect().catch((caught: unknown) => caught);
    const elapsed = performance.now() - start;
    expect(error).toBeInstanceOf(ConnectTimeoutError);
    expect((error as Error).message).toContain(
      `Pool "127.0.0.1:${silent.port}/letta": the database is unavailable (connecting to ` +
        `127.0.0.1:${silent.port}/letta timed out after 300 ms (connectTimeoutMs)`,
    );
    expect((error as Error).message).not.toContain('do-not-print-me');
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(300 + 2_000);
    expect(failures).toEqual([error]);
    expect(pool.stats()).toMatchObject({ total: 0, checkedOut: 0 });
  });

  it('soft invalidation closes a connection when it is returned; hard invalidation closes it now', async () => {
    const tag = uniqueTag('invalidate');
    const pool = track(createPool({ uri: taggedUri(tag), poolSize: 2, monitoring: false }));
    const events: string[] = [];
    pool.on('soft_invalidate', () => events.push('soft_invalidate'));
    pool.on('invalidate', () => events.push('invalidate'));
    pool.on('close', (event) => events.push(`close:${event.reason}`));

    const soft = await pool.connect();
    const hard = await pool.connect();
    const hardPid = await pidOf(hard);
    pool.invalidate(soft, { soft: true });
    await expect(soft.query('select 1', [])).resolves.toBeTruthy();
    soft.release();
    pool.invalidate(hard);
    await until(
      'the hard-invalidated backend to exit',
      async () => !(await backendPids(admin, tag)).includes(hardPid),
    );
    hard.release();
    expect(events).toEqual(['soft_invalidate', 'close:soft_invalidated', 'invalidate', 'close:invalidated']);
    expect(pool.stats().total).toBe(0);
  });
});
