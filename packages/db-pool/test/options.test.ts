import { inspect } from 'node:util';
import {
  createEngine,
  createPool,
  DatabaseUriError,
  EngineOptionsError,
  engineOptionsFromSettings,
  type PoolOptions,
  PoolTimeoutError,
} from '@letta/db-pool';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { collect, lettaSettings, secret, TestMetricReader, thrown } from './helpers';

const lettaDefaults = lettaSettings();

describe('engineOptionsFromSettings', () => {
  it("maps Letta's settings: seconds to milliseconds, and no-pool mode by default", () => {
    const options = engineOptionsFromSettings(lettaDefaults);
    expect(options).toMatchObject({
      kind: 'postgres',
      poolSize: 25,
      maxOverflow: 10,
      poolTimeoutMs: 30_000,
      connectTimeoutMs: 30_000,
      recycleMs: 1_800_000,
      prePing: true,
      useLifo: true,
      pooling: false,
      maxConcurrentSessions: null,
      echo: false,
      monitoring: true,
    });
    expect(options.kind === 'postgres' && options.uri).toBe(lettaDefaults.lettaPgUri);
  });

  it('turns the pool on when LETTA_DISABLE_SQLALCHEMY_POOLING is false, and a negative recycle off', () => {
    const options = engineOptionsFromSettings({
      ...lettaDefaults,
      disableSqlalchemyPooling: false,
      pgPoolRecycle: -1,
    });
    expect(options).toMatchObject({ pooling: true, recycleMs: null });
  });

  it('turns recycling off for a recycle of 0, which the pool would refuse as a duration of 0 ms', () => {
    expect(engineOptionsFromSettings({ ...lettaDefaults, pgPoolRecycle: 0 })).toMatchObject({
      recycleMs: null,
    });
  });

  it('takes the replicas and the direct URI, and a direct URI turns named prepared statements off', () => {
    const replica = secret('postgresql://reader:pw@replica-1:5432/letta');
    const direct = secret('postgresql://letta:pw@db-primary:5432/letta');
    expect(engineOptionsFromSettings(lettaDefaults)).toMatchObject({
      replicaUris: [],
      directUri: null,
      namedPreparedStatements: true,
    });
    const options = engineOptionsFromSettings({
      ...lettaDefaults,
      pgReplicaUris: [replica],
      pgDirectUri: direct,
    });
    expect(options).toMatchObject({ namedPreparedStatements: false });
    expect(options.kind === 'postgres' && options.replicaUris?.[0]).toBe(replica);
    expect(options.kind === 'postgres' && options.directUri).toBe(direct);
  });

  it('chooses SQLite at <lettaDir>/sqlite.db when no Postgres is configured', () => {
    expect(engineOptionsFromSettings({ ...lettaDefaults, databaseEngine: 'sqlite', pgEcho: true })).toEqual({
      kind: 'sqlite',
      filename: '/srv/letta/sqlite.db',
      echo: true,
      monitoring: true,
    });
  });
});

