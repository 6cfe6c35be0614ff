import type { Document, DocumentOptions, Pair, ParseOptions, ScalarTag, SchemaOptions, Tags } from 'yaml';
import { loadYaml } from './yaml-module';

// The plain scalars PyYAML's SafeLoader (YAML 1.1) resolves to booleans, integers and floats, as its
// resolver states them. The `yaml` package's 1.1 schema is close but not the same: it also reads
// `y`/`n` as booleans, `1e3` and `08` as numbers, and dates as timestamps, which PyYAML keeps (or turns
// into text) differently.
const PY_TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const PY_FALSE = /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/;
const PY_INT =
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const PY_FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

/** A base-60 number, `1:30` → 90, as PyYAML reads it. */
function sexagesimal(digits: string, parse: (part: string) => number): number {
  return digits.split(':').reduce((total, part) => total * 60 + parse(part), 0);
}

function signed(text: string, read: (unsigned: string) => number): number {
  const value = read(text.replace(/^[-+]/, '').replace(/_/g, ''));
  return text.startsWith('-') ? -value : value;
}

function pyInt(text: string): number {
  return signed(text, (digits) => {
    if (digits.startsWith('0b')) return Number.parseInt(digits.slice(2), 2);
    if (digits.startsWith('0x')) return Number.parseInt(digits.slice(2), 16);
    if (digits.includes(':')) return sexagesimal(digits, Number);
    return digits.length > 1 && digits.startsWith('0') ? Number.parseInt(digits, 8) : Number(digits);
  });
}

function pyFloat(text: string): number {
  const lower = text.toLowerCase();
  if (lower === '.nan') return Number.NaN;
  return signed(lower, (digits) => {
    if (digits === '.inf') return Number.POSITIVE_INFINITY;
    return digits.includes(':') ? sexagesimal(digits, Number.parseFloat) : Number.parseFloat(digits);
  });
}

const scalar = (tag: string, test: RegExp, resolve: (text: string) => unknown): ScalarTag => ({
  tag: `tag:yaml.org,2002:${tag}`,
  default: true,
  test,
  resolve,
});

const PYYAML_SCALARS: ScalarTag[] = [
  scalar('bool', PY_TRUE, () => true),
  scalar('bool', PY_FALSE, () => false),
  scalar('int', PY_INT, pyInt),
  scalar('float', PY_FLOAT, pyFloat),
];
const REPLACED = new Set(['bool', 'int', 'float', 'timestamp'].map((name) => `tag:yaml.org,2002:${name}`));

/**
 * Parse options that read YAML as Letta does (PyYAML's `safe_load`, YAML 1.1): `yes`/`no`/`on`/`off`
 * are booleans, `010` is octal, `1_800` is 1800, `1:30` is 90, and `<<: *anchor` merges a mapping. A
 * date stays the text it was written as (PyYAML's `str()` of a date gives the same text).
 */
export const YAML_1_1_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  merge: true,
  customTags: (tags: Tags) => [
    ...PYYAML_SCALARS,
    ...tags.filter((tag) => typeof tag === 'string' || !REPLACED.has(tag.tag)),
  ],
};

/** True for the `<<` key of a merge (only parsed as one with `merge: true`, so never in JSON). */
function isMergeKey(key: unknown): boolean {
  return loadYaml().isScalar(key) && typeof (key as { value?: unknown }).value === 'symbol';
}

/**
 * The pairs of a mapping with its `<<` merges applied, as YAML 1.1 defines them: a key written in the
 * mapping wins over a merged one, and of several merged mappings the first that has a key wins.
 */
export function mergedPairs(map: { readonly items: readonly Pair[] }, doc: Document): Pair[] {
  const cached = MERGED.get(map);
  if (cached !== undefined) return cached;
  const pairs = computeMergedPairs(map, doc);
  MERGED.set(map, pairs);
  return pairs;
}

/**
 * Each mapping's merged pairs, computed once: a mapping merged many times over (`<<: [*a, *a, ...]` at
 * every level) would otherwise be merged again for every path to it, exponentially.
 */
const MERGED = new WeakMap<object, Pair[]>();

function computeMergedPairs(map: { readonly items: readonly Pair[] }, doc: Document): Pair[] {
  const { isAlias, isMap, isScalar, isSeq } = loadYaml();
  const own = map.items.filter((pair) => !isMergeKey(pair.key));
  if (own.length === map.items.length) return [...map.items];
  const keyOf = (pair: Pair) => (isScalar(pair.key) ? String(pair.key.value) : pair.key);
  const seen = new Set(own.map(keyOf));
  const merged: Pair[] = [];
  for (const pair of map.items) {
    if (!isMergeKey(pair.key)) continue;
    const value = isAlias(pair.value) ? pair.value.resolve(doc) : pair.value;
    const sources = isSeq(value)
      ? value.items.map((item) => (isAlias(item) ? item.resolve(doc) : item))
      : [value];
    for (const source of sources) {
      if (!isMap(source)) continue;
      for (const inner of mergedPairs(source, doc)) {
        if (seen.has(keyOf(inner))) continue;
        seen.add(keyOf(inner));
        merged.push(inner);
      }
    }
  }
  return [...merged, ...own];
}
