import { performance } from 'node:perf_hooks';
import {
  ConnectionLostError,
  type ConnectionPool,
  createPool,
  DatabaseUnavailableError,
  StatementTimeoutError,
} from '@letta/db-pool';
import {
  PG_SERVER_EXECUTABLES,
  type PgServerProcess,
  requireExecutables,
  startPgServer,
  until,
} from '@test/support';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pidOf } from './helpers';

const canRun = requireExecutables('pool outage', PG_SERVER_EXECUTABLES);

/** Checks out, runs `select 1` and returns; what the caller saw, by error class, or `ok`. */
async function attempt(pool: ConnectionPool): Promise<string> {
  try {
    const client = await pool.connect();
    try {
      await client.query('select 1', []);
    } finally {
      client.release();
    }
    return 'ok';
  } catch (error) {
    return error instanceof Error ? error.name : typeof error;
  }
}

function report(what: string, figures: Record<string, unknown>): void {
  process.stdout.write(`[pool outage] ${what}: ${JSON.stringify(figures)}\n`);
}

describe.skipIf(!canRun)('pool outages on a PostgreSQL server of our own', () => {
  let server: PgServerProcess;
  const pools: ConnectionPool[] = [];

  function pool(options: Partial<Parameters<typeof createPool>[0]> = {}): ConnectionPool {
    const created = createPool({
      uri: server.uri('letta-pool-outage'),
      poolSize: 2,
      poolTimeoutMs: 1_000,
      connectTimeoutMs: 1_000,
      prePingBypassMs: 0,
      monitoring: false,
      ...options,
    });
    pools.push(created);
    return created;
  }

  beforeAll(async () => {
    server = await startPgServer({ maxConnections: 12 });
  }, 60_000);
  afterEach(async () => {
    server.thaw();
    await Promise.all(pools.splice(0).map((p) => p.end()));
  });
  afterAll(async () => {
    await server?.close();
  });

  it('a checkout settles within poolTimeoutMs while the server is frozen, and no pinged-out connection is handed out', async () => {
    const p = pool();
    const client = await p.connect();
    const frozenPid = await pidOf(client);
    client.release();

    server.freeze();
    const start = performance.now();
    const error = await p.connect().catch((caught: unknown) => caught);
    const settledMs = Math.round(performance.now() - start);
    report('checkout under a freeze (poolTimeoutMs 1000, connectTimeoutMs 1000)', {
      settledMs,
      saw: (error as Error).name,
      code: (error as { code?: string }).code,
    });
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect(error).toMatchObject({ pool: p.name, setting: 'poolTimeoutMs' });
    expect(settledMs).toBeLessThan(1_000 + 1_000);
    expect(p.stats()).toMatchObject({ total: 0, checkedOut: 0, idle: 0 });

    server.thaw();
    const again = await p.connect();
    expect(await pidOf(again)).not.toBe(frozenPid);
    again.release();
  });

  it('statementTimeoutMs: the server cancels a slow statement; a frozen server meets the client-side deadline', async () => {
    const p = pool({ statementTimeoutMs: 200 });
    const client = await p.connect();
    const slow = await client.query('select pg_sleep(2)', []).catch((caught: unknown) => caught);
    expect(slow).toBeInstanceOf(StatementTimeoutError);
    expect((slow as Error).message).toContain('statementTimeoutMs');
    await expect(client.query('select 1', [])).resolves.toBeTruthy();

    server.freeze();
    const start = performance.now();
    const hung = await client.query('select 1', []).catch((caught: unknown) => caught);
    const settledMs = Math.round(performance.now() - start);
    client.release();
    report('statement on a frozen server (statementTimeoutMs 200)', { settledMs, saw: (hung as Error).name });
    expect(hung).toBeInstanceOf(ConnectionLostError);
    expect((hung as Error).message).toContain('statementTimeoutMs');
    expect(p.stats().total).toBe(0);
  });

  it('the server stopped and restarted: callers see only DatabaseUnavailableError or ConnectionLostError', async () => {
    const p = pool({ pooling: false });
    const seen = new Map<string, number>();
    const count = (name: string) => seen.set(name, (seen.get(name) ?? 0) + 1);
    count(await attempt(p));
    await server.stop();
    for (let i = 0; i < 20; i++) count(await attempt(p));
    await server.start();
    await until('the restarted server to answer', async () => (await attempt(p)) === 'ok', 10_000);
    count(await attempt(p));
    report('queries through a stop and a restart', Object.fromEntries(seen));
    expect([...seen.keys()].sort()).toEqual(['DatabaseUnavailableError', 'ok']);
    expect(seen.get('DatabaseUnavailableError')).toBe(20);
  });

  it('a server out of connection slots (53300) is DatabaseUnavailableError naming max_connections', async () => {
    const hogs: pg.Client[] = [];
    try {
      for (;;) {
        const hog = new pg.Client({ connectionString: server.uri('letta-pool-outage-hog') });
        try {
          await hog.connect();
        } catch {
          break;
        }
        hogs.push(hog);
      }
      const error = await pool()
        .connect()
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DatabaseUnavailableError);
      expect(error).toMatchObject({ driverCode: '53300', retryable: true });
      expect((error as Error).message).toContain('max_connections');
    } finally {
      await Promise.all(hogs.map((hog) => hog.end()));
    }
  });
});

describe.skipIf(!canRun)('a PostgreSQL server that is not accepting connections (57P03)', () => {
  let standby: PgServerProcess;

  beforeAll(async () => {
    // A standby with no primary to follow and hot standby off never accepts a connection.
    standby = await startPgServer({ standby: true, settings: ['hot_standby = off'] });
  }, 60_000);
  afterAll(() => standby?.close());

  it('is DatabaseUnavailableError, retryable, with driverCode 57P03 and no password', async () => {
    const password = 'standby-secret-pw';
    const uri = new URL(standby.uri('letta-pool-57p03'));
    uri.password = password;
    const pool = createPool({ uri: uri.toString(), poolSize: 1, poolTimeoutMs: 1_000, monitoring: false });
    try {
      const error = await pool.connect().catch((caught: unknown) => caught);
      const seen = error instanceof DatabaseUnavailableError ? error : undefined;
      report('57P03', {
        name: error instanceof Error ? error.name : typeof error,
        code: seen?.code,
        driverCode: seen?.driverCode,
        retryable: seen?.retryable,
        message: error instanceof Error ? error.message : String(error),
      });
      expect(error).toBeInstanceOf(DatabaseUnavailableError);
      expect(error).toMatchObject({ driverCode: '57P03', retryable: true });
      expect((error as Error).message).not.toContain(password);
    } finally {
      await pool.end();
    }
  });
});
