import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type PrometheusProcess,
  prometheusConfig,
  requireProgram,
  requireService,
  type ScrapableReferenceServer,
  startPrometheus,
  startReferenceServer,
  testRedisUrl,
} from '@test/support';
import autocannon from 'autocannon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createThrowawayDatabase,
  type ThrowawayDatabase,
} from '../../examples/reference-server/test/throwaway-database';
import { adapterRules, renderMetricsQuery, seriesName } from './adapter-rules';
import { KUBERNETES_DIR, kustomizeBuild } from './kubernetes-manifests';
import { podEnvironment } from './pod-environment';

const prometheus = requireProgram('prometheus', 'apt-get install prometheus');
const kubectl = requireProgram('kubectl', 'install kubectl, which includes kustomize');
const services = (await requireService('postgres')) && (await requireService('redis'));

const NAMESPACE = 'letta';
const POD = 'letta-server-7d9f8b6c4-x2k9p';
const SERVER_PASSWORD = 'scrape-with-this-password';

/**
 * The adapter's rules against a real Prometheus scraping a real reference server, started with the small
 * overlay's environment and conf.yaml, under a little load. Prometheus gets the `namespace` and `pod`
 * labels from the scrape job, as a ServiceMonitor's relabelling adds them in a cluster.
 */
describe.skipIf(prometheus === null || kubectl === null || !services)('prometheus-adapter rules', () => {
  let scratch = '';
  let database: ThrowawayDatabase;
  let server: ScrapableReferenceServer;
  let scraper: PrometheusProcess;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'letta-adapter-'));
    database = await createThrowawayDatabase();
    const objects = await kustomizeBuild(kubectl ?? '', join(KUBERNETES_DIR, 'overlays', 'small'));
    const redis = new URL(testRedisUrl());
    server = await startReferenceServer({
      env: {
        ...podEnvironment(objects, scratch, { LETTA_SERVER_PASSWORD_FILE: SERVER_PASSWORD }),
        // The cluster's database and Redis are this machine's; the password file stays unused.
        LETTA_PG_URI: database.uri,
        LETTA_REDIS_HOST: redis.hostname,
        LETTA_REDIS_PORT: redis.port || '6379',
        HOST: '127.0.0.1',
        PORT: '0',
      },
    });
    scraper = await startPrometheus(
      prometheus ?? '',
      prometheusConfig({
        jobs: [
          {
            name: 'letta-server',
            targets: [server.target],
            labels: { namespace: NAMESPACE, pod: POD },
            bearerToken: SERVER_PASSWORD,
          },
        ],
      }),
    );
    await scraper.waitForQuery(`up{job="letta-server"} == 1`);
    const load = await autocannon({
      url: `${server.url}/v1/agents/`,
      headers: { authorization: `Bearer ${SERVER_PASSWORD}` },
      connections: 8,
      duration: 3,
    });
    expect(load.non2xx).toBe(0);
    expect(load.requests.total).toBeGreaterThan(0);
  }, 60_000);

  afterAll(async () => {
    await scraper?.stop();
    await server?.cleanup();
    await database?.drop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('starts the server in password mode from the mounted secret file', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
  });

  it.each(adapterRules().map((rule) => [rule.name.as, rule] as const))(
    '%s: the seriesQuery finds the series and the metricsQuery returns a value for the pod',
    async (_name, rule) => {
      const series = await scraper.waitForQuery(rule.seriesQuery);
      expect(series.every((sample) => sample.labels.__name__ === seriesName(rule))).toBe(true);
      expect(series[0]?.labels).toMatchObject({ namespace: NAMESPACE, pod: POD });

      // Pool utilisation is an instant reading, back at 0 once the load's connections are returned (its
      // peak is checked below); a finite value proves its query works, where 0/0 would be NaN.
      const instant = rule.name.as === 'db_client_connection_utilization';
      const samples = await scraper.waitForQuery(renderMetricsQuery(rule, NAMESPACE, [POD]), {
        accept: (result) =>
          result.every(
            (sample) => Number.isFinite(sample.value) && (instant ? sample.value >= 0 : sample.value > 0),
          ),
      });
      expect(samples).toHaveLength(1);
      expect(samples[0]?.labels).toEqual({ pod: POD });
    },
  );

  it('reports pool utilisation as a fraction of the pool the manifests size', async () => {
    const [max] = await scraper.query(`sum(db_client_connection_max{pod="${POD}"})`);
    expect(max?.value).toBe(15);
    const utilisation = adapterRules().find((rule) => rule.name.as === 'db_client_connection_utilization');
    if (!utilisation) throw new Error('no db_client_connection_utilization rule');
    const peak = await scraper.query(
      `max_over_time((${renderMetricsQuery(utilisation, NAMESPACE, [POD])})[1m:1s])`,
    );
    expect(peak[0]?.value).toBeGreaterThan(0);
    expect(peak[0]?.value).toBeLessThanOrEqual(1);
  });
});
