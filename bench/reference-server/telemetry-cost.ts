/**
 * What telemetry costs an HTTP request of the built reference server (embedded defaults: SQLite, no-op
 * Redis, Prometheus on), against autocannon at 32 connections, rounds interleaved, medians printed:
 * - `GET /v1/health/` with Letta's endpoint metrics recorded through the SDK, against a bare Fastify app
 *   with the same route (target: at least 0.85 of bare Fastify);
 * - `POST /v1/agents/:id/messages` (the message write path) with telemetry on, against the same server
 *   with `OTEL_SDK_DISABLED=true` (target: at most 5% slower with telemetry on).
 *
 *   pnpm bench:http-telemetry            ROUNDS=7 ROUND_S=3 pnpm bench:http-telemetry
 */
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { reserveServerCpu } from '../support/cpu-pinning';
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

async function load(options: autocannon.Options): Promise<number> {
  const result = await autocannon({ connections: CONNECTIONS, duration: ROUND_S, ...options });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${options.url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return result.requests.average;
}

const health = (url: string) => () => load({ url: `${url}/v1/health/` });
const writes = (url: string, ids: readonly string[]) => () => {
  let next = 0;
  return load({
    url,
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

const contenders: Record<string, () => Promise<number>> = {
  'GET /v1/health/, bare Fastify': health(servers.fastify.url),
  'GET /v1/health/, reference server (SDK)': health(servers.on.url),
  'GET /v1/health/, reference server, telemetry off': health(servers.off.url),
  'POST messages, telemetry off': writes(servers.off.url, agents.off),
  'POST messages, telemetry on (SDK)': writes(servers.on.url, agents.on),
};
try {
  const results = await interleave(
    Object.keys(contenders),
    ROUNDS,
    (name) => contenders[name]?.() ?? Promise.resolve(0),
  );
  const rate = (name: string) => median(results.get(name) ?? []);
  console.log(
    `autocannon, ${CONNECTIONS} connections, ${ROUNDS} rounds of ${ROUND_S} s (median req/s)` +
      (cpu === null ? '' : `; each server on CPU ${cpu}, autocannon on the others`),
  );
  for (const name of Object.keys(contenders))
    console.log(`  ${name.padEnd(50)} ${rate(name).toFixed(0).padStart(7)} req/s`);
  const ofBare = (name: string) => {
    const ratios = roundRatios(results, name, 'GET /v1/health/, bare Fastify');
    const each = ratios.map((value) => value.toFixed(2)).join(' ');
    return `${median(ratios).toFixed(2)}x of bare Fastify (median of the rounds' ratios: ${each})`;
  };
  console.log(
    `/v1/health/ with endpoint metrics through the SDK: ${ofBare('GET /v1/health/, reference server (SDK)')}, target >= 0.85`,
  );
  console.log(
    `/v1/health/ with telemetry off: ${ofBare('GET /v1/health/, reference server, telemetry off')}`,
  );
  const slower = roundRatios(
    results,
    'POST messages, telemetry off',
    'POST messages, telemetry on (SDK)',
  ).map((value) => (value - 1) * 100);
  const percent = (value: number) => `${value >= 0 ? '+' : ''}${value.toFixed(1)}%`;
  console.log(
    `message write path, telemetry on against off: ${percent(median(slower))} time per request (the rounds: ${slower.map(percent).join(' ')}), target <= +5%`,
  );
} finally {
  await Promise.all(Object.values(servers).map((server) => server.stop()));
}
