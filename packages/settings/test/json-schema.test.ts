import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configKeys } from '../src/cli/config-sections';
import { lettaReadsName } from '../src/letta/letta-file-keys';
import { lettaSettingsModel } from '../src/letta/letta-models';
import { setPath } from '../src/loader/resolve-settings';

const schema = JSON.parse(readFileSync(new URL('../schema.json', import.meta.url), 'utf8')) as object;
const validate = new Ajv({ strict: true, allErrors: true }).compile(schema);
const CONFIGS = fileURLToPath(new URL('../../../examples/ci-config-validation/configs/', import.meta.url));
const sample = (path: string) => parse(readFileSync(`${CONFIGS}${path}`, 'utf8')) as unknown;

/** A config file setting each key (a dotted path) to a value. */
function config(values: Record<string, unknown>): Record<string, unknown> {
  const tree: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) setPath(tree, key.split('.'), value);
  return tree;
}

describe('the JSON Schema of the config file', () => {
  it('is valid draft-07 that a strict validator compiles, and accepts the valid samples', () => {
    for (const file of ['valid/production.yaml', 'valid/staging.json']) {
      expect(validate(sample(file)), JSON.stringify(validate.errors)).toBe(true);
    }
  });

  it('accepts every setting, with its default, under each key Letta reads; not under one Letta ignores', () => {
    for (const field of lettaSettingsModel().fields) {
      if (field.default === null || field.default === undefined) continue;
      const [lettaKey] = configKeys(field);
      for (const key of configKeys(field)) {
        const file = config({ [key]: field.default });
        // The loader reads a key Letta ignores with a warning, which `validate --strict` refuses.
        const readByLetta = key === lettaKey || lettaReadsName(key.replaceAll('.', '_').toUpperCase(), field);
        expect(validate(file), `${key}: ${JSON.stringify(validate.errors)}`).toBe(readByLetta);
      }
    }
  });

  it('accepts a key nested at any "_", as Letta flattens them', () => {
    for (const key of [
      'letta.pg.pool.size',
      'letta.pg_pool.size',
      'letta.pg.pool_size',
      'letta.pg_pool_size',
    ]) {
      expect(validate(config({ [key]: 5 })), key).toBe(true);
    }
    const file = config({
      'letta.multi_agent.send_message_timeout': 5,
      'letta.telemetry.datadog.agent_port': 1,
    });
    expect(validate(file), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each([
    ['an unknown key', { 'letta.pg.hots': 'db' }],
    ['an unknown key in a group', { 'letta.telemetry.enable_datadg': true }],
    ['an unknown section', { 'lettta.debug': true }],
    ['a wrong type', { 'letta.pg.pool_size': 'ten' }],
    ['a number out of range', { 'letta.telemetry.datadog_agent_port': 70000 }],
    ['a mapping for a list', { 'letta.cors_origins': { app: 'https://app.example.com' } }],
    ['a bad list item', { 'letta.redis_cluster_nodes': ['redis-1:6379', 'redis-2'] }],
    ['a URI with the wrong scheme', { 'letta.redis_url': 'http://redis:6379' }],
    ['a section that is not a mapping', { letta: ['debug'] }],
  ])('rejects %s', (_, values) => {
    expect(validate(config(values))).toBe(false);
  });

  it('allows $schema and open sections for the settings of Letta’s other components', () => {
    const file = { $schema: './schema.json', model: { openai: { api_key: 'x' } }, datadog: { site: 'eu' } };
    expect(validate(file), JSON.stringify(validate.errors)).toBe(true);
  });
});
