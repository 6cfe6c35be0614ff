import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireProgram, runPromtool } from '@test/support';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { adapterRules, renderMetricsQuery, seriesName } from './adapter-rules';
import { KUBERNETES_DIR } from './kubernetes-manifests';

const promtool = requireProgram('promtool', 'apt-get install prometheus');
const PROMETHEUS_DIR = join(KUBERNETES_DIR, 'prometheus');

describe.skipIf(promtool === null)('deploy/kubernetes Prometheus rules', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'letta-promtool-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('promtool checks the autoscaling alert rules', async () => {
    const result = await runPromtool(
      promtool ?? '',
      ['check', 'rules', 'autoscaling-alerts.yaml'],
      PROMETHEUS_DIR,
    );
    expect(result.output).toContain('SUCCESS: 3 rules found');
    expect(result.code, result.output).toBe(0);
  });

  it("passes the alert rules' unit tests", async () => {
    const result = await runPromtool(
      promtool ?? '',
      ['test', 'rules', 'autoscaling-alerts.test.yaml'],
      PROMETHEUS_DIR,
    );
    expect(result.output).toContain('SUCCESS');
    expect(result.code, result.output).toBe(0);
  });

  it("promtool checks the adapter rules' queries, rendered as the adapter sends them", async () => {
    const rules = adapterRules();
    expect(rules.length).toBeGreaterThan(0);
    const file = join(scratch, 'adapter-queries.yaml');
    writeFileSync(
      file,
      stringify({
        groups: [
          {
            name: 'prometheus-adapter',
            rules: rules.flatMap((rule) => [
              { record: `adapter:${rule.name.as}:series`, expr: rule.seriesQuery },
              {
                record: `adapter:${rule.name.as}`,
                expr: renderMetricsQuery(rule, 'letta', ['letta-server-a']),
              },
            ]),
          },
        ],
      }),
    );
    const result = await runPromtool(promtool ?? '', ['check', 'rules', file]);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain(`SUCCESS: ${rules.length * 2} rules found`);
    for (const rule of rules) expect(new RegExp(rule.name.matches).test(seriesName(rule))).toBe(true);
  });

  it('rejects a broken query, so the checks above can fail', async () => {
    const file = join(scratch, 'broken.yaml');
    writeFileSync(
      file,
      stringify({ groups: [{ name: 'broken', rules: [{ record: 'x', expr: 'sum by (pod' }] }] }),
    );
    const result = await runPromtool(promtool ?? '', ['check', 'rules', file]);
    expect(result.code).not.toBe(0);
  });
});
