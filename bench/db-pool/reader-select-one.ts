/**
 * `SELECT 1` through Kysely at concurrency 8 and 32, ten connections each: Kysely over a raw `pg.Pool`
 * (the baseline), `engine.db`, and `engine.reader` over two replica pools of five. The "replicas" are the
 * benchmark database itself, so the difference is the cost of routing reads, not of another server.
 * Monitoring is off to isolate the routing.
 */
import { createEngine } from '@letta/db-pool';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { benchUri, type Contender, compare, printTable } from './harness';

const selectOne = (db: Kysely<unknown>) => async () => {
  await sql`select 1`.execute(db);
};

const rawPool: Contender = {
  name: 'Kysely over raw pg.Pool (max 10)',
  async open() {
    const db = new Kysely<unknown>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: benchUri('raw'), max: 10 }) }),
    });
    return { operation: selectOne(db), close: () => db.destroy() };
  },
};

function engineContender(name: string, replicas: number): Contender {
  return {
    name,
    async open() {
      const engine = await createEngine({
        kind: 'postgres',
        uri: benchUri('primary'),
        poolSize: replicas === 0 ? 10 : 10 / replicas,
        maxOverflow: 0,
        monitoring: false,
        replicaUris: Array.from({ length: replicas }, (_, i) => benchUri(`replica-${i + 1}`)),
      });
      return {
        operation: selectOne(replicas === 0 ? engine.db : engine.reader),
        close: () => engine.close(),
      };
    },
  };
}

const contenders = [
  rawPool,
  engineContender('engine.db (pool 10)', 0),
  engineContender('engine.reader (2 replicas, pools of 5)', 2),
];

for (const concurrency of [8, 32]) {
  printTable(
    'SELECT 1 through Kysely, 10 connections',
    concurrency,
    await compare(contenders, concurrency, { rounds: 5 }),
  );
}
