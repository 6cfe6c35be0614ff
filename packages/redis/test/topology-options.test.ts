import { createRedisClient, type RedisOptions, RedisOptionsError } from '@letta/redis';
import { type RedisServerProcess, startRedisServer } from '@test/support';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lettaOptions, recordingLogger, testSecret } from './fixtures';

const sentinels = [{ host: '127.0.0.1', port: 26379 }];
const clusterNodes = [{ host: '127.0.0.1', port: 7000 }];

async function rejection(options: RedisOptions): Promise<RedisOptionsError> {
  const error = await createRedisClient(options).then(
    () => new Error('created a client'),
    (failure: Error) => failure,
  );
  expect(error).toBeInstanceOf(RedisOptionsError);
  return error as RedisOptionsError;
}

/** The one problem `options` have, as its message. */
async function problem(options: RedisOptions): Promise<string> {
  const { issues, message } = await rejection(options);
  expect(issues).toHaveLength(1);
  expect(message).toBe(`Invalid Redis options (1 problem):\n  ${issues[0]?.message}`);
  return issues[0]?.message ?? '';
}

describe('choosing one topology', () => {
  it.each([
    [{ host: 'cache', url: 'redis://cache' }, 'host (LETTA_REDIS_HOST) and url (LETTA_REDIS_URL)', 'url'],
    [
      { url: 'redis://cache', sentinels, sentinelName: 'main' },
      'url (LETTA_REDIS_URL) and sentinels (LETTA_REDIS_SENTINELS)',
      'sentinels',
    ],
    [
      { sentinels, sentinelName: 'main', clusterNodes },
      'sentinels (LETTA_REDIS_SENTINELS) and clusterNodes (LETTA_REDIS_CLUSTER_NODES)',
      'clusterNodes',
    ],
  ])('refuses two topologies at once: %o', async (options, names, path) => {
    const { issues } = await rejection(options);
    expect(issues).toEqual([
      {
        path,
        envVar: expect.stringMatching(/^LETTA_REDIS_/),
        message:
          `Redis options ${names} ` +
          'are both set, but a client connects to one topology: a host, a URL, Sentinels or cluster nodes. ' +
          'Keep one of them and unset the other.',
      },
    ]);
  });

  it('needs a master group name with Sentinels, and Sentinels with a name', async () => {
    expect(await problem({ sentinels })).toMatch(
      /^Redis option sentinelName \(LETTA_REDIS_SENTINEL_NAME\) must be the name of the master group the Sentinels monitor, but found null/,
    );
    expect(await problem({ host: 'cache', sentinelName: 'main' })).toMatch(
      /sentinelName \(LETTA_REDIS_SENTINEL_NAME\) is only used with sentinels \(LETTA_REDIS_SENTINELS\)/,
    );
    expect((await rejection({ sentinels })).issues[0]).toMatchObject({
      path: 'sentinelName',
      envVar: 'LETTA_REDIS_SENTINEL_NAME',
    });
  });

  it('reports every broken topology rule at once', async () => {
    const { issues } = await rejection({ host: 'cache', sentinels });
    expect(issues.map((issue) => issue.path)).toEqual(['sentinels', 'sentinelName']);
  });

  it('checks every address', async () => {
    const nodes = [...clusterNodes, { host: 'n2', port: 0 }];
    expect(await problem({ clusterNodes: nodes })).toMatch(
      /^Redis option clusterNodes \(LETTA_REDIS_CLUSTER_NODES\) item 2 port must be an integer from 1 to 65535, but found 0/,
    );
    expect((await rejection({ clusterNodes: nodes })).issues[0]).toMatchObject({
      path: 'clusterNodes[1].port',
      envVar: 'LETTA_REDIS_CLUSTER_NODES',
    });
    expect(await problem({ sentinels: [{ host: ' ', port: 1 }], sentinelName: 'main' })).toMatch(
      /sentinels \(LETTA_REDIS_SENTINELS\) item 1 host must be a host name or address/,
    );
  });

  it('keeps a cluster on database 0', async () => {
    expect(await problem({ clusterNodes, db: 2 })).toMatch(
      /db \(LETTA_REDIS_DB\) must be 0 with clusterNodes \(a Redis Cluster has only database 0\), but found 2/,
    );
  });

  it('checks the lock replication options', async () => {
    expect(await problem({ host: 'cache', lockReplicas: -1 })).toMatch(
      /lockReplicas must be an integer from 0 to 1000, but found -1/,
    );
    const { issues } = await rejection({ host: 'cache', lockReplicaTimeoutMs: 0 });
    expect(issues).toEqual([
      { path: 'lockReplicaTimeoutMs', message: expect.stringMatching(/must be an integer 1 or more/) },
    ]);
  });

  it('uses the no-op client when nothing is configured', async () => {
    const client = await createRedisClient({ sentinels: [], clusterNodes: [], url: null });
    expect(client.isNoop).toBe(true);
  });
});

