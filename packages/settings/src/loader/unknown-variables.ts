import { closest } from './did-you-mean';
import type { SettingsIssue } from './settings-error';
import type { SettingsModel } from './settings-model';
import { issueAt } from './value-origin';
import { type VariableTable, variableOrigin } from './variable-table';

/** Whether a name is one of `names` (or starts with one that ends in `*`), compared in upper case. */
export function ignoredNames(names: readonly string[] = []): (name: string) => boolean {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const name of names) {
    const upper = name.toUpperCase();
    if (upper.endsWith('*')) prefixes.push(upper.slice(0, -1));
    else exact.add(upper);
  }
  return (name) => exact.has(name) || prefixes.some((prefix) => name.startsWith(prefix));
}

/**
 * An issue for every variable in the prefix that names no setting (usually a typo), with the name it is
 * read from or the closest setting as a hint.
 */
export function unknownVariableIssues(
  model: SettingsModel,
  layers: readonly VariableTable[],
  inPrefix: (name: string) => boolean,
): SettingsIssue[] {
  const issues: SettingsIssue[] = [];
  for (const layer of layers) {
    for (const [upper, entry] of layer) {
      const base = upper.endsWith('_FILE') ? upper.slice(0, -5) : upper;
      // `base` too: the NAME_FILE form of another program's variable is that program's as well.
      if (!inPrefix(upper) || !inPrefix(base) || model.byEnvName.has(upper) || model.byEnvName.has(base))
        continue;
      const aliased = model.byFileName.get(base);
      const suggestion = closest(upper, model.byEnvName.keys());
      const hint = aliased
        ? `; it is read from ${aliased.envVars.join(' or ')}`
        : suggestion === undefined
          ? ''
          : `; did you mean ${suggestion}?`;
      issues.push(issueAt('', variableOrigin(entry), `not a known setting${hint}`));
    }
  }
  return issues;
}
