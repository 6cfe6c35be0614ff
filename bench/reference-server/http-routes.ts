/**
 * A bounded loopback load run against the built reference server on its embedded defaults (SQLite,
 * no-op Redis, Prometheus on): a read route and a write route, each next to `/v1/health/` (the
 * framework floor: routing, hooks, metrics, no database) as the baseline. 10 connections, 5 s per route.
 * With PostgreSQL reachable (LETTA_TEST_PG_URI), the same routes run on a throwaway database too.
 */
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import pg from 'pg';
import { benchUri, postJson, startServer } from './harness';

const CONNECTIONS = 10;
const DURATION_S = 5;
const AGENTS = 20;

interface Row {
  route: string;
  requests: number;
  p99: number;
  non2xx: number;
}

async function load(url: string, route: string, options: Partial<autocannon.Options> = {}): Promise<Row> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S, ...options });
  return { route, requests: result.requests.average, p99: result.latency.p99, non2xx: result.non2xx };
}

async function run(label: string, env: Record<string, string>) {
  const server = await startServer(env);
  try {
    const agents: string[] = [];
    for (let i = 0; i < AGENTS; i++)
      agents.push((await postJson<{ id: string }>(`${server.url}/v1/agents`, { name: `bench-${i}` })).id);
    for (let i = 0; i < 20; i++)
      await postJson(`${server.url}/v1/agents/${agents[0]}/messages`, { content: `seed ${i}` });

    let next = 0;
    const rows = [
      await load(`${server.url}/v1/health/`, 'GET /v1/health/ (baseline)'),
      await load(
        `${server.url}/v1/agents/${agents[0]}/messages?limit=20`,
        'GET /v1/agents/:id/messages (20 rows)',
      ),
      await load(server.url, `POST /v1/agents/:id/messages (${AGENTS} agents)`, {
        requests: [
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ content: 'a message of a few dozen bytes, as a chat turn would be' }),
            setupRequest: (request) => ({
              ...request,
              path: `/v1/agents/${agents[next++ % AGENTS]}/messages`,
            }),
          },
        ],
      }),
    ];
    const baseline = rows[0]?.requests ?? 1;
    console.log(`\n${label}: ${CONNECTIONS} connections, ${DURATION_S} s per route`);
    for (const row of rows) {
      console.log(
        `  ${row.route.padEnd(44)} ${row.requests.toFixed(0).padStart(7)} req/s  p99 ${String(row.p99).padStart(4)} ms` +
          `  x${(row.requests / baseline).toFixed(2)} of baseline${row.non2xx ? `  (${row.non2xx} non-2xx)` : ''}`,
      );
    }
  } finally {
    await server.stop();
  }
}

await run('embedded defaults (SQLite, no-op Redis)', {});

// The Postgres run gets a throwaway database of its own on the shared server, dropped afterwards.
const admin = new pg.Client({ connectionString: benchUri('admin') });
if (
  await admin.connect().then(
    () => true,
    () => false,
  )
) {
  const database = `refsrv_bench_${randomBytes(4).toString('hex')}`;
  await admin.query(`create database ${database}`);
  try {
    await run('PostgreSQL (pool 10 + 5) and Redis', {
      LETTA_PG_URI: benchUri('server', database),
      LETTA_DISABLE_SQLALCHEMY_POOLING: 'false',
      LETTA_PG_POOL_SIZE: '10',
      LETTA_PG_MAX_OVERFLOW: '5',
      LETTA_REDIS_HOST: new URL(process.env.LETTA_TEST_REDIS_URL || 'redis://127.0.0.1:6379').hostname,
    });
  } finally {
    await admin.query(`drop database if exists ${database} with (force)`);
    await admin.end();
  }
} else {
  console.log('\nPostgreSQL is not reachable (LETTA_TEST_PG_URI): skipping the Postgres run.');
}