describe('a redis:// URL', () => {
  const PASSWORD = 'url-p@ss:word/never-printed';
  let server: RedisServerProcess;

  beforeAll(async () => {
    server = await startRedisServer(['--requirepass', PASSWORD]);
  });
  afterAll(() => server.stop());

  const urlWith = (password: string, path = '/4') =>
    `redis://:${encodeURIComponent(password)}@127.0.0.1:${server.port}${path}`;

  it('gives the address, the URL-encoded password and the database', async () => {
    const client = await createRedisClient(lettaOptions({ redisUrl: testSecret(urlWith(PASSWORD)) }));
    const raw = new Redis({ port: server.port, password: PASSWORD, db: 4 });
    try {
      expect(client.isNoop).toBe(false);
      await client.set('from-url', 'yes');
      expect(await raw.get('from-url')).toBe('yes');
    } finally {
      raw.disconnect();
      await client.close();
    }
  });

  it('lets the password option and db fill in what the URL leaves out', async () => {
    const client = await createRedisClient({
      url: `redis://127.0.0.1:${server.port}`,
      password: PASSWORD,
      db: 5,
      fallback: 'throw',
    });
    const raw = new Redis({ port: server.port, password: PASSWORD, db: 5 });
    try {
      await client.set('filled-in', 'yes');
      expect(await raw.get('filled-in')).toBe('yes');
    } finally {
      raw.disconnect();
      await client.close();
    }
  });

  it('never prints the URL or its password, in errors or logs', async () => {
    const wrong = `${PASSWORD}-wrong`;
    const { lines, logger } = recordingLogger();
    const failure = await createRedisClient(
      { url: urlWith(wrong), readyTimeoutMs: 500, fallback: 'throw' },
      { logger },
    ).then(
      () => new Error('created a client'),
      (error: Error) => error,
    );
    expect(failure.message).toMatch(
      new RegExp(`^Redis at 127\\.0\\.0\\.1:${server.port} was not ready.*WRONGPASS`),
    );
    expect(failure.message).toContain('fix the credentials: LETTA_REDIS_PASSWORD');
    expect(failure.message).toContain('the user and password in LETTA_REDIS_URL');
    const invalid = await rejection({ url: `http://:${wrong}@127.0.0.1` });
    const printed = [failure.message, failure.stack, invalid.message, JSON.stringify(lines)].join('\n');
    expect(printed).not.toContain(PASSWORD);
    expect(printed).not.toContain(encodeURIComponent(PASSWORD));
  });

  it.each([
    ['http://cache', 'has the scheme http:'],
    ['redis://', 'has no host'],
    ['not a url', 'could not be parsed'],
    [
      'redis://cache/0?timeout=5',
      'has query parameters or a fragment, which are not read (pass them as options instead)',
    ],
    ['redis://cache/db', 'has a path that is not a database number such as /0'],
    ['redis://:p%zz@cache', 'has a user name or password that is not valid percent-encoding'],
  ])('refuses %s, saying why without showing it', async (url, why) => {
    expect(await problem({ url })).toBe(
      'Redis option url (LETTA_REDIS_URL) must be a redis:// or rediss:// URL such as ' +
        `redis://user:password@host:6379/0, but it ${why} (the URL is not shown: it may hold a password). ` +
        'Fix the URL.',
    );
  });

  it('refuses TLS with a plain redis:// URL', async () => {
    expect(await problem({ url: 'redis://cache', tls: true })).toMatch(
      /tls \(LETTA_REDIS_TLS\) is on, but url \(LETTA_REDIS_URL\) is a plain redis:\/\/ URL/,
    );
  });
});
