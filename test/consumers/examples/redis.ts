import { createRedisClient } from '@letta/redis';

async function main(): Promise<void> {
  const url = new URL(process.env.LETTA_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
  const redis = await createRedisClient({ host: url.hostname, port: Number(url.port || 6379) });
  const key = `letta-consumer:${process.pid}`;
  await redis.set(key, 'hello', { ex: 60 });
  const value = await redis.get(key);
  await redis.close();
  console.log('ok redis', redis.isNoop, value);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
