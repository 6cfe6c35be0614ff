/**
 * Pool bookkeeping alone: check out an idle connection and release it, with no query, from 1 and 16
 * callers over 10 connections. Raw `pg.Pool` against @letta/db-pool with monitoring off and on (an SDK
 * MeterProvider). This is the cost the pool adds to every statement Kysely runs.
 */
import { type Contender, compare, poolContender, printTable, rawPoolContender } from './harness';

async function checkoutRelease(pool: { connect(): Promise<{ release(): void }> }) {
  (await pool.connect()).release();
}

function ours(name: string, monitoring: boolean): Contender {
  return poolContender(
    name,
    { label: 'queue', poolSize: 10, maxOverflow: 0, prePing: true, monitoring },
    checkoutRelease,
  );
}

const contenders = [
  rawPoolContender(10, checkoutRelease),
  ours('@letta/db-pool (pre-ping on, monitoring off)', false),
  ours('@letta/db-pool (pre-ping on, monitoring on)', true),
];

for (const concurrency of [1, 16]) {
  printTable(
    'checkout + release, no query',
    concurrency,
    await compare(contenders, concurrency, { durationMs: 1_000 }),
  );
}
