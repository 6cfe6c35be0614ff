import { requireProgram, runPromtool } from '@test/support';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { lettaRules, PROMETHEUS_DIR, prometheusFile } from './letta-rules';

const promtool = requireProgram('promtool', 'apt-get install prometheus');
interface RuleTests {
  tests: Array<{ alert_rule_test?: Array<{ alertname: string; exp_alerts: unknown[] }> }>;
}

describe.skipIf(promtool === null)('deploy/prometheus', () => {
  it('promtool checks the configuration and the rules it loads', async () => {
    const result = await runPromtool(promtool ?? '', ['check', 'config', 'prometheus.yml'], PROMETHEUS_DIR);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain(`SUCCESS: ${lettaRules().length} rules found`);
  });

  it("passes the rules' unit tests", async () => {
    const result = await runPromtool(
      promtool ?? '',
      ['test', 'rules', 'letta-rules.test.yaml'],
      PROMETHEUS_DIR,
    );
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('SUCCESS');
  });

  it('tests every alert both quiet and firing', () => {
    const cases = (parse(prometheusFile('letta-rules.test.yaml')) as RuleTests).tests.flatMap(
      (test) => test.alert_rule_test ?? [],
    );
    for (const { alert } of lettaRules().filter((rule) => rule.alert !== undefined)) {
      const mine = cases.filter((c) => c.alertname === alert);
      expect(
        mine.some((c) => c.exp_alerts.length === 0),
        `${alert} never tested quiet`,
      ).toBe(true);
      expect(
        mine.some((c) => c.exp_alerts.length > 0),
        `${alert} never tested firing`,
      ).toBe(true);
    }
  });

  it('has an alert for each signal the docs describe', () => {
    const alerts = lettaRules().map((rule) => rule.alert);
    expect(alerts).toEqual(
      expect.arrayContaining([
        'LettaDbPoolUtilisationHigh',
        'LettaDbPoolSaturated',
        'LettaDbPoolPendingRequests',
        'LettaDbCheckoutTimeouts',
        'LettaDatabaseDown',
        'LettaDbReplicationLag',
        'LettaDbDeadTuples',
        'LettaDbDeadlocks',
        'LettaRedisDown',
        'LettaRedisTimeouts',
        'LettaHttp5xxShareHigh',
        'LettaHttpLatencyHigh',
        'LettaNoLeader',
        'LettaMultipleLeaders',
      ]),
    );
  });
});
