import type { Document, LineCounter, Node, Pair } from 'yaml';
import { jsonSyntaxError } from './json-syntax';
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

/** The key at the start of a text: quoted or plain; only plain names are echoed in messages. */
const KEY_AT = /^(?:"([^"\n]*)"|'([^'\n]*)'|([^\s:,{}[\]]+))/;
const PLAIN_KEY = /^[\w$.-]{1,80}$/;

/** The line and column (both from 1) of an offset in a text. */
function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

/** One file being flattened: what it has produced so far, and how to locate and resolve its nodes. */
interface Flattening {
  readonly doc: Document;
  readonly rules: FlattenRules;
  readonly at: (node: Node | null | undefined) => Position;
  readonly entries: ConfigEntry[];
  readonly problems: ConfigProblem[];
  readonly otherSections: ConfigEntry[];
}

function resolveAlias(node: unknown, doc: Document): unknown {
  const { isAlias } = loadYaml();
  return isAlias(node) ? node.resolve(doc) : node;
}

/** The parse errors of a document; a duplicate key is named when it is a plain name (never a value). */
function syntaxProblems(doc: Document, text: string, lineCounter: LineCounter): ConfigProblem[] {
  return doc.errors.map((error) => {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    const key =
      KEY_AT.exec(text.slice(error.pos[0]))
        ?.slice(1)
        .find((part) => part !== undefined) ?? '';
    const message =
      error.code === 'DUPLICATE_KEY' && PLAIN_KEY.test(key)
        ? `duplicate key ${key}; keep one`
        : (error.message.split('\n')[0] ?? error.message);
    return { line, column: col, message };
  });
}

/** Adds a value under `name`: a setting, or a mapping whose keys extend the name. */
function flattenValue(context: Flattening, node: unknown, name: string, key: string, keyAt: Position): void {
  const { isMap, isNode, isScalar, isSeq } = loadYaml();
  const { doc, at } = context;
  const value = resolveAlias(node, doc);
  if (!isMap(value) || context.rules.isSetting(name)) {
    const js: unknown = isNode(value) ? value.toJS(doc) : null;
    const items = isSeq(value)
      ? { items: value.items.map((item) => at(resolveAlias(item, doc) as Node)) }
      : {};
    if (js !== null && js !== undefined)
      context.entries.push({ name, key, value: js, ...at(value as Node), keyAt, ...items });
    return;
  }
  for (const pair of value.items) {
    const keyNode = resolveAlias(pair.key, doc);
    if (!isScalar(keyNode)) {
      context.problems.push({ ...at(pair.key as Node), message: `${key}: keys must be plain names` });
      continue;
    }
    const part = String(keyNode.value).toUpperCase();
    const childName = name === '' ? part : `${name}_${part}`;
    flattenValue(context, pair.value, childName, `${key}.${String(keyNode.value)}`, at(keyNode));
  }
}

/** Flattens one top-level key: a known section, or one recorded in `otherSections`. */
function flattenSection(context: Flattening, pair: Pair): void {
  const { isMap, isNode, isScalar } = loadYaml();
  const { doc, at } = context;
  const keyNode = resolveAlias(pair.key, doc);
  if (!isScalar(keyNode)) {
    context.problems.push({ ...at(pair.key as Node), message: 'top-level keys must be plain names' });
    return;
  }
  const section = String(keyNode.value);
  const prefix = context.rules.sections[section.toLowerCase()];
  const value = resolveAlias(pair.value, doc);
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
  } else if (isMap(value)) {
    flattenValue(context, value, prefix, section, at(keyNode));
  } else if (isNode(value)) {
    context.problems.push({ ...at(value), message: `${section}: expected a mapping of settings` });
  }
}

/**
 * Parses a YAML config file and flattens it the way Letta's `conf.yaml` is read: nested keys are
 * joined with `_` and upper-cased, so `letta: { pg: { host } }` and `letta: { pg_host }` both address
 * `LETTA_PG_HOST`. Null values are skipped. Parse errors and duplicate keys are reported with their line
 * and column; nothing is flattened from a malformed file.
 */
export function parseConfigFile(text: string, rules: FlattenRules): ParsedConfigFile {
  const { isMap, LineCounter, parseDocument } = loadYaml();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const problems = syntaxProblems(doc, text, lineCounter);
  const context: Flattening = {
    doc,
    rules,
    at: (node) => {
      const { line, col } = lineCounter.linePos(node?.range?.[0] ?? 0);
      return { line, column: col };
    },
    entries: [],
    problems,
    otherSections: [],
  };
  const parsed = () => ({ entries: context.entries, problems, otherSections: context.otherSections });
  if (problems.length > 0 || doc.contents === null) return parsed();
  const root = resolveAlias(doc.contents, doc);
  if (!isMap(root)) {
    problems.push({
      ...context.at(doc.contents),
      message: 'expected a mapping of sections (such as letta:) at the top',
    });
    return parsed();
  }
  for (const pair of root.items) flattenSection(context, pair);
  return parsed();
}

/** `parseConfigFile` for a JSON file, which must be strict JSON (a YAML parser would accept more). */
export function parseJsonConfigFile(text: string, rules: FlattenRules): ParsedConfigFile {
  const jsonError = jsonSyntaxError(text);
  if (jsonError === undefined) return parseConfigFile(text, rules);
  const problem = { ...positionAt(text, jsonError.offset), message: jsonError.message };
  return { entries: [], problems: [problem], otherSections: [] };
}
