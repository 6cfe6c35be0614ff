import { isAlias, isMap, isNode, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { jsonSyntaxError } from './json-syntax';

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

/**
 * Parses a YAML or JSON config file and flattens it the way Letta's `conf.yaml` is read: nested keys
 * are joined with `_` and upper-cased, so `letta: { pg: { host } }` and `letta: { pg_host }` both
 * address `LETTA_PG_HOST`. Null values are skipped. Parse errors and duplicate keys are reported with
 * their line and column; nothing is flattened from a malformed file. A JSON file must be strict JSON.
 */
export function parseConfigFile(
  text: string,
  rules: FlattenRules,
  format: 'yaml' | 'json',
): ParsedConfigFile {
  const entries: ConfigEntry[] = [];
  const otherSections: ConfigEntry[] = [];
  const jsonError = format === 'json' ? jsonSyntaxError(text) : undefined;
  if (jsonError) {
    const problem = { ...positionAt(text, jsonError.offset), message: jsonError.message };
    return { entries, problems: [problem], otherSections };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (node: Node | null | undefined): Position => {
    const { line, col } = lineCounter.linePos(node?.range?.[0] ?? 0);
    return { line, column: col };
  };
  const problems: ConfigProblem[] = doc.errors.map((error) => {
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
  if (problems.length > 0 || doc.contents === null) return { entries, problems, otherSections };

  const resolve = (node: unknown): unknown => (isAlias(node) ? node.resolve(doc) : node);
  const walk = (node: unknown, name: string, key: string, keyAt: Position): void => {
    const value = resolve(node);
    if (!isMap(value) || rules.isSetting(name)) {
      const js: unknown = isNode(value) ? value.toJS(doc) : null;
      const items = isSeq(value) ? { items: value.items.map((item) => at(resolve(item) as Node)) } : {};
      if (js !== null && js !== undefined)
        entries.push({ name, key, value: js, ...at(value as Node), keyAt, ...items });
      return;
    }
    for (const pair of value.items) {
      const keyNode = resolve(pair.key);
      if (!isScalar(keyNode)) {
        problems.push({ ...at(pair.key as Node), message: `${key}: keys must be plain names` });
        continue;
      }
      const part = String(keyNode.value).toUpperCase();
      walk(
        pair.value,
        name === '' ? part : `${name}_${part}`,
        `${key}.${String(keyNode.value)}`,
        at(keyNode),
      );
    }
  };

  const root = resolve(doc.contents);
  if (!isMap(root)) {
    problems.push({
      ...at(doc.contents),
      message: 'expected a mapping of sections (such as letta:) at the top',
    });
    return { entries, problems, otherSections };
  }
  for (const pair of root.items) {
    const keyNode = resolve(pair.key);
    if (!isScalar(keyNode)) {
      problems.push({ ...at(pair.key as Node), message: 'top-level keys must be plain names' });
      continue;
    }
    const section = String(keyNode.value);
    const prefix = rules.sections[section.toLowerCase()];
    const value = resolve(pair.value);
    if (section === '$schema') continue;
    if (prefix === undefined) {
      otherSections.push({
        name: section.toUpperCase(),
        key: section,
        value: null,
        ...at(keyNode),
        keyAt: at(keyNode),
      });
    } else if (isMap(value)) {
      walk(value, prefix, section, at(keyNode));
    } else if (isNode(value)) {
      problems.push({ ...at(value), message: `${section}: expected a mapping of settings` });
    }
  }
  return { entries, problems, otherSections };
}
