import type { RedisAddress, RedisClient } from '@letta/redis';
import { RedisConnectionError } from '@letta/redis';
import { until } from '@test/support';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ask } from './topology';

/** How many connections to `servers` are blocked in an `XREAD` now; a server that is down counts none. */
async function blockedReads(servers: readonly RedisAddress[]): Promise<number> {
  let blocked = 0;
  for (const server of servers) {
    const list = await ask(server, 'CLIENT', 'LIST', 'TYPE', 'normal').catch(() => '');
    blocked += String(list)
      .split('\n')
      .filter((line) => /\bflags=\S*b/.test(line) && /\bcmd=xread\b/.test(line)).length;
  }
  return blocked;
}

/**
 * The behaviour every `RedisClient` shares, as tests to run inside a `describe`: each assertion states
 * what a Redis-backed client returns and what the no-op client returns. `create` makes a fresh client;
 * `k` names a key of this run; `servers` are the data nodes a Redis-backed client's reads may reach.
 */
export function describeContract(
  create: () => Promise<RedisClient>,
  k: (name: string) => string,
  servers: () => readonly RedisAddress[],
): void {
  let client: RedisClient;
  // `real(x, noop)`: what the Redis-backed client returns, and what the no-op client returns.
  const real = <T>(value: T, noop: T): T => (client.isNoop ? noop : value);

  beforeAll(async () => {
    client = await create();
  });
  afterAll(() => client.close());

  it('gets and sets strings, with expiry and conditions', async () => {
    expect(await client.get(k('missing'))).toBeNull();
    expect(await client.get(k('missing'), 'fallback')).toBe('fallback');
    expect(await client.set(k('s'), 'one')).toBe(real(true, false));
    expect(await client.get(k('s'))).toBe(real('one', null));
    expect(await client.set(k('s'), 'two', { nx: true })).toBe(false);
    expect(await client.set(k('s'), 'three', { xx: true })).toBe(real(true, false));
    expect(await client.set(k('absent'), 'x', { xx: true })).toBe(false);
    expect(await client.set(k('n'), 42, { ex: 60 })).toBe(real(true, false));
    expect(await client.get(k('n'))).toBe(real('42', null));
    expect(await client.set(k('px'), 'short', { px: 50 })).toBe(real(true, false));
    await until(
      'the px key expires',
      async () => (await client.get(k('px'), 'expired')) === 'expired',
      5_000,
    );
  });

  it('counts existing keys and deletes them', async () => {
    await client.set(k('e1'), 'a');
    await client.set(k('e2'), 'b');
    expect(await client.exists(k('e1'), k('e2'), k('nope'))).toBe(real(2, 0));
    expect(await client.exists()).toBe(0);
    expect(await client.delete(k('e1'), k('nope'))).toBe(real(1, 0));
    expect(await client.delete()).toBe(0);
    expect(await client.exists(k('e1'))).toBe(0);
  });

  it("maps a message's otid to its run for 3 hours, and tells whether a run's stream has chunks", async () => {
    const otid = k('otid');
    expect(await client.getRunIdByOtid(otid)).toBeNull();
    expect(await client.setOtidRunMapping(otid, 'run-1')).toBe(real(true, false));
    expect(await client.getRunIdByOtid(otid)).toBe(real('run-1', null));
    expect(await client.get(`otid:run:${otid}`)).toBe(real('run-1', null));
    const [server, ...others] = servers();
    // On one server the key is there to read; Sentinel replicas and cluster shards may not hold it yet.
    if (!client.isNoop && server && others.length === 0) {
      expect(Number(await ask(server, 'TTL', `otid:run:${otid}`))).toBeGreaterThan(10_700);
    }
    const runId = k('run');
    expect(await client.hasStreamChunks(runId)).toBe(false);
    await client.xadd(`sse:run:${runId}`, { chunk: 'data: {}' });
    expect(await client.hasStreamChunks(runId)).toBe(real(true, false));
  });

  it('increments and decrements counters', async () => {
    expect(await client.incr(k('counter'))).toBe(real(1, 0));
    expect(await client.incr(k('counter'))).toBe(real(2, 0));
    expect(await client.decr(k('counter'))).toBe(real(1, 0));
    expect(await client.decr(k('down'))).toBe(real(-1, 0));
  });

  it('adds, lists, counts, tests and removes set members', async () => {
    expect(await client.sadd(k('set'), 'a', 'b', 'c')).toBe(real(3, 0));
    expect(await client.sadd(k('set'), 'a')).toBe(0);
    expect(await client.sadd(k('set'))).toBe(0);
    const members = await client.smembers(k('set'));
    expect(members).toBeInstanceOf(Set);
    expect([...members].sort()).toEqual(real(['a', 'b', 'c'], []));
    expect(await client.scard(k('set'))).toBe(real(3, 0));
    expect(await client.smismember(k('set'), ['a', 'zz', 'c'])).toEqual(
      real([true, false, true], [false, false, false]),
    );
    expect(await client.smismember(k('set'), [])).toEqual([]);
    expect(await client.srem(k('set'), 'a', 'zz')).toBe(real(1, 0));
    expect(await client.scard(k('set'))).toBe(real(2, 0));
  });

  it('appends to, reads, trims and describes streams', async () => {
    const stream = k('stream');
    const first = await client.xadd(stream, { type: 'chunk', seq: '1' });
    const second = await client.xadd(stream, { type: 'chunk', seq: '2' });
    expect(first).toMatch(real(/^\d+-\d+$/, /^$/));
    expect(await client.xlen(stream)).toBe(real(2, 0));
    expect(await client.xrange(stream)).toEqual(
      real(
        [
          { id: first, fields: { type: 'chunk', seq: '1' } },
          { id: second, fields: { type: 'chunk', seq: '2' } },
        ],
        [],
      ),
    );
    expect((await client.xrevrange(stream, { count: 1 })).map((entry) => entry.id)).toEqual(
      real([second], []),
    );
    expect(await client.xread({ [stream]: '0' }, { count: 1 })).toEqual(
      real([{ stream, messages: [{ id: first, fields: { type: 'chunk', seq: '1' } }] }], []),
    );
    expect(await client.xread({ [stream]: second })).toEqual([]);
    const info = await client.xinfoStream(stream);
    expect(info === null ? null : { length: info.length, last: info.lastEntry?.id }).toEqual(
      real({ length: 2, last: second }, null),
    );
    expect(await client.xinfoStream(k('no-stream'))).toBeNull();
    expect(await client.xdel(stream, first, '0-1')).toBe(real(1, 0));
    await client.xadd(stream, { seq: '3' });
    expect(await client.xtrim(stream, 1, { approximate: false })).toBe(real(1, 0));
    expect(await client.xlen(stream)).toBe(real(1, 0));
  });

  it('waits out a blocking read on an empty stream and returns []', async () => {
    const started = performance.now();
    expect(await client.xread({ [k('quiet')]: '$' }, { block: 200 })).toEqual([]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(150);
  });

  it("applies the include and exclude lists with Letta's intent", async () => {
    const group = k('tools');
    expect(await client.checkInclusionAndExclusion('anyone', group)).toBe(true);
    await client.createInclusionExclusionKeys(group);
    expect(await client.checkInclusionAndExclusion('anyone', group)).toBe(true);
    await client.sadd(`${group}:exclude`, 'banned');
    expect(await client.checkInclusionAndExclusion('banned', group)).toBe(real(false, true));
    expect(await client.checkInclusionAndExclusion('anyone', group)).toBe(true);
    await client.sadd(`${group}:include`, 'chosen', 'banned');
    expect(await client.checkInclusionAndExclusion('chosen', group)).toBe(true);
    expect(await client.checkInclusionAndExclusion('anyone', group)).toBe(real(false, true));
    expect(await client.checkInclusionAndExclusion('banned', group)).toBe(real(false, true));
  });

  it('answers ping', async () => {
    expect(await client.ping()).toBe(true);
  });

  it('hands out token-checked locks, or refuses to pretend on the no-op client', async () => {
    if (client.isNoop) {
      await expect(client.acquireLock(k('lock'), { ttlMs: 1_000 })).rejects.toThrow(/no-op client/);
      expect(await client.acquireConversationLock(k('conversation'), 'run-1')).toBeNull();
      expect(await client.releaseConversationLock(k('conversation'), 'run-1')).toBe(false);
      expect(await client.acquireMemoryRepoLock(k('agent'), 'run-1')).toBeNull();
      expect(await client.releaseMemoryRepoLock(k('agent'), 'run-1')).toBe(false);
      return;
    }
    const lock = await client.acquireLock(k('lock'), { ttlMs: 1_000 });
    expect(lock?.token).toMatch(/^[0-9a-f-]{36}$/);
    expect(await client.acquireLock(k('lock'), { ttlMs: 1_000 })).toBeNull();
    expect(await lock?.extend(2_000)).toBe(true);
    expect(await lock?.release()).toBe(true);
    expect(await lock?.release()).toBe(false);
  });

  it('closes idempotently, ends waiting reads with [], and rejects later calls', async () => {
    const own = await create();
    const before = own.isNoop ? 0 : await blockedReads(servers());
    const waiting = own.xread({ [k('closing')]: '$' }, { block: 0 });
    if (!own.isNoop) {
      await until(
        'the read waits on the server',
        async () => (await blockedReads(servers())) > before,
        5_000,
      );
    }
    await own.close();
    await own.close();
    expect(await waiting).toEqual([]);
    await expect(own.get(k('s'))).rejects.toThrow(RedisConnectionError);
    await expect(own.get(k('s'))).rejects.toThrow(/closed/);
    expect(await own.ping()).toBe(false);
  });
}
