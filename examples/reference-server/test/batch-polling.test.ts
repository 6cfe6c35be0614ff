import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, type Engine } from '@letta/db-pool';
import { requireService, until } from '@test/support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, RunsTable } from '../src/database';
import { migrateToLatest } from '../src/migrations';
import { call } from './http';
import {
  CLOSE_ORDER,
  closedComponents,
  runServerToExit,
  type ServerProcess,
  startServerProcess,
} from './server-process';
import { createThrowawayDatabase, postgresEnv, type ThrowawayDatabase } from './throwaway-database';

const hasPg = await requireService('postgres');

/** Batch polling on, with the shortest intervals the settings allow. */
const POLLING_ENV = {
  LETTA_ENABLE_BATCH_JOB_POLLING: 'true',
  LETTA_POLL_RUNNING_LLM_BATCHES_INTERVAL_SECONDS: '1',
  LETTA_POLL_LOCK_RETRY_INTERVAL_SECONDS: '1',
  LETTA_BATCH_JOB_POLLING_LOOKBACK_WEEKS: '1',
  LETTA_LOGGING_LOG_LEVEL: 'INFO',
};
/** The elector's failover bound: the retry interval (1 s here) plus two check intervals (5 s each). */
const FAILOVER_BOUND_MS = 1_000 + 2 * 5_000;
/** For process start-up, log polling and a busy machine. */
const SLACK_MS = 5_000;

