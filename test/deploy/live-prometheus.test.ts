import { readFileSync } from 'node:fs';
import {
  type PrometheusProcess,
  prometheusConfig,
  requireProgram,
  requireService,
  type ScrapableReferenceServer,
  startPrometheus,
  startReferenceServer,
  startReferenceTraffic,
} from '@test/support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createThrowawayDatabase,
  realServicesEnv,
  type ThrowawayDatabase,
} from '../../examples/reference-server/test/throwaway-database';
import { lettaRules, normalisedExpr, prometheusFile } from './letta-rules';
import { fencedBlocks, LOOKS_LIKE_PROMQL } from './promql-in-docs';

const prometheusBinary = requireProgram('prometheus', 'apt-get install prometheus');
const hasServices = (await requireService('postgres')) && (await requireService('redis'));

interface Dashboard {
  panels: Array<{ type: string; title: string; targets?: Array<{ expr: string }> }>;
}
const dashboard = JSON.parse(
  readFileSync(new URL('../../deploy/grafana/letta-dashboard.json', import.meta.url), 'utf8'),
) as Dashboard;

const ruleExprs = new Set(lettaRules().map((rule) => normalisedExpr(rule.expr)));

// A real Prometheus, loading deploy/prometheus/letta-rules.yaml, scrapes a reference server on PostgreSQL
// and Redis with health monitoring and leader election, while traffic runs: every query the dashboard and
// the docs show must return data there.
describe.skipIf(prometheusBinary === null || !hasServices)('PromQL against a live reference server', () => {
  let database: ThrowawayDatabase;
  let server: ScrapableReferenceServer;
  let prometheus: PrometheusProcess;
  let traffic: ReturnType<typeof startReferenceTraffic>;

  beforeAll(async () => {
    database = await createThrowawayDatabase();
    server = await startReferenceServer({
      env: {
        ...realServicesEnv(database),
        LETTA_ENABLE_BATCH_JOB_POLLING: 'true',
        LETTA_DB_POOL_MONITORING_INTERVAL: '1',
      },
    });
    traffic = startReferenceTraffic(server.url);
    prometheus = await startPrometheus(
      prometheusBinary ?? '',
      prometheusConfig({
        jobs: [{ name: 'letta', targets: [server.target] }],
        ruleFiles: ['letta-rules.yaml'],
      }),
      { files: { 'letta-rules.yaml': prometheusFile('letta-rules.yaml') } },
    );
  }, 60_000);
  afterAll(async () => {
    await traffic?.stop();
    await prometheus?.stop();
    await server?.cleanup();
    await database?.drop();
  }, 30_000);

  it('reports one leader through letta_leader', { timeout: 60_000 }, async () => {
    // A new leader confirms its lock for two check intervals (10 s) before it acts and reports 1.
    await prometheus.waitForQuery('letta_leader == 1', { timeoutMs: 40_000 });
    // The recording rule follows at its next evaluation.
    const [leaders] = await prometheus.waitForQuery('letta:leaders:sum', {
      accept: ([sample]) => sample?.value === 1,
    });
    expect(leaders?.value).toBe(1);
    expect(await prometheus.query('letta_leader')).toHaveLength(1);
  });

  it('answers every panel of the Grafana dashboard', { timeout: 120_000 }, async () => {
    const queries = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr));
    expect(queries.length).toBeGreaterThan(15);
    for (const query of queries) {
      const samples = await prometheus.waitForQuery(query, { timeoutMs: 30_000 });
      expect(samples.length, query).toBeGreaterThan(0);
    }
    expect(traffic.rounds()).toBeGreaterThan(0);
  });

  it('answers every PromQL expression in the docs that is not a rule (rules have unit tests)', {
    timeout: 120_000,
  }, async () => {
    const blocks = fencedBlocks();
    const untagged = blocks.filter(
      (block) => block.language !== 'promql' && LOOKS_LIKE_PROMQL.test(block.text),
    );
    expect(untagged, 'PromQL in a block not tagged promql').toEqual([]);

    const promql = blocks.filter((block) => block.language === 'promql');
    expect(promql.length).toBeGreaterThan(4);
    for (const { file, text } of promql) {
      if (ruleExprs.has(normalisedExpr(text))) continue;
      const samples = await prometheus.waitForQuery(text, { timeoutMs: 30_000 });
      expect(samples.length, `${file}: ${text}`).toBeGreaterThan(0);
    }
  });
});
