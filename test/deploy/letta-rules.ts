import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** deploy/prometheus, with a trailing slash. */
export const PROMETHEUS_DIR = fileURLToPath(new URL('../../deploy/prometheus/', import.meta.url));

export interface LettaRule {
  alert?: string;
  record?: string;
  expr: string;
}

/** The text of a file in deploy/prometheus. */
export function prometheusFile(name: string): string {
  return readFileSync(`${PROMETHEUS_DIR}${name}`, 'utf8');
}

/** Every alert and recording rule of deploy/prometheus/letta-rules.yaml. */
export function lettaRules(): LettaRule[] {
  const file = parse(prometheusFile('letta-rules.yaml')) as { groups: Array<{ rules: LettaRule[] }> };
  return file.groups.flatMap((group) => group.rules);
}

/** An expression with its whitespace collapsed, to compare PromQL written on one line or several. */
export function normalisedExpr(expr: string): string {
  return expr.replace(/\s+/g, ' ').replace(/\( /g, '(').replace(/ \)/g, ')').trim();
}
