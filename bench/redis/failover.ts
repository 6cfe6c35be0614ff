/**
 * Sentinel failover under write load, on loopback: one primary, one replica and three Sentinels
 * (down-after-milliseconds 1000, failover-timeout 2000). Each round starts a fresh topology, runs eight
 * writers per client, takes locks until the primary is killed (SIGKILL), and measures, for @letta/redis
 * (default options) and raw ioredis in Sentinel mode (v6 defaults) side by side:
 * - recovery: from the kill until the first write issued after it is acknowledged;
 * - lost writes: writes the client saw acknowledged that the promoted replica does not have;
 * - lost locks: locks granted before the kill that the promoted replica does not hold.
 * The Sentinels' own failover time (kill until +switch-master) is printed for reference.
 *
 *   pnpm bench:redis-failover            ROUNDS=3 pnpm bench:redis-failover
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createRedisClient } from '@letta/redis';
import { Redis } from 'ioredis';
import { type SentinelTopology, startSentinelTopology } from '../../packages/redis/test/topology';

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const WRITERS = 8;
const LOAD_BEFORE_KILL_MS = 1_000;
const GIVE_UP_MS = 30_000;

interface Contender {
  readonly name: string;
  write(key: string): Promise<unknown>;
  /** Takes `name` for `token`; whether it was granted. */
  lock(name: string, token: string): Promise<boolean>;
  close(): Promise<void>;
}

interface Outcome {
  recoveryMs: number;
  acknowledged: string[];
  locks: { name: string; token: string }[];
  failedCalls: number;
}

async function contenders(topology: SentinelTopology): Promise<Contender[]> {
  const sentinels = [...topology.sentinelAddresses];
  const ours = await createRedisClient({ sentinels, sentinelName: topology.name, fallback: 'throw' });
  const raw = new Redis({ sentinels, name: topology.name });
  raw.on('error', () => {});
  await raw.ping();
  return [
    {
      name: '@letta/redis (defaults, WAIT 1 for locks)',
      write: (key) => ours.set(key, '1'),
      lock: async (name, token) => (await ours.acquireLock(name, { ttlMs: 120_000, token })) !== null,
      close: () => ours.close(),
    },
    {
      name: 'raw ioredis Sentinel client (v6 defaults)',
      write: (key) => raw.set(key, '1'),
      lock: async (name, token) => (await raw.set(name, token, 'PX', 120_000, 'NX')) === 'OK',
      close: async () => raw.disconnect(),
    },
  ];
}

/** Loads one contender until `stopped()`, recording in `outcome` what was acknowledged and when. */
async function load(
  contender: Contender,
  index: number,
  outcome: Outcome,
  killedAt: () => number,
  stopped: () => boolean,
): Promise<void> {
  const writer = async (worker: number) => {
    for (let i = 0; !stopped(); i++) {
      const issuedAt = performance.now();
      const key = `c${index}:w${worker}:${i}`;
      try {
        if (worker === 0 && killedAt() === 0) {
          if (await contender.lock(`lock:${key}`, key))
            outcome.locks.push({ name: `lock:${key}`, token: key });
          continue;
        }
        await contender.write(key);
        outcome.acknowledged.push(key);
        if (killedAt() > 0 && issuedAt > killedAt() && Number.isNaN(outcome.recoveryMs)) {
          outcome.recoveryMs = performance.now() - killedAt();
        }
      } catch {
        outcome.failedCalls++;
        await sleep(5);
      }
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, (_, worker) => writer(worker)));
}

async function missing(on: Redis, keys: string[], expected: (key: string) => string): Promise<number> {
  let lost = 0;
  for (let i = 0; i < keys.length; i += 1_000) {
    const batch = keys.slice(i, i + 1_000);
    const values = await on.mget(...batch);
    lost += values.filter((value, j) => value !== expected(batch[j] as string)).length;
  }
  return lost;
}

