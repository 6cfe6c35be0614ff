import type { Document, Pair } from 'yaml';
import { loadYaml } from './yaml-module';

/** A key that a mapping already has: the pair that repeats it, and the key as written when it is a plain name. */
export interface DuplicateKey {
  readonly pair: Pair;
  readonly key: string;
}

/** The key of a pair as a string, for comparing; `undefined` for a key that is not a scalar. */
function keyText(pair: Pair): string | undefined {
  const { isScalar } = loadYaml();
  const key = pair.key;
  // A `<<` merge key (a symbol) may be written more than once, as PyYAML allows.
  if (!isScalar(key) || typeof key.value === 'symbol') return undefined;
  return `${typeof key.value}:${String(key.value)}`;
}

/**
 * Every pair whose key an earlier pair of the same mapping already has, in one pass over the document
 * with a set per mapping (the parser's own check compares each key with every earlier one: quadratic).
 * Aliases are not followed: a mapping is checked where it is written.
 */
export function duplicateKeys(doc: Document): DuplicateKey[] {
  const { visit } = loadYaml();
  const duplicates: DuplicateKey[] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        const text = keyText(pair);
        if (text === undefined) continue;
        if (seen.has(text)) duplicates.push({ pair, key: String((pair.key as { value: unknown }).value) });
        else seen.add(text);
      }
    },
  });
  return duplicates;
}
