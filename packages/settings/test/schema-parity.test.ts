import { readFileSync, writeFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { configKeys } from '../src/cli/config-sections';
import { resolveLettaSettings } from '../src/letta/letta-derived';
import { LETTA_FOREIGN, lettaExtensions } from '../src/letta/letta-layers';
import { lettaSettingsModel } from '../src/letta/letta-models';
import { setPath } from '../src/loader/resolve-settings';
import type { SchemaFieldSpec } from '../src/loader/setting-field';
import { workspace } from './workspace';

const schema = JSON.parse(readFileSync(new URL('../schema.json', import.meta.url), 'utf8')) as object;
const validate = new Ajv({ strict: true, allErrors: true }).compile(schema);

/** Values tried under every key: each kind's valid and invalid forms, as a config file can write them. */
const SAMPLES: readonly unknown[] = [
  null,
  'x',
  '',
  'None',
  ' 7 ',
  'yes',
  'maybe',
  'postgresql://letta:pw@db:5432/letta',
  'redis://cache:6379',
  'redis-1:26379',
  'a=m:f',
  'clickhouse, socket',
  0,
  1,
  -1,
  2,
  80,
  70000,
  1.5,
  1e20,
  true,
  false,
  [],
  ['x'],
  ['redis-1:26379', '[::1]:26379'],
  ['postgresql://replica/db'],
  [1],
  [null],
  { nested: 1 },
];

/** Settings that are only valid together: each sample is given with the other one set. */
const COMPANIONS: Readonly<Record<string, Record<string, unknown>>> = {
  redisSentinels: { 'letta.redis_sentinel_name': 'mymaster' },
  redisSentinelName: { 'letta.redis_sentinels': ['redis-1:26379'] },
};

const UNSET: readonly unknown[] = [null, 'None', ''];

/**
 * Where the loader knows more than a JSON Schema can say: a number written as text is range-checked
 * as a number, a list written as text item by item, and a setting that needs another is refused when
 * it is unset while the other is set. The schema accepts these; the loader decides.
 */
function beyondTheSchema(field: SchemaFieldSpec | undefined, value: unknown): boolean {
  if (field === undefined) return false;
  const empty = UNSET.includes(value) || (Array.isArray(value) && value.length === 0);
  if (COMPANIONS[field.path] && empty) return true;
  if (typeof value !== 'string') return false;
  if (field.kind === 'list') return true;
  return (field.kind === 'integer' || field.kind === 'number') && field.checks.length > 0;
}

function document(entries: Record<string, unknown>): Record<string, unknown> {
  const tree: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entries)) setPath(tree, key.split('.'), value);
  return tree;
}

/** What `letta-settings validate --strict` says of a file: valid when it finds no error and no warning. */
function loaderAccepts(dir: string, name: string, doc: object): boolean {
  const file = `${dir}/${name}`;
  writeFileSync(file, name.endsWith('.json') ? JSON.stringify(doc) : stringify(doc));
  const resolution = resolveLettaSettings(
    lettaSettingsModel(),
    { env: {}, dotenv: false, cwd: dir, home: dir, configFiles: [file] },
    { ...lettaExtensions, configSearch: undefined },
  );
  return resolution.issues.length === 0 && resolution.warnings.length === 0;
}

interface Case {
  readonly title: string;
  readonly doc: Record<string, unknown>;
  readonly field?: SchemaFieldSpec;
  readonly value: unknown;
}

/** Every setting under each of its keys with each sample, and Letta's other LETTA_* names. */
function corpus(): Case[] {
  const cases: Case[] = [];
  for (const field of lettaSettingsModel().fields) {
    for (const key of configKeys(field)) {
      for (const value of SAMPLES) {
        const doc = document({ ...COMPANIONS[field.path], [key]: value });
        cases.push({ title: `${key}: ${JSON.stringify(value)}`, doc, field, value });
      }
    }
  }
  for (const name of LETTA_FOREIGN.names) {
    const key = `letta.${name.slice('LETTA_'.length).toLowerCase()}`;
    for (const value of ['x', 5, null, { nested: 1 }])
      cases.push({ title: `${key}: ${JSON.stringify(value)}`, doc: document({ [key]: value }), value });
  }
  for (const prefix of LETTA_FOREIGN.prefixes) {
    const group = `letta.${prefix.slice('LETTA_'.length, -1).toLowerCase()}`;
    for (const [key, value] of [
      [`${group}.anything`, 1],
      [`${group}_anything`, 'x'],
      [group, 5],
      [group, { deep: { er: [1] } }],
    ] as const) {
      cases.push({ title: `${key}: ${JSON.stringify(value)}`, doc: document({ [key]: value }), value });
    }
  }
  const others: Record<string, unknown>[] = [
    { lettta: { debug: true } },
    { letta: ['debug'] },
    { letta: { pg: { hots: 'db' } } },
    { letta: { telemetry: { enable_datadg: true } } },
    { model: { openai: { api_key: 'x' } }, datadog: { site: 'eu' }, tool: { e2b: { api_key: 'x' } } },
    { $schema: './schema.json', letta: { pg: { pool: { size: 5 } } } },
  ];
  for (const doc of others) cases.push({ title: JSON.stringify(doc), doc, value: doc });
  return cases;
}

describe('the JSON Schema and the loader', () => {
  it('accept exactly the same documents, for every setting the schema has', () => {
    const dir = workspace();
    const disagreements: string[] = [];
    let compared = 0;
    corpus().forEach((entry, index) => {
      if (beyondTheSchema(entry.field, entry.value)) return;
      compared++;
      const bySchema = validate(entry.doc) === true;
      const byLoader = loaderAccepts(dir, `case-${index}.yaml`, entry.doc);
      if (bySchema !== byLoader)
        disagreements.push(
          `${entry.title}: schema ${bySchema ? 'accepts' : 'rejects'}, loader ${byLoader ? 'accepts' : 'rejects'}`,
        );
    });
    expect(disagreements).toEqual([]);
    expect(compared).toBeGreaterThan(lettaSettingsModel().fields.length * 10);
  });

  it('leave a number written as text to the loader, which checks its range', () => {
    const dir = workspace();
    const doc = { letta: { pg_pool_size: '-3' } };
    expect(validate(doc)).toBe(true);
    expect(loaderAccepts(dir, 'text-number.yaml', doc)).toBe(false);
    expect(loaderAccepts(dir, 'text-number-ok.yaml', { letta: { pg_pool_size: '3' } })).toBe(true);
  });
});