describe('pool options', () => {
  const uri = 'postgresql://u:pw@127.0.0.1:5432/db';

  it('applies Letta-compatible defaults without connecting', async () => {
    const pool = createPool({ uri, monitoring: false });
    expect(pool.options).toEqual({
      poolSize: 25,
      maxOverflow: 10,
      poolTimeoutMs: 30_000,
      connectTimeoutMs: 30_000,
      statementTimeoutMs: null,
      recycleMs: 1_800_000,
      recycleJitter: 0,
      prePing: true,
      prePingBypassMs: 500,
      useLifo: true,
      pooling: true,
      maxConcurrentSessions: null,
      monitoring: false,
      metricNames: 'semconv',
      connectionCountName: 'db.client.connection.count',
      namedPreparedStatements: true,
    });
    expect(pool.name).toBe('127.0.0.1:5432/db');
    expect(pool.status()).toBe(
      'Pool size: 25  Connections in pool: 0 Current Overflow: -25 Current Checked out connections: 0',
    );
    expect(pool.stats()).toEqual({
      size: 25,
      checkedOut: 0,
      idle: 0,
      overflow: -25,
      waiting: 0,
      total: 0,
      max: 35,
    });
    await pool.end();
  });

  it.each<[PoolOptions, string, RegExp]>([
    [
      { poolSize: -1 },
      'poolSize',
      /poolSize must be a whole number of 0 or more.*found -1.*LETTA_PG_POOL_SIZE/,
    ],
    [{ maxOverflow: 1.5 }, 'maxOverflow', /maxOverflow must be a whole number of -1 or more.*found 1.5/],
    [
      { poolTimeoutMs: 0 },
      'poolTimeoutMs',
      /poolTimeoutMs must be a number of milliseconds greater than 0.*in seconds/,
    ],
    [{ recycleMs: Number.NaN }, 'recycleMs', /recycleMs must be.*found NaN/],
    [{ recycleJitter: 1 }, 'recycleJitter', /recycleJitter must be a fraction/],
    [{ prePing: 'yes' as unknown as boolean }, 'prePing', /prePing must be true or false; found "yes"/],
    [{ maxConcurrentSessions: 0 }, 'maxConcurrentSessions', /LETTA_DB_MAX_CONCURRENT_SESSIONS/],
    [
      { metricNames: 'prometheus' as 'letta' },
      'metricNames',
      /metricNames must be one of 'semconv', 'letta', 'both'/,
    ],
    [
      { connectionCountName: 'db.client.connections' as 'db.client.connections.usage' },
      'connectionCountName',
      /connectionCountName must be one of 'db.client.connection.count', 'db.client.connections.usage'/,
    ],
    [
      { namedPreparedStatements: 0 as unknown as boolean },
      'namedPreparedStatements',
      /namedPreparedStatements must be true or false; found 0/,
    ],
  ])('rejects %o at construction, naming the option', (options, option, message) => {
    const error = thrown(() => createPool({ uri, ...options }));
    expect(error).toBeInstanceOf(EngineOptionsError);
    expect(error).toMatchObject({ code: 'ERR_DB_OPTIONS', issues: [{ path: option }] });
    expect((error as Error).message).toMatch(message);
  });

  it("gives PoolTimeoutError SQLAlchemy's exact text and code", () => {
    const error = PoolTimeoutError.queuePool(25, 10, 30_000);
    expect(error.message).toBe(
      'QueuePool limit of size 25 overflow 10 reached, connection timed out, timeout 30.00',
    );
    expect(error.code).toBe('ERR_POOL_TIMEOUT');
    expect(error.sqlalchemyCode).toBe('3o7r');
  });

  it('names the Letta variable an invalid option comes from in its issue', () => {
    const error = thrown(() => createPool({ uri, poolTimeoutMs: 0 })) as EngineOptionsError;
    expect(error.issues).toEqual([
      {
        path: 'poolTimeoutMs',
        envVar: 'LETTA_PG_POOL_TIMEOUT',
        message: expect.stringContaining('in seconds'),
      },
    ]);
    const noVariable = thrown(() => createPool({ uri, recycleJitter: 2 })) as EngineOptionsError;
    expect(noVariable.issues[0]).not.toHaveProperty('envVar');
  });
});

describe('scale-out engine options', () => {
  const password = 'replica-password-never-shown';

  it('names replica pools without their passwords, and keeps every URI out of an inspected engine', async () => {
    const engine = await createEngine({
      kind: 'postgres',
      uri: `postgresql://letta:${password}@db-primary:5432/letta`,
      replicaUris: [
        `postgresql://reader:${password}@db-replica-1:5432/letta`,
        `postgresql://reader:${password}@[::1]:6543/letta`,
      ],
      directUri: `postgresql://letta:${password}@db-direct:5432/letta`,
      monitoring: false,
    });
    expect(engine.replicas.map((replica) => [replica.name, replica.healthy])).toEqual([
      ['db-replica-1:5432/letta', true],
      ['[::1]:6543/letta', true],
    ]);
    expect(inspect(engine, { depth: 6 })).not.toContain(password);
    await engine.close();
  });

  it('checks the replica and direct URIs and replicaRetryMs before opening any pool', async () => {
    const uri = 'postgresql://u@127.0.0.1:5432/db';
    await expect(
      createEngine({ kind: 'postgres', uri, replicaUris: [`mysql://u:${password}@replica/db`] }),
    ).rejects.toSatisfy(
      (error: unknown) => error instanceof DatabaseUriError && !error.message.includes(password),
    );
    await expect(createEngine({ kind: 'postgres', uri, directUri: 'not a uri' })).rejects.toBeInstanceOf(
      DatabaseUriError,
    );
    await expect(createEngine({ kind: 'postgres', uri, replicaRetryMs: 0 })).rejects.toThrow(
      /replicaRetryMs must be a number of milliseconds greater than 0; found 0/,
    );
  });

  it('leaves no pool reporting metrics when a replica URI fails only its driver checks', async () => {
    const reader = new TestMetricReader();
    const meterProvider = new MeterProvider({ readers: [reader] });
    await expect(
      createEngine(
        {
          kind: 'postgres',
          uri: 'postgresql://u@127.0.0.1:5432/db',
          replicaUris: ['postgresql://u@127.0.0.1:5432/db?sslmode=sometimes'],
          monitoring: true,
        },
        { meterProvider },
      ),
    ).rejects.toBeInstanceOf(DatabaseUriError);
    expect([...(await collect(reader)).keys()]).toEqual([]);
    await meterProvider.shutdown();
  });
});