const POLLED = /Batch poll: running runs found \{"runningRuns":(\d+)/;
const ELECTED = /leader elected/;

/** Runs of one agent: three running this week, one running three weeks ago, one completed. */
async function seedRuns(engine: Engine<Database>): Promise<void> {
  const now = Date.now();
  const at = (daysAgo: number) => new Date(now - daysAgo * 24 * 60 * 60 * 1000).toISOString();
  await engine.db
    .insertInto('agents')
    .values({ id: 'agent-seeded', organization_id: null, name: 'seeded', created_at: at(30) })
    .execute();
  const run = (id: string, status: RunsTable['status'], daysAgo: number) => ({
    id,
    agent_id: 'agent-seeded',
    organization_id: null,
    status,
    created_at: at(daysAgo),
    completed_at: status === 'running' ? null : at(daysAgo),
  });
  await engine.db
    .insertInto('runs')
    .values([
      run('run-1', 'running', 1),
      run('run-2', 'running', 2),
      run('run-3', 'running', 3),
      run('run-old', 'running', 21),
      run('run-done', 'completed', 1),
    ])
    .execute();
}

describe.skipIf(!hasPg)('leader-only batch polling on PostgreSQL', () => {
  let database: ThrowawayDatabase;
  let servers: ServerProcess[];

  beforeAll(async () => {
    database = await createThrowawayDatabase();
    const engine = await database.open<Database>();
    await migrateToLatest(engine.db, engine.kind);
    await seedRuns(engine);
    const env = { ...postgresEnv(database), ...POLLING_ENV };
    servers = await Promise.all([
      startServerProcess({ env, args: ['--instances', '2'] }),
      startServerProcess({ env, args: ['--instances', '2'] }),
    ]);
  });
  afterAll(async () => {
    await Promise.all(servers?.map((server) => server.cleanup()) ?? []);
    await database?.drop();
  });

  /** The server that has polled, and the other; fails unless exactly one has. */
  function leaderAndFollower(): [ServerProcess, ServerProcess] {
    const polled = servers.filter((server) => POLLED.test(server.output()));
    expect(polled).toHaveLength(1);
    const [leader] = polled as [ServerProcess];
    const follower = servers.find((server) => server !== leader) as ServerProcess;
    expect(follower.output()).not.toMatch(ELECTED);
    return [leader, follower];
  }

  it('runs the job on exactly one instance, which finds the running runs within the lookback', async () => {
    // The first instance to take the lock holds it for two check intervals before it leads.
    const first = await until(
      () => `a batch poll on either instance:\n${servers.map((server) => server.output()).join('\n')}`,
      () => servers.map((server) => POLLED.exec(server.output())).find(Boolean),
      FAILOVER_BOUND_MS + SLACK_MS,
    );
    expect(first[1]).toBe('3');
    const [leader, follower] = leaderAndFollower();
    expect(leader.output()).toMatch(ELECTED);

    const leaderMetrics = (await call<string>(`${leader.url}/metrics`)).body;
    expect(leaderMetrics).toMatch(/^letta_batch_polling_polls_total\{outcome="ok",.*\} [1-9]/m);
    expect(leaderMetrics).toMatch(/^letta_batch_polling_running_runs\{.*\} 3$/m);
    expect((await call<string>(`${follower.url}/metrics`)).body).not.toMatch(/^letta_batch_polling/m);
    // Two instances of 3 + 1 connections fit the shared server's budget.
    for (const server of servers) expect(server.output()).not.toMatch(/connection budget exceeded/);
  }, 30_000);

  it('hands the job over on SIGTERM: the other instance leads after the first has stopped, within the bound', async () => {
    const [leader, follower] = leaderAndFollower();
    const started = performance.now();
    leader.child.kill('SIGTERM');
    expect((await leader.exited).code, leader.output()).toBe(0);
    // Stopped before anything else closes, and before the database does.
    expect(leader.output()).toMatch(/Batch polling stopped \{"reason":"stopped"/);
    expect(closedComponents(leader), leader.output()).toEqual(['leader-elector', ...CLOSE_ORDER]);
    // Leadership terms never overlap: the follower was not yet leading when the leader had exited.
    expect(follower.output()).not.toMatch(ELECTED);

    await follower.waitForOutput(ELECTED, FAILOVER_BOUND_MS + SLACK_MS);
    expect(performance.now() - started).toBeLessThan(FAILOVER_BOUND_MS + SLACK_MS);
    expect((await follower.waitForOutput(POLLED, SLACK_MS))[1]).toBe('3');
  }, 30_000);
});

describe('leader-only batch polling on SQLite', () => {
  it('leads at once as the single instance, polls with the batch size, and stops on SIGTERM', async () => {
    const home = mkdtempSync(join(tmpdir(), 'letta-refsrv-'));
    const engine = await createEngine<Database>({ kind: 'sqlite', filename: join(home, 'sqlite.db') });
    await migrateToLatest(engine.db, engine.kind);
    await seedRuns(engine);
    await engine.close();

    const server = await startServerProcess({
      home,
      env: { ...POLLING_ENV, LETTA_BATCH_JOB_POLLING_BATCH_SIZE: '2' },
    });
    try {
      expect((await server.waitForOutput(POLLED, SLACK_MS))[1]).toBe('2');
      expect(server.output()).toMatch(/leader elected: SQLite has a single instance/);
      const { body } = await call<string>(`${server.url}/metrics`);
      expect(body).toMatch(/^letta_batch_polling_polls_total\{outcome="ok",.*\} [1-9]/m);
      // The database health gauges are Postgres-only; the pool's own metrics stay.
      expect(body).not.toMatch(/^letta_db_(?!pool_)/m);

      server.child.kill('SIGTERM');
      expect((await server.exited).code, server.output()).toBe(0);
      expect(closedComponents(server)[0]).toBe('leader-elector');
    } finally {
      await server.cleanup();
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('refuses to start when a polling setting cannot work, naming its variable', async () => {
    const { code, stderr } = await runServerToExit([], {
      LETTA_ENABLE_BATCH_JOB_POLLING: 'true',
      LETTA_BATCH_JOB_POLLING_BATCH_SIZE: '0',
    });
    expect(code).toBe(1);
    expect(stderr).toContain(
      'LETTA_BATCH_JOB_POLLING_BATCH_SIZE: expected 1 or more, or unset for all, got 0.',
    );
  });
});
