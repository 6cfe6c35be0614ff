/**
 * The cost of telemetry on the database path, across packages: `SELECT 1` through @letta/db-pool's
 * engine (`engine.ping()`: pool 10, Kysely) with pool monitoring on and @letta/telemetry's SDK meter
 * provider collecting every second, against the same engine with monitoring off and no provider
 * (telemetry off), with raw `pg.Pool` as the floor. Target: telemetry on at most 5% slower than off.
 * The rounds and the table come from the db-pool benchmark's harness.
 */
import { createEngine } from '@letta/db-pool';
import { benchUri, type Contender, compare, printTable, rawPoolContender } from '../db-pool/harness';
import { telemetryProvider } from '../support/meter-providers';

const CONCURRENCY = 8;

const engineOptions = (label: string, monitoring: boolean) =>
  ({ kind: 'postgres', uri: benchUri(label), poolSize: 10, maxOverflow: 0, monitoring }) as const;

const contenders: Contender[] = [
  rawPoolContender(10, async (pool) => void (await pool.query('SELECT 1'))),
  {
    name: 'engine, telemetry off (no monitoring)',
    async open() {
      const engine = await createEngine(engineOptions('off', false));
      return { operation: () => engine.ping(), close: () => engine.close() };
    },
  },
  {
    name: 'engine, monitoring + SDK meter provider',
    async open() {
      const telemetry = await telemetryProvider();
      const engine = await createEngine(engineOptions('on', true), {
        meterProvider: telemetry.meterProvider,
      });
      return {
        operation: () => engine.ping(),
        async close() {
          await engine.close();
          await telemetry.close();
        },
      };
    },
  },
];

const results = await compare(contenders, CONCURRENCY, { rounds: 11, durationMs: 1_000 });
printTable('SELECT 1 through the engine, telemetry on vs off', CONCURRENCY, results);
const off = results.get('engine, telemetry off (no monitoring)');
const on = results.get('engine, monitoring + SDK meter provider');
if (off && on) {
  const slower = (off.qps / on.qps - 1) * 100;
  const cpu = (on.cpuUsPerOp / off.cpuUsPerOp - 1) * 100;
  const signed = (value: number) => `${value >= 0 ? '+' : ''}${value.toFixed(1)}%`;
  console.log(
    `time per query with telemetry on: ${signed(slower)} against off, CPU per query ${signed(cpu)} (target: at most +5%)`,
  );
}
