import { createRedisClient, type RedisClient, RedisConnectionError } from '@letta/redis';
import { requireService } from '@test/support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyspace, optionsFor } from './fixtures';

const hasRedis = await requireService('redis');
const keys = keyspace('streams');
const k = keys.key;

describe.skipIf(!hasRedis)('streams on Redis', () => {
  let client: RedisClient;

  beforeAll(async () => {
    client = await createRedisClient({ ...optionsFor(), fallback: 'throw' });
  });
  afterAll(async () => {
    await client.close();
    await keys.cleanup();
  });

  it('round-trips fields as plain objects, whatever their names', async () => {
    const stream = k('names');
    // JSON.parse makes `__proto__` an own field, as a stored field name would be.
    const parsed: Record<string, string> = JSON.parse(
      '{"__proto__":"p","constructor":"c","empty":"","ünï cödé":"✓","with space":"a b"}',
    );
    const id = await client.xadd(stream, parsed);
    const [entry] = await client.xrange(stream);
    expect(entry?.id).toBe(id);
    expect(Object.getPrototypeOf(entry?.fields)).toBe(Object.prototype);
    expect(Object.keys(entry?.fields ?? {})).toEqual(Object.keys(parsed));
    expect(entry?.fields).toEqual(parsed);
  });

  it('uses explicit ids and ranges, newest first in xrevrange', async () => {
    const stream = k('ids');
    for (const id of ['1-1', '2-1', '3-1', '4-1']) await client.xadd(stream, { at: id }, { id });
    expect((await client.xrange(stream, { start: '2-0', end: '3-9' })).map((e) => e.id)).toEqual([
      '2-1',
      '3-1',
    ]);
    expect((await client.xrange(stream, { count: 2 })).map((e) => e.id)).toEqual(['1-1', '2-1']);
    expect((await client.xrevrange(stream, { start: '2-0' })).map((e) => e.id)).toEqual([
      '4-1',
      '3-1',
      '2-1',
    ]);
    expect((await client.xrevrange(stream, { end: '3-1', count: 1 })).map((e) => e.id)).toEqual(['3-1']);
    await expect(client.xadd(stream, { late: 'x' }, { id: '1-0' })).rejects.toThrow(/equal or smaller/);
  });

  it('caps a stream with maxlen, approximately by default and exactly on request', async () => {
    const exact = k('exact');
    for (let i = 0; i < 20; i++)
      await client.xadd(exact, { i: String(i) }, { maxlen: 5, approximate: false });
    expect(await client.xlen(exact)).toBe(5);
    const approximate = k('approximate');
    for (let i = 0; i < 300; i++) await client.xadd(approximate, { i: String(i) }, { maxlen: 10 });
    const length = await client.xlen(approximate);
    expect(length).toBeGreaterThanOrEqual(10);
    expect(length).toBeLessThan(300);
    expect(await client.xtrim(approximate, 0, { approximate: false })).toBe(length);
  });

  it('reads several streams at once, in the shape { stream, messages }', async () => {
    const a = k('read-a');
    const b = k('read-b');
    const a1 = await client.xadd(a, { n: '1' });
    const a2 = await client.xadd(a, { n: '2' });
    const b1 = await client.xadd(b, { m: '1' });
    expect(await client.xread({ [a]: '0', [b]: '0', [k('read-none')]: '0' })).toEqual([
      {
        stream: a,
        messages: [
          { id: a1, fields: { n: '1' } },
          { id: a2, fields: { n: '2' } },
        ],
      },
      { stream: b, messages: [{ id: b1, fields: { m: '1' } }] },
    ]);
    expect(await client.xread({ [a]: a1 }, { count: 5 })).toEqual([
      { stream: a, messages: [{ id: a2, fields: { n: '2' } }] },
    ]);
    expect(await client.xread({})).toEqual([]);
  });

  it('describes a stream with camelCase fields and parsed entries', async () => {
    const stream = k('info');
    const first = await client.xadd(stream, { kind: 'start' });
    const last = await client.xadd(stream, { kind: 'end' });
    const info = await client.xinfoStream(stream);
    expect(info).toMatchObject({
      length: 2,
      radixTreeKeys: expect.any(Number),
      radixTreeNodes: expect.any(Number),
      lastGeneratedId: last,
      groups: 0,
      firstEntry: { id: first, fields: { kind: 'start' } },
      lastEntry: { id: last, fields: { kind: 'end' } },
    });
    expect(Object.keys(info ?? {}).every((name) => /^[a-z][A-Za-z]*$/.test(name))).toBe(true);
    await client.xtrim(stream, 0, { approximate: false });
    expect((await client.xinfoStream(stream))?.firstEntry).toBeNull();
  });

  it('blocks on a connection of its own, so other commands keep flowing', async () => {
    const stream = k('blocking');
    let delivered = false;
    // From id 0 rather than '$', so the entry is found however late the read reaches the server.
    const reading = client.xread({ [stream]: '0' }, { block: 5_000 }).then((result) => {
      delivered = true;
      return result;
    });
    await client.set(k('during'), 'yes');
    expect(await client.get(k('during'))).toBe('yes');
    expect(delivered).toBe(false);
    const id = await client.xadd(stream, { wake: 'up' });
    expect(await reading).toEqual([{ stream, messages: [{ id, fields: { wake: 'up' } }] }]);
  });

  it('serves concurrent blocking reads side by side', async () => {
    const streams = [k('side-0'), k('side-1'), k('side-2')];
    const order: number[] = [];
    const reads = streams.map((stream, index) =>
      client.xread({ [stream]: '0' }, { block: 5_000 }).then((result) => {
        order.push(index);
        return result;
      }),
    );
    // Reading from id 0, each read returns an entry added before it reached the server, so nothing need
    // wait for the reads to register. Read 2 can only finish first if it does not queue behind read 0.
    for (const index of [2, 0, 1]) {
      await client.xadd(streams[index] as string, { index: String(index) });
      await reads[index];
    }
    const results = await Promise.all(reads);
    expect(order).toEqual([2, 0, 1]);
    expect(results.map((result) => result[0]?.messages[0]?.fields.index)).toEqual(['0', '1', '2']);
  });

  it('refuses a blocking read beyond maxBlockingConnections with a clear error', async () => {
    const small = await createRedisClient({ ...optionsFor(), fallback: 'throw', maxBlockingConnections: 1 });
    try {
      const first = small.xread({ [k('limit')]: '$' }, { block: 500 });
      await expect(small.xread({ [k('limit')]: '$' }, { block: 500 })).rejects.toThrow(RedisConnectionError);
      await expect(small.xread({ [k('limit')]: '$' }, { block: 500 })).rejects.toThrow(
        /maxBlockingConnections/,
      );
      expect(await first).toEqual([]);
      expect(await small.xread({ [k('limit')]: '$' }, { block: 10 })).toEqual([]);
    } finally {
      await small.close();
    }
  });
});
