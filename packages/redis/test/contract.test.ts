import { createRedisClient, type RedisAddress } from '@letta/redis';
import { requireService } from '@test/support';
import { afterAll, describe } from 'vitest';
import { describeContract } from './contract';
import { keyspace, optionsFor } from './fixtures';

const hasRedis = await requireService('redis');
const keys = keyspace('contract');

// One contract, two clients; the Sentinel and cluster suites run it on their topologies.
const clients = [
  ['ioredis client', () => createRedisClient({ ...optionsFor(), fallback: 'throw' })],
  ['no-op client', () => createRedisClient({ host: null })],
] as const;

describe.skipIf(!hasRedis).each(clients)('RedisClient contract: %s', (_name, create) => {
  afterAll(() => keys.cleanup());
  describeContract(create, keys.key, () => [optionsFor() as RedisAddress]);
});
