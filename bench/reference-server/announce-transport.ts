/**
 * The two ways to announce a committed message through Redis, raw ioredis on the benchmark Redis
 * (`LETTA_TEST_REDIS_URL`), one message at a time, timed from the write to the reader's reply:
 * PUBLISH to a SUBSCRIBE connection, and XADD (MAXLEN ~ 100) to a blocking XREAD on a second
 * connection, the reader waiting on 1 and on 1,000 agent streams (an instance with streams open for
 * 1,000 agents names every one of them in each XREAD).
 */
import { Redis } from 'ioredis';
import { percentile } from './sse-harness';

const ROUNDS = 500;
const url = process.env.LETTA_TEST_REDIS_URL || 'redis://127.0.0.1:6379';
const prefix = `bench:announce:${process.pid}:`;

function report(name: string, values: number[]) {
  console.log(
    `  ${name.padEnd(34)} p50 ${percentile(values, 50).toFixed(3)} ms  p99 ${percentile(values, 99).toFixed(3)} ms`,
  );
}

async function pubSub(): Promise<number[]> {
  const publisher = new Redis(url);
  const subscriber = new Redis(url);
  const channel = `${prefix}channel`;
  await subscriber.subscribe(channel);
  const latencies: number[] = [];
  try {
    for (let i = 0; i < ROUNDS; i++) {
      const received = new Promise<void>((resolve) => subscriber.once('message', () => resolve()));
      const sent = performance.now();
      await publisher.publish(channel, JSON.stringify({ sequenceId: i, content: 'hello' }));
      await received;
      latencies.push(performance.now() - sent);
    }
  } finally {
    publisher.disconnect();
    subscriber.disconnect();
  }
  return latencies;
}

async function streams(keys: number): Promise<number[]> {
  const writer = new Redis(url);
  const reader = new Redis(url);
  const names = Array.from({ length: keys }, (_, i) => `${prefix}agent:${i}`);
  const target = names[0] as string;
  const lastIds = new Map(names.map((name) => [name, '0-0']));
  const latencies: number[] = [];
  try {
    for (let i = 0; i < ROUNDS; i++) {
      const ids = names.map((name) => lastIds.get(name) ?? '0-0');
      const read = reader.xread('BLOCK', 5000, 'STREAMS', ...names, ...ids);
      // Let the XREAD reach the server first, as the fan-out's reader is always waiting.
      await new Promise((resolve) => setTimeout(resolve, 1));
      const sent = performance.now();
      await writer.xadd(target, 'MAXLEN', '~', '100', '*', 'message', JSON.stringify({ sequenceId: i }));
      const result = await read;
      latencies.push(performance.now() - sent);
      for (const [name, entries] of result ?? []) lastIds.set(name, entries.at(-1)?.[0] ?? '0-0');
    }
  } finally {
    await writer.del(...names);
    writer.disconnect();
    reader.disconnect();
  }
  return latencies;
}

console.log(`Announcing one message through Redis (${ROUNDS} rounds, raw ioredis):`);
report('PUBLISH -> SUBSCRIBE', await pubSub());
report('XADD -> XREAD BLOCK, 1 stream', await streams(1));
report('XADD -> XREAD BLOCK, 1,000 streams', await streams(1_000));
