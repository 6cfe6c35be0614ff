/**
 * What telemetry costs an HTTP request of the built reference server (embedded defaults: SQLite, no-op
 * Redis, Prometheus on), under autocannon at 32 connections per server:
 * - `GET /v1/health/` with Letta's endpoint metrics recorded through the SDK, against a bare Fastify app
 *   with the same route (target: at least 0.85 of bare Fastify), and the reference server with
 *   `OTEL_SDK_DISABLED=true`;
 * - `POST /v1/agents/:id/messages` (the message write path) with telemetry on, against the same server
 *   with telemetry off (target: at most 5% slower with telemetry on).
 *
 * The servers compared are loaded at the same time, all on one CPU (`taskset`, where it exists) with
 * autocannon on the others: the scheduler gives each busy server an equal share of that CPU, so the
 * ratio of their request rates is the ratio of their costs per request, and a machine whose speed drifts
 * slows all of them alike. (Run one after another, the same comparison moved by up to a quarter from one
 * round to the next on a noisy machine.) Each ratio printed is the median of the rounds' ratios.
 *
 *   pnpm bench:http-telemetry            ROUNDS=9 ROUND_S=3 pnpm bench:http-telemetry
 */
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { reserveServerCpu } from '../support/cpu-pinning';
import { processCpuMs } from '../support/process-cpu';
import { eachRound, median, roundRatios, times } from '../support/rounds';
import { postJson, startServer } from './harness';

const CONNECTIONS = 32;
const ROUNDS = Number(process.env.ROUNDS ?? 7);
const ROUND_S = Number(process.env.ROUND_S ?? 3);
const AGENTS = 20;

const bareFastify = fileURLToPath(new URL('./processes/bare-fastify.mjs', import.meta.url));
const cpu = reserveServerCpu();
const servers = {
  fastify: await startServer({}, [bareFastify], { cpu }),
  on: await startServer({}, undefined, { cpu }),
  off: await startServer({ OTEL_SDK_DISABLED: 'true' }, undefined, { cpu }),
};
type Server = (typeof servers)[keyof typeof servers];

/** Agents to write to, created on a reference server. */
async function createAgents(url: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < AGENTS; i++)
    ids.push((await postJson<{ id: string }>(`${url}/v1/agents`, { name: `bench-${i}` })).id);
  return ids;
}
const agents = { on: await createAgents(servers.on.url), off: await createAgents(servers.off.url) };

/** One server's share of a round: requests per second, and its CPU time per request and in all. */
interface Share {
  readonly rate: number;
  readonly cpuUsPerRequest: number;
  readonly cpuMs: number;
}

/** A load on one server: where it runs, and the autocannon options of its requests. */
interface Load {
  readonly server: Server;
  readonly options: autocannon.Options;
}

async function loadOne({ server, options }: Load): Promise<Share> {
  const cpuBefore = processCpuMs(server.pid);
  const result = await autocannon({ connections: CONNECTIONS, duration: ROUND_S, ...options });
  const cpuAfter = processCpuMs(server.pid);
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${options.url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  const cpuMs = cpuBefore === null || cpuAfter === null ? Number.NaN : cpuAfter - cpuBefore;
  return { rate: result.requests.average, cpuUsPerRequest: (cpuMs * 1000) / result.requests.total, cpuMs };
}

/** Loads every server of the group at once, for one round. */
async function loadTogether(group: Record<string, Load>): Promise<Map<string, Share>> {
  const names = Object.keys(group);
  const shares = await Promise.all(names.map((name) => loadOne(group[name] as Load)));
  return new Map(names.map((name, index) => [name, shares[index] as Share]));
}

const health = (server: Server): Load => ({ server, options: { url: `${server.url}/v1/health/` } });
const writes = (server: Server, ids: readonly string[]): Load => {
  let next = 0;
  return {
    server,
    options: {
      url: server.url,
      requests: [
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ content: 'a message of a few dozen bytes, as a chat turn would be' }),
          setupRequest: (request) => ({ ...request, path: `/v1/agents/${ids[next++ % AGENTS]}/messages` }),
        },
      ],
    },
  };
};

const BARE = 'GET /v1/health/, bare Fastify';
const HEALTH_SDK = 'GET /v1/health/, reference server (SDK)';
const HEALTH_OFF = 'GET /v1/health/, reference server, telemetry off';
const WRITES_OFF = 'POST messages, telemetry off';
const WRITES_ON = 'POST messages, telemetry on (SDK)';
const groups: Record<string, Load>[] = [
  { [BARE]: health(servers.fastify), [HEALTH_SDK]: health(servers.on), [HEALTH_OFF]: health(servers.off) },
  { [WRITES_OFF]: writes(servers.off, agents.off), [WRITES_ON]: writes(servers.on, agents.on) },
];

/** Every round's figure of each load, and how busy the shared CPU was in each round of each group. */
async function measure(): Promise<{ shares: Map<string, Share[]>; busy: number[][] }> {
  const shares = new Map<string, Share[]>();
  const busy: number[][] = groups.map(() => []);
  for (const group of groups) await loadTogether(group); // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    for (const [index, group] of groups.entries()) {
      const measured = await loadTogether(group);
      let cpuMs = 0;
      for (const [name, share] of measured) {
        shares.set(name, [...(shares.get(name) ?? []), share]);
        cpuMs += share.cpuMs;
      }
      busy[index]?.push(cpuMs / (ROUND_S * 1000));
    }
  }
  return { shares, busy };
}

try {
  const { shares, busy } = await measure();
  const rates = eachRound(shares, (share) => share.rate);
  const cpuUs = eachRound(shares, (share) => share.cpuUsPerRequest);
  const percent = (value: number) => `${(value * 100).toFixed(0)}%`;
  console.log(
    `autocannon, ${CONNECTIONS} connections per server, ${ROUNDS} rounds of ${ROUND_S} s, the servers compared loaded at once` +
      (cpu === null
        ? ' (no CPU reserved: each server may have a CPU of its own, and the ratios then measure autocannon)'
        : ` on CPU ${cpu}, autocannon on the others; that CPU busy ${busy.map((group) => percent(median(group))).join(' and ')} (median)`),
  );
  for (const name of shares.keys()) {
    const rate = median(rates.get(name) ?? []).toFixed(0);
    const serverCpu = median(cpuUs.get(name) ?? []).toFixed(1);
    console.log(
      `  ${name.padEnd(50)} ${rate.padStart(7)} req/s  server CPU ${serverCpu.padStart(6)} µs/request`,
    );
  }
  const listed = (values: readonly number[], format: (value: number) => string) =>
    `${format(median(values))} (the rounds: ${values.map(format).join(' ')})`;
  const signed = (value: number) => `${value >= 0 ? '+' : ''}${value.toFixed(1)}%`;
  const more = (values: readonly number[]) => values.map((value) => (value - 1) * 100);
  console.log(
    `/v1/health/ with endpoint metrics through the SDK: ${listed(roundRatios(rates, HEALTH_SDK, BARE), times)} of bare Fastify, target >= 0.85`,
  );
  console.log(
    `/v1/health/ with telemetry off: ${listed(roundRatios(rates, HEALTH_OFF, BARE), times)} of bare Fastify`,
  );
  console.log(
    `message write path, telemetry on against off: ${listed(more(roundRatios(rates, WRITES_OFF, WRITES_ON)), signed)} time per request, target <= +5%`,
  );
} finally {
  await Promise.all(Object.values(servers).map((server) => server.stop()));
}
