/**
 * 1,000 concurrent SSE clients on one reference server (100 agents, 10 clients each) in Letta's default
 * no-pool mode on a throwaway PostgreSQL database: how many opens are answered, how many database
 * connections the streams hold while idle (sampled from pg_stat_activity every 50 ms for 12 s, longer than
 * the 10 s sweep), the
 * server's resident memory before, during and after, and one message per agent reaching every client.
 * Without Redis (idle streams poll the database every second: the baseline), then with Redis.
 * Target with Redis: at most 1 connection held while idle.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { type AgentBody, createAgent, postMessage } from '../../examples/reference-server/test/http';
import { openSse, type SseConnection } from '../../examples/reference-server/test/sse-client';
import { benchUri, startServer } from './harness';
import { percentile, redisEnv } from './sse-harness';

const CLIENTS = 1_000;
const AGENTS = 100;
const SERVER_LABEL = 'many-streams';

const rssMiB = (pid: number) => {
  const kib = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return `${(Number(kib) / 1024).toFixed(0)} MiB`;
};

/**
 * The server's backends on `database`, sampled every 50 ms for `ms`: the most at once, all of them and
 * those whose query is a stream's (on `messages` or `agents`, not the health monitor's statistics).
 */
async function maxBackends(admin: pg.Client, database: string, ms: number) {
  const most = { all: 0, streaming: 0 };
  for (const end = performance.now() + ms; performance.now() < end; await sleep(50)) {
    const { rows } = await admin.query<{ all: string; streaming: string }>(
      `select count(*) as all,
              count(*) filter (where query ~* '"(messages|agents)"') as streaming
         from pg_stat_activity where datname = $1 and application_name = $2`,
      [database, `letta-refsrv-bench-${SERVER_LABEL}`],
    );
    most.all = Math.max(most.all, Number(rows[0]?.all));
    most.streaming = Math.max(most.streaming, Number(rows[0]?.streaming));
  }
  return most;
}

async function run(label: string, admin: pg.Client, database: string, env: Record<string, string>) {
  const server = await startServer({
    LETTA_PG_URI: benchUri(SERVER_LABEL, database),
    LETTA_KEEPALIVE_INTERVAL: '1',
    ...env,
  });
  const streams: SseConnection[] = [];
  try {
    const agents: AgentBody[] = [];
    for (let i = 0; i < AGENTS; i++) agents.push(await createAgent(server.url, `agent ${i}`));
    await sleep(500);
    const before = rssMiB(server.pid);
    const opening = performance.now();
    const opened = await Promise.allSettled(
      Array.from({ length: CLIENTS }, (_, i) =>
        openSse(`${server.url}/v1/agents/${agents[i % AGENTS]?.id}/messages/stream`),
      ),
    );
    for (const result of opened) if (result.status === 'fulfilled') streams.push(result.value);
    const answered = streams.filter((stream) => stream.status === 200).length;
    // A stream sends its first keepalive (1 s) only after its first database read: then it is idle.
    await Promise.all(streams.map((stream) => stream.waitFor((event) => event.event === 'comment', 120_000)));
    const settledS = (performance.now() - opening) / 1000;
    const idle = await maxBackends(admin, database, 12_000);
    const during = rssMiB(server.pid);

    const sent = new Map<number, number>();
    for (const [i, agent] of agents.entries()) {
      sent.set(i, performance.now());
      await postMessage(server.url, agent.id, 'hello');
    }
    const latencies = await Promise.all(
      streams.map(async (stream, client) => {
        const event = await stream.waitFor((received) => received.event === 'message', 15_000);
        return event.at - (sent.get(client % AGENTS) ?? 0);
      }),
    );
    for (const stream of streams) stream.close();
    await sleep(2_000);
    const after = rssMiB(server.pid);
    console.log(`\n${label}: ${CLIENTS} clients on ${AGENTS} agents, one instance, no pool`);
    console.log(
      `  opens answered 200: ${answered} of ${CLIENTS}; all read and idle after ${settledS.toFixed(1)} s`,
    );
    console.log(
      `  database connections while idle (most at once, sampled every 50 ms for 12 s): ${idle.streaming} by streams, ${idle.all} in all`,
    );
    console.log(`  resident memory: before ${before}, during ${during}, after ${after}`);
    console.log(
      `  one message per agent: ${latencies.length} of ${CLIENTS} clients got theirs; p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`,
    );
  } finally {
    for (const stream of streams) stream.close();
    await server.stop();
  }
}

const admin = new pg.Client({ connectionString: benchUri('admin') });
await admin.connect();
const database = `refsrv_bench_${randomBytes(4).toString('hex')}`;
await admin.query(`create database ${database}`);
try {
  await run('database polling (no Redis, the baseline)', admin, database, {});
  await run('through Redis', admin, database, redisEnv());
} finally {
  await admin.query(`drop database if exists ${database} with (force)`);
  await admin.end();
}
