import { createPool } from '@letta/db-pool';
import { createRedisClient } from '@letta/redis';
import { createMetricRegistry, lettaMetrics, setupTelemetry, type Telemetry } from '@letta/telemetry';
import { requireService, testPgUri, testRedisUrl } from '@test/support';
import { afterEach, describe, expect, it } from 'vitest';

const hasServices = (await requireService('postgres')) && (await requireService('redis'));

/** The metric families a Prometheus page declares, one entry per `# TYPE` line. */
function declaredFamilies(page: string): string[] {
  return page
    .split('\n')
    .filter((line) => line.startsWith('# TYPE '))
    .map((line) => line.split(' ')[2] ?? '');
}

function duplicates(names: readonly string[]): string[] {
  return [...new Set(names.filter((name, i) => names.indexOf(name) !== i))];
}

// Each metric has one owner: the application registry of @letta/telemetry must not define a name that
// @letta/db-pool or @letta/redis records, or one scrape would declare the family twice.
describe.skipIf(!hasServices)('metric names across the packages, in one Prometheus scrape', () => {
  let telemetry: Telemetry | undefined;
  afterEach(async () => {
    await telemetry?.close();
    telemetry = undefined;
  });

  it('declares every family once with the registry, pool monitoring and Redis metrics all on', async () => {
    telemetry = await setupTelemetry(
      {
        otlpEndpoint: null,
        disableTracing: false,
        preferredTemporality: 1,
        environment: null,
        datadog: null,
      },
      { prometheus: true, registerGlobal: false },
    );
    const { meterProvider, prometheus } = telemetry;
    const registry = createMetricRegistry(meterProvider.getMeter('letta.otel.metrics'));
    for (const key of Object.keys(lettaMetrics) as Array<keyof typeof lettaMetrics>) {
      const instrument = registry[key];
      if ('add' in instrument) instrument.add(1);
      else instrument.record(1);
    }

    const pool = createPool(
      { uri: testPgUri(), poolSize: 2, metricNames: 'both', monitoring: true },
      { meterProvider, name: 'core' },
    );
    const redisUrl = new URL(testRedisUrl());
    const redis = await createRedisClient(
      {
        host: redisUrl.hostname.replace(/^\[|\]$/g, ''),
        port: Number(redisUrl.port) || 6379,
        password: redisUrl.password ? decodeURIComponent(redisUrl.password) : null,
        db: Number(redisUrl.pathname.slice(1)) || 0,
        fallback: 'throw',
      },
      { meterProvider },
    );
    let page: string;
    try {
      const client = await pool.connect();
      await client.query('SELECT 1', []);
      client.release();
      await redis.get('letta-metric-ownership-probe');
      page = (await prometheus?.scrape())?.body ?? '';
    } finally {
      await Promise.all([pool.end(), redis.close()]);
    }

    const families = declaredFamilies(page);
    // The three owners are all in this scrape, so a shared name would show up here.
    expect(families).toEqual(
      expect.arrayContaining([
        'count_user_message_total',
        'readiness_state',
        'db_pool_in_use',
        'gauge_db_pool_connections_total',
        'redis_connection_state',
      ]),
    );
    expect(duplicates(families)).toEqual([]);
  });
});
