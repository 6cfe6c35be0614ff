/**
 * What telemetry costs an HTTP request of the built reference server (embedded defaults: SQLite, no-op
 * Redis, Prometheus on), against autocannon at 32 connections, rounds interleaved, medians printed:
 * - `GET /v1/health/` with Letta's endpoint metrics recorded through the SDK, against a bare Fastify app
 *   with the same route (target: at least 0.85 of bare Fastify);
 * - `POST /v1/agents/:id/messages` (the message write path) with telemetry on, against the same server
 *   with `OTEL_SDK_DISABLED=true` (target: at most 5% slower with telemetry on).
 * Each ratio is the median of the rounds' back-to-back ratios. Beside requests per second, each server's CPU
 * time per request (Linux): a cost that does not depend on whether autocannon, on its own CPU, kept up.
 *
 *   pnpm bench:http-telemetry            ROUNDS=7 ROUND_S=3 pnpm bench:http-telemetry
 */
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { reserveServerCpu } from '../support/cpu-pinning';
import { processCpuMs } from '../support/process-cpu';
import { interleave, median, roundRatios } from '../support/rounds';
import { postJson, startServer } from './harness';

const CONNECTIONS = 32;
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const ROUND_S = Number(process.env.ROUND_S ?? 3);
const AGENTS = 20;

const bareFastify = fileURLToPath(new URL('./processes/bare-fastify.mjs', import.meta.url));
const cpu = reserveServerCpu();
const servers = {
  fastify: await startServer({}, [bareFastify], { cpu }),
  on: await startServer({}, undefined, { cpu }),
  off: await startServer({ OTEL_SDK_DISABLED: 'true' }, undefined, { cpu }),
};

/** Agents to write to, created on both reference servers. */
async function createAgents(url: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < AGENTS; i++)
    ids.push((await postJson<{ id: string }>(`${url}/v1/agents`, { name: `bench-${i}` })).id);
  return ids;
}
const agents = { on: await createAgents(servers.on.url), off: await createAgents(servers.off.url) };

/** One round: the requests per second autocannon got, and the server's CPU time per request. */
interface Round {
  readonly rate: number;
  readonly cpuUs: number;
}

async function load(pid: number, options: autocannon.Options): Promise<Round> {
  const cpuBefore = processCpuMs(pid);
  const result = await autocannon({ connections: CONNECTIONS, duration: ROUND_S, ...options });
  const cpuAfter = processCpuMs(pid);
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${options.url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  const cpuMs = cpuBefore === null || cpuAfter === null ? Number.NaN : cpuAfter - cpuBefore;
  return { rate: result.requests.average, cpuUs: (cpuMs * 1000) / result.requests.total };
}

type Server = (typeof servers)[keyof typeof servers];
const health = (server: Server) => () => load(server.pid, { url: `${server.url}/v1/health/` });
const writes = (server: Server, ids: readonly string[]) => () => {
  let next = 0;
  return load(server.pid, {
    url: server.url,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ content: 'a message of a few dozen bytes, as a chat turn would be' }),
        setupRequest: (request) => ({ ...request, path: `/v1/agents/${ids[next++ % AGENTS]}/messages` }),
      },
    ],
  });
};

const contenders: Record<string, () => Promise<Round>> = {
  'GET /v1/health/, bare Fastify': health(servers.fastify),
  'GET /v1/health/, reference server (SDK)': health(servers.on),
  'GET /v1/health/, reference server, telemetry off': health(servers.off),
  'POST messages, telemetry off': writes(servers.off, agents.off),
  'POST messages, telemetry on (SDK)': writes(servers.on, agents.on),
};
const BARE = 'GET /v1/health/, bare Fastify';
try {
  const rounds = await interleave(Object.keys(contenders), ROUNDS, (name) => {
    const contender = contenders[name];
    return contender ? contender() : Promise.reject(new Error(`no contender ${name}`));
  });
  const each = (pick: (round: Round) => number) =>
    new Map([...rounds].map(([name, results]) => [name, results.map(pick)]));
  const rates = each((round) => round.rate);
  const cpuUs = each((round) => round.cpuUs);
  console.log(
    `autocannon, ${CONNECTIONS} connections, ${ROUNDS} rounds of ${ROUND_S} s (medians)` +
      (cpu === null ? '' : `; each server on CPU ${cpu}, autocannon on the others`),
  );
  for (const name of Object.keys(contenders)) {
    const rate = median(rates.get(name) ?? []).toFixed(0);
    const serverCpu = median(cpuUs.get(name) ?? []).toFixed(1);
    console.log(
      `  ${name.padEnd(50)} ${rate.padStart(7)} req/s  server CPU ${serverCpu.padStart(6)} µs/request`,
    );
  }
  const listed = (values: readonly number[], format: (value: number) => string) =>
    `${format(median(values))} (the rounds: ${values.map(format).join(' ')})`;
  const times = (value: number) => `${value.toFixed(2)}x`;
  for (const [name, label] of [
    ['GET /v1/health/, reference server (SDK)', 'with endpoint metrics through the SDK'],
    ['GET /v1/health/, reference server, telemetry off', 'with telemetry off'],
  ] as const) {
    console.log(`/v1/health/ ${label}, of bare Fastify:`);
    console.log(`  req/s ${listed(roundRatios(rates, name, BARE), times)}, target >= 0.85`);
    // Bare Fastify's CPU per request over this server's: the same sense as the req/s ratio.
    console.log(`  server CPU per request ${listed(roundRatios(cpuUs, BARE, name), times)}`);
  }
  const percent = (value: number) => `${value >= 0 ? '+' : ''}${value.toFixed(1)}%`;
  const more = (values: readonly number[]) => values.map((value) => (value - 1) * 100);
  const off = 'POST messages, telemetry off';
  const on = 'POST messages, telemetry on (SDK)';
  console.log('message write path, telemetry on against off:');
  console.log(`  time per request ${listed(more(roundRatios(rates, off, on)), percent)}, target <= +5%`);
  console.log(`  server CPU per request ${listed(more(roundRatios(cpuUs, on, off)), percent)}`);
} finally {
  await Promise.all(Object.values(servers).map((server) => server.stop()));
}