interface RoundResult {
  switchMs: number;
  byContender: {
    name: string;
    recoveryMs: number;
    acked: number;
    lost: number;
    locks: number;
    locksLost: number;
    failed: number;
  }[];
}

async function round(): Promise<RoundResult> {
  const topology = await startSentinelTopology({ downAfterMs: 1_000, failoverTimeoutMs: 2_000 });
  const watcher = new Redis(topology.sentinelAddresses[0] as { host: string; port: number });
  const clients = await contenders(topology);
  try {
    let killedAt = 0;
    let switchedAt = 0;
    let stopping = false;
    await watcher.subscribe('+switch-master');
    watcher.on('message', () => {
      switchedAt ||= performance.now();
    });
    const outcomes: Outcome[] = clients.map(() => ({
      recoveryMs: Number.NaN,
      acknowledged: [],
      locks: [],
      failedCalls: 0,
    }));
    const loads = clients.map((contender, index) =>
      load(
        contender,
        index,
        outcomes[index] as Outcome,
        () => killedAt,
        () => stopping,
      ),
    );
    await sleep(LOAD_BEFORE_KILL_MS);
    killedAt = performance.now();
    await topology.primary.stop();
    const deadline = killedAt + GIVE_UP_MS;
    while (performance.now() < deadline && outcomes.some((outcome) => Number.isNaN(outcome.recoveryMs))) {
      await sleep(50);
    }
    await sleep(300);
    stopping = true;
    await Promise.all(loads);
    const promoted = new Redis(await topology.currentPrimary());
    try {
      const byContender = [];
      for (const [index, outcome] of outcomes.entries()) {
        byContender.push({
          name: clients[index]?.name ?? '',
          recoveryMs: outcome.recoveryMs,
          acked: outcome.acknowledged.length,
          lost: await missing(promoted, outcome.acknowledged, () => '1'),
          locks: outcome.locks.length,
          locksLost: await missing(
            promoted,
            outcome.locks.map((lock) => lock.name),
            (name) => name.slice('lock:'.length),
          ),
          failed: outcome.failedCalls,
        });
      }
      return { switchMs: switchedAt - killedAt, byContender };
    } finally {
      promoted.disconnect();
    }
  } finally {
    watcher.disconnect();
    await Promise.all(clients.map((client) => client.close()));
    await topology.stop();
  }
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

const rounds: RoundResult[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const result = await round();
  rounds.push(result);
  console.log(
    `round ${r + 1}: Sentinels switched the primary ${Math.round(result.switchMs)} ms after the kill`,
  );
  for (const c of result.byContender) {
    console.log(
      `  ${c.name.padEnd(44)} recovery ${String(Math.round(c.recoveryMs)).padStart(5)} ms  ` +
        `lost ${c.lost}/${c.acked} acknowledged writes, ${c.locksLost}/${c.locks} locks; ${c.failed} calls failed`,
    );
  }
}

console.log(`\nSentinel failover, ${ROUNDS} rounds (medians; losses summed over all rounds)`);
console.log(`Sentinels: kill to +switch-master ${Math.round(median(rounds.map((r) => r.switchMs)))} ms`);
const names = rounds[0]?.byContender.map((c) => c.name) ?? [];
const recoveryOf = (name: string) =>
  median(rounds.map((r) => r.byContender.find((c) => c.name === name)?.recoveryMs ?? Number.NaN));
const baseline = recoveryOf(names[1] ?? '');
for (const name of names) {
  const all = rounds.map((r) => r.byContender.find((c) => c.name === name));
  const total = (field: 'acked' | 'lost' | 'locks' | 'locksLost') =>
    all.reduce((sum, c) => sum + (c?.[field] ?? 0), 0);
  const recovery = recoveryOf(name);
  console.log(
    `${name.padEnd(44)} recovery ${Math.round(recovery)} ms (${(recovery / baseline).toFixed(2)}x raw)  ` +
      `lost ${total('lost')} of ${total('acked')} acknowledged writes, ${total('locksLost')} of ${total('locks')} locks`,
  );
}
