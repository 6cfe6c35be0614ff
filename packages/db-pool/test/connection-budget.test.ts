import {
  checkConnectionBudget,
  createEngine,
  type Engine,
  type EngineOptions,
  EngineOptionsError,
} from '@letta/db-pool';
import { requireService } from '@test/support';
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { adminClient, recordingLogger, taggedUri, uniqueTag } from './helpers';

const hasPg = await requireService('postgres');

describe.skipIf(!hasPg)('checkConnectionBudget', () => {
  let admin: pg.Client;
  let limits: { max: number; reserved: number };
  const engines: Engine<unknown>[] = [];

  async function engine(options: Omit<Extract<EngineOptions, { kind: 'postgres' }>, 'kind' | 'uri'>) {
    const { logger, lines } = recordingLogger();
    const created = await createEngine(
      { kind: 'postgres', uri: taggedUri(uniqueTag('budget')), monitoring: false, ...options },
      { logger, name: 'core' },
    );
    engines.push(created);
    return { engine: created, lines };
  }

  beforeAll(async () => {
    admin = await adminClient();
    const { rows } = await admin.query<{ max: number; reserved: number }>(
      "select current_setting('max_connections')::int as max, " +
        "current_setting('superuser_reserved_connections')::int as reserved",
    );
    limits = rows[0] as { max: number; reserved: number };
  });
  afterEach(async () => {
    await Promise.all(engines.splice(0).map((e) => e.close()));
  });
  afterAll(async () => {
    await admin.end();
  });

  it('stays quiet when instances × (pool size + overflow) fits', async () => {
    const { engine: e, lines } = await engine({ poolSize: 2, maxOverflow: 1 });
    const budget = await checkConnectionBudget(e, { instances: 3 });
    expect(budget).toEqual({
      instances: 3,
      perInstance: 3,
      needed: 9,
      maxConnections: limits.max,
      serverReserved: limits.reserved,
      reserve: 10,
      available: limits.max - limits.reserved - 10,
      throughPooler: false,
      withinBudget: true,
    });
    expect(lines).toEqual([]);
  });

  it('warns through the logger when it does not fit, naming the settings to change', async () => {
    const { engine: e, lines } = await engine({ poolSize: 25, maxOverflow: 10 });
    const instances = Math.ceil(limits.max / 35) + 1;
    const budget = await checkConnectionBudget(e, { instances, reserve: 5 });
    expect(budget).toMatchObject({ perInstance: 35, needed: instances * 35, withinBudget: false });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'warn',
      fields: {
        pool: 'core',
        instances,
        perInstance: 35,
        needed: instances * 35,
        maxConnections: limits.max,
        reserve: 5,
        available: limits.max - limits.reserved - 5,
      },
    });
    expect(lines[0]?.message).toMatch(/LETTA_PG_POOL_SIZE or LETTA_PG_MAX_OVERFLOW.*raise max_connections/);
  });

  it('calls a pool without an upper bound unbounded', async () => {
    const { engine: e, lines } = await engine({ pooling: false });
    const budget = await checkConnectionBudget(e, { instances: 1 });
    expect(budget).toMatchObject({ perInstance: Number.POSITIVE_INFINITY, withinBudget: false });
    expect(lines[0]?.fields).toMatchObject({ perInstance: 'unbounded', needed: 'unbounded' });
    expect(lines[0]?.message).toMatch(/LETTA_DB_MAX_CONCURRENT_SESSIONS/);
  });
});

describe('checkConnectionBudget without PostgreSQL', () => {
  it('has nothing to check on SQLite, and still checks its options', async () => {
    const engine = await createEngine({ kind: 'sqlite', filename: ':memory:', monitoring: false });
    expect(await checkConnectionBudget(engine, { instances: 4 })).toBeNull();
    await expect(checkConnectionBudget(engine, { instances: 0 })).rejects.toBeInstanceOf(EngineOptionsError);
    await expect(checkConnectionBudget(engine, { instances: 1, reserve: -1 })).rejects.toThrow(
      /reserve must be a whole number of 0 or more; found -1/,
    );
    await engine.close();
  });
});
