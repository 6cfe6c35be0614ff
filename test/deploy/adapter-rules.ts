import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { KUBERNETES_DIR } from './kubernetes-manifests';

/** One prometheus-adapter rule, as far as the tests read it. */
export interface AdapterRule {
  readonly seriesQuery: string;
  readonly metricsQuery: string;
  readonly name: { readonly matches: string; readonly as: string };
}

/** The rules of deploy/kubernetes/prometheus-adapter/rules.yaml. */
export function adapterRules(): AdapterRule[] {
  const text = readFileSync(join(KUBERNETES_DIR, 'prometheus-adapter', 'rules.yaml'), 'utf8');
  return (parse(text) as { rules: AdapterRule[] }).rules;
}

/** The metric name a rule's seriesQuery selects, e.g. `db_client_connection_count`. */
export function seriesName(rule: AdapterRule): string {
  const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(rule.seriesQuery)?.[0];
  if (name === undefined) throw new Error(`no metric name at the start of ${rule.seriesQuery}`);
  return name;
}

/**
 * The PromQL the adapter sends for `rule` when the autoscaler asks for `pods` in `namespace`: its
 * metricsQuery with the template's `<<.Series>>`, `<<.LabelMatchers>>` and `<<.GroupBy>>` filled in.
 */
export function renderMetricsQuery(rule: AdapterRule, namespace: string, pods: readonly string[]): string {
  const rendered = rule.metricsQuery
    .replaceAll('<<.Series>>', seriesName(rule))
    .replaceAll('<<.LabelMatchers>>', `namespace="${namespace}",pod=~"${pods.join('|')}"`)
    .replaceAll('<<.GroupBy>>', 'pod');
  if (rendered.includes('<<')) throw new Error(`a template field is left in ${rendered}`);
  return rendered;
}
