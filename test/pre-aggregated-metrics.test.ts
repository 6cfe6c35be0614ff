import { createPool } from '@letta/db-pool';
import { createRedisClient } from '@letta/redis';
import { setupTelemetry, type Telemetry } from '@letta/telemetry';
import { requireService, testPgUri, testRedisUrl } from '@test/support';
import { afterEach, describe, expect, it } from 'vitest';

const telemetryOptions = {
  otlpEndpoint: null,
  disableTracing: false,
  preferredTemporality: 1,
  environment: null,
  datadog: null,
} as const;

/** The value of the one sample line that starts with `prefix`, failing when there is not exactly one. */
function sample(body: string, prefix: string): number {
  const lines = body.split('\n').filter((line) => line.startsWith(prefix));
  expect(lines, `${prefix} in\n${body}`).toHaveLength(1);
  return Number(lines[0]?.split(' ').at(-1));
}

/** How many times a metric family is declared: more than once is an exposition Prometheus rejects. */
const declarations = (body: string, family: string) =>
  body.split('\n').filter((line) => line === `# TYPE ${family} histogram`).length;

let telemetry: Telemetry | undefined;
afterEach(async () => {
  await telemetry?.close();
  telemetry = undefined;
});

describe("the packages' hot instruments with @letta/telemetry's meter provider", () => {
  it('reach the Prometheus scrape pre-aggregated: one family, every Redis command counted', async () => {
    if (!(await requireService('redis'))) return;
    telemetry = await setupTelemetry(telemetryOptions, {
      prometheus: { withoutTargetInfo: true },
      registerGlobal: false,
    });
    const { hostname, port } = new URL(testRedisUrl());
    const redis = await createRedisClient(
      { host: hostname, port: Number(port) || 6379, fallback: 'throw' },
      { meterProvider: telemetry.meterProvider },
    );
    try {
      const key = `letta-pre-aggregation-test:${process.pid}`;
      for (let i = 0; i < 5; i++) await redis.set(key, String(i));
      for (let i = 0; i < 3; i++) await redis.get(key);
      await redis.delete(key);
    } finally {
      await redis.close();
    }
    const body = (await telemetry.prometheus?.scrape())?.body ?? '';
    const family = 'db_client_operation_duration';
    expect(declarations(body, family)).toBe(1);
    expect(sample(body, `${family}_count{db_system_name="redis",db_operation_name="SET"`)).toBe(5);
    expect(sample(body, `${family}_count{db_system_name="redis",db_operation_name="GET"`)).toBe(3);
    const infinity = body
      .split('\n')
      .filter((line) => line.includes('db_operation_name="GET"') && line.includes('le="+Inf"'));
    expect(infinity).toEqual([expect.stringMatching(/ 3$/)]);
  });

  it('count each pool checkout once in the wait and use histograms', async () => {
    if (!(await requireService('postgres'))) return;
    telemetry = await setupTelemetry(telemetryOptions, {
      prometheus: { withoutTargetInfo: true },
      registerGlobal: false,
    });
    const pool = createPool(
      { uri: testPgUri(), poolSize: 2, maxOverflow: 0, metricNames: 'both' },
      { meterProvider: telemetry.meterProvider },
    );
    try {
      for (let i = 0; i < 4; i++) {
        const client = await pool.connect();
        await client.query('SELECT 1', []);
        client.release();
      }
    } finally {
      await pool.end();
    }
    const body = (await telemetry.prometheus?.scrape())?.body ?? '';
    for (const family of ['db_client_connection_wait_time', 'db_client_connection_use_time']) {
      expect(declarations(body, family)).toBe(1);
      expect(sample(body, `${family}_count{`)).toBe(4);
    }
    expect(sample(body, 'db_checkout_latency_ms_count{')).toBe(4);
  });
});
