import type { Document, LineCounter, Pair, ParseOptions } from 'yaml';
import { AliasExpansion } from './alias-expansion';
import { type DuplicateKey, duplicateKeys } from './duplicate-keys';
import { DEFAULT_FILE_LIMITS, type FileLimits, overLimit } from './file-limits';
import { jsonSyntaxError } from './json-syntax';
import { tooDeep } from './nesting-depth';
import { mergedPairs } from './yaml-1-1';
import { loadYaml } from './yaml-module';

type Position = { readonly line: number; readonly column: number };

/** One value of a config file, addressed by its flattened, upper-cased name (`letta.pg.host` → `LETTA_PG_HOST`). */
export interface ConfigEntry {
  readonly name: string;
  /** The key as written in the file, e.g. `letta.pg.host`. */
  readonly key: string;
  readonly value: unknown;
  /** Position of the value. */
  readonly line: number;
  readonly column: number;
  /** Position of the key. */
  readonly keyAt: Position;
  /** Positions of the items, when the value is a list. */
  readonly items?: readonly Position[];
}

/** A problem at a position in a config file (a message without the value: it may be a secret). */
export interface ConfigProblem {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export interface ParsedConfigFile {
  readonly entries: readonly ConfigEntry[];
  readonly problems: readonly ConfigProblem[];
  /** Top-level keys that map to no section (`$schema` aside), with their position. */
  readonly otherSections: readonly ConfigEntry[];
}

export interface FlattenRules {
  /** Top-level key → name prefix its keys are joined onto (`datadog` → `DD`); others use their own name. */
  readonly sections: Readonly<Record<string, string>>;
  /** True for a name that is a setting: its value is taken whole, even when it is a mapping. */
  readonly isSetting: (name: string) => boolean;
}

/** The key at a position of a text: quoted or plain; only plain names are echoed in messages. */
const KEY_AT = /(?:"([^"\n]*)"|'([^'\n]*)'|([^\s:,{}[\]]+))/y;
const PLAIN_KEY = /^[\w$.-]{1,80}$/;
const MISSING_QUOTE = /^Missing closing (["'])quote/;

/** The line and column (both from 1) of an offset in a text. */
function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

/** The offset of the quote that opens a string left unclosed at `end`: the last one that starts a value. */
function openingQuote(text: string, end: number, quote: string): number {
  for (let at = text.lastIndexOf(quote, end); at >= 0; at = text.lastIndexOf(quote, at - 1)) {
    const before = text[at - 1];
    if (before === undefined || /[\s[{,:-]/.test(before)) return at;
    if (at === 0) break;
  }
  return end;
}

/** The plain name of the key written at `offset`, or `undefined`. */
function plainKeyAt(text: string, offset: number): string | undefined {
  KEY_AT.lastIndex = offset;
  const key = KEY_AT.exec(text)
    ?.slice(1)
    .find((part) => part !== undefined);
  return key !== undefined && PLAIN_KEY.test(key) ? key : undefined;
}

/** One file being flattened: what it has produced so far, and how to locate and resolve its nodes. */
interface Flattening {
  readonly doc: Document;
  readonly rules: FlattenRules;
  readonly expansion: AliasExpansion;
  /** Pairs that repeat an earlier key of their mapping: reported, and not read. */
  readonly skipped: ReadonlySet<Pair>;
  readonly at: (node: unknown) => Position;
  readonly entries: ConfigEntry[];
  readonly problems: ConfigProblem[];
  readonly otherSections: ConfigEntry[];
}

/** The parse errors of a document; an unclosed quote is reported where it opens. */
function syntaxProblems(doc: Document, text: string, lineCounter: LineCounter): ConfigProblem[] {
  return doc.errors.map((error) => {
    const message =
      error.code === 'RESOURCE_EXHAUSTION'
        ? 'nests too deeply for the YAML parser; flatten it, or keep limits.maxDepth low enough to refuse such files early'
        : (error.message.split('\n')[0] ?? error.message);
    const quote = MISSING_QUOTE.exec(message)?.[1];
    const offset = quote === undefined ? error.pos[0] : openingQuote(text, error.pos[0], quote);
    const { line, col } = lineCounter.linePos(offset);
    const problem =
      quote === undefined
        ? message
        : `the string quoted with ${quote} that starts here is not closed; add the closing ${quote}`;
    return { line, column: col, message: problem };
  });
}

/** Reports each repeated key, named when it is a plain name (never a value). */
function reportDuplicates(context: Flattening, text: string, duplicates: readonly DuplicateKey[]): void {
  const { isNode } = loadYaml();
  for (const { pair } of duplicates) {
    const position = context.at(pair.key);
    const offset = isNode(pair.key) ? (pair.key.range?.[0] ?? 0) : 0;
    const key = plainKeyAt(text, offset);
    const message = key ? `duplicate key ${key}; keep one` : 'duplicate key; keep one';
    context.problems.push({ ...position, message });
  }
}

/** A node resolved through aliases; `undefined` after a problem about it was recorded. */
function resolved(context: Flattening, node: unknown): unknown {
  const result = context.expansion.resolve(node);
  if ('node' in result) return result.node;
  context.problems.push({ ...context.at(result.problem.node), message: result.problem.message });
  return undefined;
}

type EntryName = Pick<ConfigEntry, 'name' | 'key' | 'keyAt'>;

/** Adds a setting's value, checked against the limits before it becomes plain data. */
function addValue(
  context: Flattening,
  value: unknown,
  entry: EntryName,
  depth: number,
  ancestors: ReadonlySet<unknown>,
): void {
  const { isNode, isSeq } = loadYaml();
  const { doc, at } = context;
  const problem = context.expansion.check(value, depth, ancestors);
  if (problem) {
    context.problems.push({ ...at(problem.node), message: `${entry.key}: ${problem.message}` });
    return;
  }
  // The check above bounded the aliases, so yaml's own count is not needed.
  const js: unknown = isNode(value) ? (value.toJS(doc, { maxAliasCount: -1 }) ?? null) : null;
  const items = isSeq(value) ? { items: value.items.map((item) => at(resolved(context, item))) } : {};
  context.entries.push({ ...entry, value: js, ...at(value), ...items });
}

/** Adds a value under `entry.name`: a setting, or a mapping whose keys extend the name. */
function flattenValue(
  context: Flattening,
  node: unknown,
  entry: EntryName,
  depth: number,
  ancestors: ReadonlySet<unknown>,
): void {
  const { isMap, isScalar } = loadYaml();
  const { doc, at } = context;
  const value = resolved(context, node);
  if (value === undefined) return;
  if (!isMap(value) || context.rules.isSetting(entry.name)) {
    addValue(context, value, entry, depth, ancestors);
    return;
  }
  const entered = context.expansion.enter(value, depth, ancestors);
  if (entered) {
    context.problems.push({ ...at(node), message: `${entry.key}: ${entered.message}` });
    return;
  }
  const inner = new Set(ancestors).add(value);
  for (const pair of mergedPairs(value, doc)) {
    if (context.skipped.has(pair)) continue;
    const keyNode = resolved(context, pair.key);
    if (!isScalar(keyNode)) {
      if (keyNode !== undefined)
        context.problems.push({ ...at(pair.key), message: `${entry.key}: keys must be plain names` });
      continue;
    }
    const part = String(keyNode.value).toUpperCase();
    const name = entry.name === '' ? part : `${entry.name}_${part}`;
    const child = { name, key: `${entry.key}.${String(keyNode.value)}`, keyAt: at(keyNode) };
    flattenValue(context, pair.value, child, depth + 1, inner);
  }
}

/** Flattens one top-level key: a known section, or one recorded in `otherSections`. */
function flattenSection(context: Flattening, pair: Pair, root: unknown): void {
  const { isMap, isNode, isScalar } = loadYaml();
  const { at } = context;
  const keyNode = resolved(context, pair.key);
  if (!isScalar(keyNode)) {
    if (keyNode !== undefined)
      context.problems.push({ ...at(pair.key), message: 'top-level keys must be plain names' });
    return;
  }
  const section = String(keyNode.value);
  const prefix = context.rules.sections[section.toLowerCase()];
  if (section === '$schema') return;
  if (prefix === undefined) {
    const position = at(keyNode);
    context.otherSections.push({
      name: section.toUpperCase(),
      key: section,
      value: null,
      ...position,
      keyAt: position,
    });
    return;
  }
  const value = resolved(context, pair.value);
  if (isMap(value)) {
    flattenValue(context, value, { name: prefix, key: section, keyAt: at(keyNode) }, 2, new Set([root]));
  } else if (isNode(value)) {
    context.problems.push({ ...at(value), message: `${section}: expected a mapping of settings` });
  }
}

/**
 * Parses a YAML config file and flattens it the way Letta's `conf.yaml` is read: nested keys are
 * joined with `_` and upper-cased, so `letta: { pg: { host } }` and `letta: { pg_host }` both address
 * `LETTA_PG_HOST`. A null value (`key:` or `key: null`) is kept: it leaves a known setting unset. Parse errors and duplicate keys are reported with their line
 * and column; nothing is flattened from a file that does not parse, while a duplicate key leaves the
 * rest of the file to be checked. `limits` bound the nesting and the aliases expanded; `yamlOptions`
 * choose how plain scalars and `<<` merges are read (Letta reads YAML 1.1).
 */
export function parseConfigFile(
  text: string,
  rules: FlattenRules,
  limits: FileLimits = DEFAULT_FILE_LIMITS,
  yamlOptions: Omit<ParseOptions, 'lineCounter' | 'uniqueKeys'> = {},
): ParsedConfigFile {
  const { isMap, isNode, LineCounter, parseDocument } = loadYaml();
  const deep = tooDeep(text, limits.maxDepth);
  if (deep !== undefined) {
    const message = overLimit('maxDepth', `nests deeper than ${limits.maxDepth} levels`);
    return { entries: [], problems: [{ ...deep, message }], otherSections: [] };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    ...yamlOptions,
    lineCounter,
    prettyErrors: false,
    uniqueKeys: false,
  });
  const problems = syntaxProblems(doc, text, lineCounter);
  const duplicates = problems.length === 0 ? duplicateKeys(doc) : [];
  const context: Flattening = {
    doc,
    rules,
    expansion: new AliasExpansion(doc, limits),
    skipped: new Set(duplicates.map((duplicate) => duplicate.pair)),
    at: (node) => {
      const range = isNode(node) ? node.range : undefined;
      const { line, col } = lineCounter.linePos(range?.[0] ?? 0);
      return { line, column: col };
    },
    entries: [],
    problems,
    otherSections: [],
  };
  const parsed = () => ({ entries: context.entries, problems, otherSections: context.otherSections });
  if (problems.length > 0 || doc.contents === null) return parsed();
  reportDuplicates(context, text, duplicates);
  const root = resolved(context, doc.contents);
  if (!isMap(root)) {
    problems.push({
      ...context.at(doc.contents),
      message: 'expected a mapping of sections (such as letta:) at the top',
    });
    return parsed();
  }
  for (const pair of mergedPairs(root, doc))
    if (!context.skipped.has(pair)) flattenSection(context, pair, root);
  return parsed();
}

/** `parseConfigFile` for a JSON file, which must be strict JSON (a YAML parser would accept more). */
export function parseJsonConfigFile(
  text: string,
  rules: FlattenRules,
  limits: FileLimits = DEFAULT_FILE_LIMITS,
): ParsedConfigFile {
  const jsonError = jsonSyntaxError(text, limits.maxDepth);
  if (jsonError === undefined) return parseConfigFile(text, rules, limits);
  const problem = { ...positionAt(text, jsonError.offset), message: jsonError.message };
  return { entries: [], problems: [problem], otherSections: [] };
}
