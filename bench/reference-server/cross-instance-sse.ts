/**
 * SSE across instances. Three reference servers on one throwaway PostgreSQL database behind nginx
 * (`deploy/nginx.conf` with the three as upstreams): six stream clients through nginx, 50 messages posted
 * round-robin to the instances, each delivery timed from the POST to the event. First without Redis
 * (streams poll the database every second: the baseline), then with Redis (announcements on a stream per
 * agent). Targets with Redis: cross-instance p50 at most 15 ms, p99 at most 100 ms; every client gets
 * every message once, in order.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createAgent, postMessage } from '../../examples/reference-server/test/http';
import { requireNginx, startNginx } from '../../examples/reference-server/test/nginx-process';
import { openSse, type SseConnection } from '../../examples/reference-server/test/sse-client';
import { benchUri, startServer } from './harness';
import { percentile, redisEnv } from './sse-harness';

const INSTANCES = 3;
const CLIENTS = 6;
const MESSAGES = 50;

interface Delivery {
  /** From sending the POST to the event. */
  ms: number;
  /** From the POST's answer to the event (negative when the event came first). */
  afterAnswerMs: number;
  cross: boolean;
}

/** Every message id a client received, in order. */
const ids = (stream: SseConnection) =>
  stream.events.filter((event) => event.event === 'message').map((event) => Number(event.id));

async function run(label: string, env: Record<string, string>): Promise<Delivery[]> {
  const nginx = requireNginx();
  if (!nginx) throw new Error('This benchmark needs nginx (apt-get install -y nginx).');
  const servers = await Promise.all(Array.from({ length: INSTANCES }, () => startServer(env)));
  const ports = servers.map((server) => Number(new URL(server.url).port));
  // Names the instance that serves each stream, so a delivery can be classed as cross-instance.
  const proxy = await startNginx(nginx, ports, (conf) =>
    conf.replace(
      'location ~ /stream$ {',
      'location ~ /stream$ {\n      add_header X-Upstream $upstream_addr always;',
    ),
  );
  const streams: SseConnection[] = [];
  try {
    const agent = await createAgent(proxy.url);
    for (let i = 0; i < CLIENTS; i++) {
      streams.push(await openSse(`${proxy.url}/v1/agents/${agent.id}/messages/stream`));
    }
    const streamPorts = streams.map((stream) =>
      Number(String(stream.headers['x-upstream']).split(':').at(-1)),
    );
    const deliveries: Delivery[] = [];
    const posts: number[] = [];
    for (let n = 1; n <= MESSAGES; n++) {
      const target = servers[n % INSTANCES];
      if (!target) throw new Error('no server');
      const sent = performance.now();
      const written = await postMessage(target.url, agent.id, `message ${n}`);
      if (written.status !== 201) throw new Error(`POST answered ${written.status}`);
      const answered = performance.now();
      posts.push(answered - sent);
      const events = await Promise.all(
        streams.map((stream) => stream.waitFor((event) => event.id === String(n), 10_000)),
      );
      for (const [client, event] of events.entries()) {
        deliveries.push({
          ms: event.at - sent,
          afterAnswerMs: event.at - answered,
          cross: streamPorts[client] !== ports[n % INSTANCES],
        });
      }
    }
    const expected = Array.from({ length: MESSAGES }, (_, i) => i + 1).join(',');
    const complete = streams.filter((stream) => ids(stream).join(',') === expected).length;
    const cross = deliveries.filter((delivery) => delivery.cross).map((delivery) => delivery.ms);
    const same = deliveries.filter((delivery) => !delivery.cross).map((delivery) => delivery.ms);
    const line = (name: string, values: number[]) =>
      `  ${name.padEnd(15)} n=${String(values.length).padStart(3)}  p50 ${percentile(values, 50).toFixed(1).padStart(7)} ms` +
      `  p90 ${percentile(values, 90).toFixed(1).padStart(7)} ms  p99 ${percentile(values, 99).toFixed(1).padStart(7)} ms` +
      `  max ${Math.max(...values)
        .toFixed(1)
        .padStart(7)} ms`;
    console.log(
      `\n${label}: ${INSTANCES} instances behind nginx, ${CLIENTS} clients (instances ${streamPorts.map((port) => ports.indexOf(port) + 1).join(',')}), ${MESSAGES} messages`,
    );
    console.log(line('cross-instance', cross));
    console.log(line('same instance', same));
    console.log(line('POST (commit)', posts));
    console.log(
      line(
        'after the 201',
        deliveries.filter((delivery) => delivery.cross).map((delivery) => delivery.afterAnswerMs),
      ),
    );
    console.log(`  clients with every message once, in order: ${complete} of ${CLIENTS}`);
    return deliveries;
  } finally {
    for (const stream of streams) stream.close();
    await proxy.stop();
    await Promise.all(servers.map((server) => server.stop()));
  }
}

const admin = new pg.Client({ connectionString: benchUri('admin') });
await admin.connect();
const database = `refsrv_bench_${randomBytes(4).toString('hex')}`;
await admin.query(`create database ${database}`);
try {
  // Letta's default: no pool (a connection per checkout).
  const pgEnv = { LETTA_PG_URI: benchUri('server', database) };
  const polling = await run('database polling (no Redis, the baseline)', pgEnv);
  const redis = await run('through Redis', { ...pgEnv, ...redisEnv() });
  // A pool keeps connections open, so a write does not pay for connecting.
  await run('through Redis, pool of 5', {
    ...pgEnv,
    ...redisEnv(),
    LETTA_DISABLE_SQLALCHEMY_POOLING: 'false',
    LETTA_PG_POOL_SIZE: '5',
  });
  const p50 = (deliveries: Delivery[]) =>
    percentile(
      deliveries.filter((delivery) => delivery.cross).map((delivery) => delivery.ms),
      50,
    );
  console.log(
    `\ncross-instance p50 through Redis: ${p50(redis).toFixed(1)} ms, x${(p50(polling) / p50(redis)).toFixed(0)} faster than polling (targets: p50 <= 15 ms, p99 <= 100 ms)`,
  );
} finally {
  await admin.query(`drop database if exists ${database} with (force)`);
  await admin.end();
}
