/**
 * Lock acquire + release cycles at concurrency 16 on a loopback primary with one replica: what waiting
 * for the replica (`lockReplicas: 1`, `WAIT 1`) costs against granting on the primary alone, for
 * @letta/redis and for raw ioredis (`SET NX PX` then `DEL`, with and without a pipelined `WAIT 1`).
 * Rounds are interleaved so machine load hits every contender alike; the median round counts.
 *
 *   pnpm bench:redis-locks            ROUNDS=7 ROUND_MS=3000 pnpm bench:redis-locks
 */
import { createRedisClient } from '@letta/redis';
import { Redis } from 'ioredis';
import { startReplicatedPair } from '../../packages/redis/test/topology';

const CONCURRENCY = 16;
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const ROUND_MS = Number(process.env.ROUND_MS ?? 2_000);

interface Contender {
  name: string;
  /** Takes the lock `name` and releases it again. */
  cycle(name: string, token: string): Promise<void>;
}

async function round(contender: Contender): Promise<number> {
  const end = performance.now() + ROUND_MS;
  let cycles = 0;
  const worker = async (id: number) => {
    for (let i = 0; performance.now() < end; i++) {
      await contender.cycle(`bench-lock:${id}`, `${id}:${i}`);
      cycles++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, id) => worker(id)));
  return cycles / ((performance.now() - started) / 1_000);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

const pair = await startReplicatedPair();
const server = { host: '127.0.0.1', port: pair.primary.port, fallback: 'throw' } as const;
const primaryOnly = await createRedisClient({ ...server, lockReplicas: 0 });
const replicated = await createRedisClient({ ...server, lockReplicas: 1 });
const raw = new Redis(pair.primary.url);

const letta = (client: typeof primaryOnly) => async (name: string, token: string) => {
  const lock = await client.acquireLock(name, { ttlMs: 30_000, token });
  await lock?.release();
};
const contenders: Contender[] = [
  {
    name: 'raw ioredis SET NX PX + DEL',
    cycle: async (name, token) => {
      await raw.set(name, token, 'PX', 30_000, 'NX');
      await raw.del(name);
    },
  },
  {
    name: 'raw ioredis SET NX PX + WAIT 1 + DEL',
    cycle: async (name, token) => {
      await raw.pipeline().set(name, token, 'PX', 30_000, 'NX').wait(1, 500).exec();
      await raw.del(name);
    },
  },
  { name: '@letta/redis lockReplicas: 0', cycle: letta(primaryOnly) },
  { name: '@letta/redis lockReplicas: 1', cycle: letta(replicated) },
];

try {
  const results = new Map<string, number[]>(contenders.map((contender) => [contender.name, []]));
  for (const contender of contenders) await round(contender);
  for (let r = 0; r < ROUNDS; r++) {
    for (const contender of contenders) results.get(contender.name)?.push(await round(contender));
  }
  console.log(
    `Lock acquire + release, concurrency ${CONCURRENCY}, ${ROUNDS} rounds of ${ROUND_MS} ms (medians)`,
  );
  const baseline = median(results.get(contenders[0]?.name ?? '') ?? []);
  const waitBaseline = median(results.get(contenders[1]?.name ?? '') ?? []);
  for (const [name, rounds] of results) {
    const perSecond = median(rounds);
    console.log(
      `${name.padEnd(40)} ${Math.round(perSecond).toLocaleString('en-US').padStart(9)} cycles/s  ` +
        `${(perSecond / baseline).toFixed(2)}x raw  ${(perSecond / waitBaseline).toFixed(2)}x raw with WAIT`,
    );
  }
} finally {
  raw.disconnect();
  await Promise.all([primaryOnly.close(), replicated.close()]);
  await pair.stop();
}
