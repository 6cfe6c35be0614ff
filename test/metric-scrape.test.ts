import { readFileSync } from 'node:fs';
import {
  referenceTrafficRound,
  requireProgram,
  requireService,
  runPromtool,
  startReferenceServer,
  until,
} from '@test/support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createThrowawayDatabase,
  realServicesEnv,
  type ThrowawayDatabase,
} from '../examples/reference-server/test/throwaway-database';

const promtool = requireProgram('promtool', 'apt-get install prometheus');
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

/** The names docs/telemetry.md lists as kept on purpose, with their reasons, in its promtool table. */
function documentedExceptions(): string[] {
  const page = readFileSync(new URL('../docs/telemetry.md', import.meta.url), 'utf8');
  const section = page.split('## Metric names and `promtool check metrics`')[1]?.split('\n## ')[0] ?? '';
  return [...section.matchAll(/^\| `([a-z0-9_]+)`/gm)].map((match) => match[1] ?? '');
}

/** `promtool check metrics` on a scrape: the metric names it complains about. */
async function promtoolComplaints(page: string): Promise<{ names: string[]; output: string }> {
  const { output } = await runPromtool(promtool ?? '', ['check', 'metrics'], undefined, page);
  const names = output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.split(' ')[0] ?? '');
  return { names, output };
}

/** Scrapes `/metrics` until every family in `expected` is declared (families appear at first use). */
async function scrapeWith(url: string, expected: readonly string[]): Promise<string> {
  let missing: readonly string[] = expected;
  return until(
    () => `families missing from /metrics: ${missing}`,
    async () => {
      const page = await (await fetch(`${url}/metrics`)).text();
      const families = declaredFamilies(page);
      missing = expected.filter((name) => !families.includes(name));
      return missing.length === 0 && page;
    },
    20_000,
    200,
  );
}

const HTTP_AND_SSE = ['count_endpoint_requests_total', 'sse_active_sessions', 'readiness_state'];

interface Mode {
  readonly name: string;
  readonly postgres: boolean;
  readonly env?: Record<string, string>;
  readonly args?: string[];
  /** Families this mode must declare, beyond the HTTP and SSE ones. */
  readonly expected: readonly string[];
  readonly conventional?: boolean;
}

// Every combination of packages the reference server runs: embedded (SQLite, no-op Redis), PostgreSQL with
// Redis, pool and health monitoring and leader election, the same with monitoring off, and with the
// conventional names.
const MODES: readonly Mode[] = [
  { name: 'embedded (SQLite, no-op Redis)', postgres: false, expected: ['db_client_connection_count'] },
  {
    name: 'PostgreSQL, Redis, monitoring and leader election',
    postgres: true,
    env: { LETTA_ENABLE_BATCH_JOB_POLLING: 'true', LETTA_DB_POOL_MONITORING_INTERVAL: '1' },
    expected: [
      'db_client_connection_count',
      'letta_db_up',
      'db_client_operation_duration',
      'redis_connection_state',
      'letta_leader',
      'letta_batch_polling_polls_total',
      'hist_endpoint_e2e_ms',
      'sse_duration_ms',
    ],
  },
  {
    name: 'PostgreSQL and Redis, monitoring off',
    postgres: true,
    env: { LETTA_ENABLE_DB_POOL_MONITORING: 'false' },
    expected: ['redis_connection_state'],
  },
  {
    name: 'PostgreSQL, Redis, monitoring and leader election, conventional names',
    postgres: true,
    env: { LETTA_ENABLE_BATCH_JOB_POLLING: 'true', LETTA_DB_POOL_MONITORING_INTERVAL: '1' },
    args: ['--metric-names', 'conventional'],
    expected: [
      'db_client_connections_usage',
      'letta_db_up',
      'letta_leader',
      'letta_endpoint_e2e_seconds',
      'letta_sse_duration_seconds',
    ],
    conventional: true,
  },
];

describe.skipIf(promtool === null || !hasServices)("the reference server's /metrics in each mode", () => {
  let database: ThrowawayDatabase;
  beforeAll(async () => {
    database = await createThrowawayDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('lists each kept promtool complaint in docs/telemetry.md', () => {
    expect(documentedExceptions()).toEqual([
      'hist_endpoint_e2e_ms',
      'sse_duration_ms',
      'db_client_connection_count',
    ]);
  });

  for (const mode of MODES) {
    it(`${mode.name}: every family once, and promtool accepts it`, { timeout: 60_000 }, async () => {
      const server = await startReferenceServer({
        env: { ...(mode.postgres ? realServicesEnv(database) : {}), ...mode.env },
        args: mode.args,
      });
      try {
        await referenceTrafficRound(server.url);
        const page = await scrapeWith(server.url, [...HTTP_AND_SSE, ...mode.expected]);
        expect(duplicates(declaredFamilies(page))).toEqual([]);

        const { names, output } = await promtoolComplaints(page);
        if (mode.conventional) expect(names, output).toEqual([]);
        else for (const name of names) expect(documentedExceptions(), output).toContain(name);
        if (!mode.conventional && mode.expected.includes('hist_endpoint_e2e_ms')) {
          // The check can fail: Letta's names are flagged, so promtool really read the page.
          expect(names).toEqual(expect.arrayContaining(['hist_endpoint_e2e_ms', 'sse_duration_ms']));
        }
      } finally {
        await server.cleanup();
      }
    });
  }
});
