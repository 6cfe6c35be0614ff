import { ConnectionLostError, createEngine, DatabaseUnavailableError, type Engine } from '@letta/db-pool';
import { freePort, requireService } from '@test/support';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { startPgProxy, uniqueTag } from './helpers';

const hasPg = await requireService('postgres');

describe.skipIf(!hasPg)('engine.transaction retries', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function engineBehindProxy(): Promise<{ engine: Engine<unknown>; sever(): void }> {
    const proxy = await startPgProxy();
    cleanup.push(() => proxy.close());
    const engine = await createEngine({
      kind: 'postgres',
      uri: proxy.uri(uniqueTag('trx')),
      poolSize: 1,
      prePing: false,
      monitoring: false,
    });
    cleanup.push(() => engine.close());
    await engine.ping();
    return { engine, sever: () => proxy.sever() };
  }

  it('retries a connection failure before the body starts; the body runs once', async () => {
    const { engine, sever } = await engineBehindProxy();
    sever();
    let runs = 0;
    const value = await engine.transaction(async (trx) => {
      runs++;
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(trx);
      return rows[0]?.one;
    });
    expect(value).toBe(1);
    expect(runs).toBe(1);
  });

  it('does not retry a connection failure inside the body: the caller gets it', async () => {
    const { engine, sever } = await engineBehindProxy();
    let runs = 0;
    const outcome = engine.transaction(async (trx) => {
      runs++;
      await sql`select 1`.execute(trx);
      sever();
      await sql`select 2`.execute(trx);
    });
    await expect(outcome).rejects.toBeInstanceOf(ConnectionLostError);
    expect(runs).toBe(1);
    await expect(engine.ping()).resolves.toBeUndefined();
  });

  it('gives up with DatabaseUnavailableError when the database stays unreachable', async () => {
    const port = await freePort();
    const engine = await createEngine({
      kind: 'postgres',
      uri: `postgresql://postgres:unreachable-secret@127.0.0.1:${port}/test`,
      monitoring: false,
    });
    cleanup.push(() => engine.close());
    let runs = 0;
    const error = await engine
      .transaction(async () => {
        runs++;
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect(error).toMatchObject({ attempts: 3 });
    expect((error as Error).message).toMatch(/could not start in 3 attempts.*ECONNREFUSED/);
    expect(error).toMatchObject({ driverCode: 'ECONNREFUSED', pool: `127.0.0.1:${port}/test` });
    expect((error as Error).message).not.toContain('unreachable-secret');
    expect(runs).toBe(0);
  });

  it('does not start when the signal has already aborted', async () => {
    const { engine } = await engineBehindProxy();
    const controller = new AbortController();
    controller.abort(new Error('cancelled before start'));
    let runs = 0;
    await expect(
      engine.transaction(
        async () => {
          runs++;
        },
        { signal: controller.signal },
      ),
    ).rejects.toThrow('cancelled before start');
    expect(runs).toBe(0);
  });
});
