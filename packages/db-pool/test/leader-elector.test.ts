import {
  createEngine,
  createLeaderElector,
  type DemotionReason,
  type Engine,
  EngineOptionsError,
  type LeaderElector,
  type LeaderElectorOptions,
  leaderElectorOptionsFromSettings,
} from '@letta/db-pool';
import { freePort, requireService, until } from '@test/support';
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  adminClient,
  applicationName,
  lockHolder,
  recordingLogger,
  startPgProxy,
  taggedUri,
  uniqueLockKey,
  uniqueTag,
} from './helpers';

const hasPg = await requireService('postgres');

const RETRY_MS = 400;
const CHECK_MS = 150;
/** Enough for a retry, the takeover wait, and a busy shared machine. */
const ELECTION_MS = RETRY_MS + 2 * CHECK_MS + 4_000;

/** One instance's elector and everything its callbacks saw. */
interface Instance {
  elector: LeaderElector;
  tag: string;
  elected: AbortSignal[];
  demoted: DemotionReason[];
}

describe.skipIf(!hasPg)('createLeaderElector on PostgreSQL', () => {
  let admin: pg.Client;
  const running: LeaderElector[] = [];

  async function instance(key: bigint, options: LeaderElectorOptions = {}, uri?: string): Promise<Instance> {
    const tag = uniqueTag('leader');
    const elected: AbortSignal[] = [];
    const demoted: DemotionReason[] = [];
    const elector = await createLeaderElector(
      { uri: uri ?? taggedUri(tag) },
      {
        key,
        retryIntervalMs: RETRY_MS,
        checkIntervalMs: CHECK_MS,
        onElected: (signal) => void elected.push(signal),
        onDemoted: (reason) => void demoted.push(reason),
        ...options,
      },
    );
    running.push(elector);
    return { elector, tag, elected, demoted };
  }

  beforeAll(async () => {
    admin = await adminClient();
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((elector) => elector.close()));
  });
  afterAll(async () => {
    await admin.end();
  });

  it('elects one of two instances, after holding the lock for two check intervals', async () => {
    const key = uniqueLockKey();
    const start = performance.now();
    const first = await instance(key);
    expect(first.elector.isLeader).toBe(false);
    const holder = await lockHolder(admin, key);
    expect(holder).toBeDefined();
    expect(await applicationName(admin, holder as number)).toBe(first.tag);

    const second = await instance(key);
    await until('the first instance to lead', () => first.elector.isLeader, ELECTION_MS);
    expect(performance.now() - start).toBeGreaterThanOrEqual(2 * CHECK_MS);
    expect(first.elected).toHaveLength(1);
    expect(second.elector.isLeader).toBe(false);
    expect(second.elected).toHaveLength(0);
  });

  it('close() calls onDemoted, releases the lock, and the other instance takes over', async () => {
    const key = uniqueLockKey();
    const first = await instance(key);
    const second = await instance(key);
    await until('a leader', () => first.elector.isLeader, ELECTION_MS);
    const signal = first.elected[0] as AbortSignal;

    await first.elector.close();
    expect(first.demoted).toEqual(['stopped']);
    expect(signal.aborted).toBe(true);
    expect(first.elector.isLeader).toBe(false);
    await until('the second instance to lead', () => second.elector.isLeader, ELECTION_MS);
    expect(await applicationName(admin, (await lockHolder(admin, key)) as number)).toBe(second.tag);

    await second.elector.close();
    await second.elector.close();
    expect(second.demoted).toEqual(['stopped']);
    expect(await lockHolder(admin, key)).toBeUndefined();
  });

  it('demotes the leader as soon as its lock connection is terminated, and tries again later', async () => {
    const key = uniqueLockKey();
    const leader = await instance(key);
    await until('a leader', () => leader.elector.isLeader, ELECTION_MS);
    const pid = (await lockHolder(admin, key)) as number;

    await admin.query('select pg_terminate_backend($1, 5000)', [pid]);
    await until('the demotion', () => leader.demoted.length === 1, 2_000);
    expect(leader.demoted).toEqual(['connection_lost']);
    expect(leader.elected[0]?.aborted).toBe(true);
    expect(leader.elector.isLeader).toBe(false);

    await until('the re-election', () => leader.elector.isLeader, ELECTION_MS);
    expect(leader.elected).toHaveLength(2);
    expect(await lockHolder(admin, key)).not.toBe(pid);
  });

  it('demotes a leader whose lock check goes unanswered (a network partition)', async () => {
    const proxy = await startPgProxy();
    try {
      const key = uniqueLockKey();
      const tag = uniqueTag('partition');
      const leader = await instance(key, {}, proxy.uri(tag));
      await until('a leader', () => leader.elector.isLeader, ELECTION_MS);
      proxy.freeze();
      await until('the demotion', () => leader.demoted.length === 1, CHECK_MS * 2 + 2_000);
      expect(leader.demoted).toEqual(['check_failed']);
      expect(leader.elector.isLeader).toBe(false);
    } finally {
      await proxy.close();
    }
  });

  it("uses the engine's direct URI for the lock, and its logger", async () => {
    const key = uniqueLockKey();
    const poolTag = uniqueTag('pooled');
    const directTag = uniqueTag('direct');
    const { logger, lines } = recordingLogger();
    const engine = await createEngine(
      { kind: 'postgres', uri: taggedUri(poolTag), directUri: taggedUri(directTag), monitoring: false },
      { logger },
    );
    const elector = await createLeaderElector(
      { engine },
      {
        key,
        retryIntervalMs: RETRY_MS,
        checkIntervalMs: CHECK_MS,
      },
    );
    running.push(elector);
    await until('a leader', () => elector.isLeader, ELECTION_MS);
    expect(await applicationName(admin, (await lockHolder(admin, key)) as number)).toBe(directTag);
    expect(lines).toContainEqual(expect.objectContaining({ level: 'info', message: 'leader elected' }));
    await elector.close();
    await engine.close();
  });

  it('logs a failed attempt without the password, and keeps trying', async () => {
    const password = 'leader-password-never-logged';
    const { logger, lines } = recordingLogger();
    const port = await freePort();
    const elector = await createLeaderElector(
      { uri: `postgresql://postgres:${password}@127.0.0.1:${port}/test` },
      {
        key: uniqueLockKey(),
        retryIntervalMs: 100,
        logger,
      },
    );
    running.push(elector);
    await until('two attempts', () => lines.filter((line) => line.level === 'warn').length >= 2, 5_000);
    expect(elector.isLeader).toBe(false);
    expect(lines[0]).toMatchObject({
      message: 'leader election attempt failed',
      fields: { target: `127.0.0.1:${port}/test`, errorType: 'ECONNREFUSED' },
    });
    expect(JSON.stringify(lines)).not.toContain(password);
  });
});

describe('createLeaderElector without PostgreSQL', () => {
  it('elects the single SQLite instance at once, and demotes it on close()', async () => {
    const engine = await createEngine({ kind: 'sqlite', filename: ':memory:', monitoring: false });
    const demoted: DemotionReason[] = [];
    let signal: AbortSignal | undefined;
    const elector = await createLeaderElector(
      { engine },
      {
        onElected: (s) => {
          signal = s;
        },
        onDemoted: (reason) => void demoted.push(reason),
      },
    );
    expect(elector.isLeader).toBe(true);
    expect(signal?.aborted).toBe(false);
    await elector.close();
    expect(elector.isLeader).toBe(false);
    expect(signal?.aborted).toBe(true);
    expect(demoted).toEqual(['stopped']);
    await engine.close();
  });

  it.each<[LeaderElectorOptions, string, RegExp]>([
    [{ key: 2n ** 63n }, 'key', /key must be a 64-bit signed integer.*found 9223372036854775808n/],
    [{ key: 0.5 }, 'key', /key must be a 64-bit signed integer.*found 0.5/],
    [{ retryIntervalMs: 0 }, 'retryIntervalMs', /retryIntervalMs must be a number of milliseconds/],
    [{ checkIntervalMs: -1 }, 'checkIntervalMs', /checkIntervalMs must be a number of milliseconds/],
  ])('rejects %o before connecting, naming the option', async (options, option, message) => {
    const error = await createLeaderElector({ uri: 'postgresql://u:pw@127.0.0.1:1/db' }, options).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(EngineOptionsError);
    expect(error).toMatchObject({ code: 'ERR_DB_OPTIONS', issues: [{ path: option }] });
    expect((error as Error).message).toMatch(message);
  });

  it('names the fix when given an object that is not an engine', async () => {
    const notAnEngine = { kind: 'postgres' } as unknown as Engine<unknown>;
    await expect(createLeaderElector({ engine: notAnEngine })).rejects.toThrow(
      /createLeaderElector needs an engine returned by createEngine\(\)/,
    );
  });

  it("takes the retry interval from Letta's poll_lock_retry_interval_seconds", () => {
    expect(leaderElectorOptionsFromSettings({ pollLockRetryIntervalSeconds: 480 })).toEqual({
      retryIntervalMs: 480_000,
    });
  });
});
