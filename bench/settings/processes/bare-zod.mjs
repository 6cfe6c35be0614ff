// The baseline: the same fields from the same env and conf.yaml, parsed with bare zod and yaml.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

const dir = process.env.BENCH_DIR ?? '.';
const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));

const split = (value) => (value.trim().startsWith('[') ? JSON.parse(value) : value.split(','));
const base = {
  string: () => z.string(),
  enum: () => z.string(),
  json: () => z.string(),
  integer: () => z.coerce.number().int(),
  number: () => z.coerce.number(),
  boolean: () => z.stringbool(),
  list: () => z.string().transform(split),
};
const shape = {};
for (const field of manifest) {
  const schema = base[field.kind]();
  shape[field.path] = (field.nullable ? schema.nullable() : schema).optional();
}
const schema = z.object(shape);

const fileValues = {};
const flatten = (node, name) => {
  for (const [key, value] of Object.entries(node)) {
    const child = `${name}_${key.toUpperCase()}`;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) flatten(value, child);
    else if (value !== null) fileValues[child] = String(value);
  }
};
flatten(parse(readFileSync(join(dir, 'conf.yaml'), 'utf8')).letta ?? {}, 'LETTA');

const input = {};
for (const field of manifest) {
  const name = field.envVars.find((envVar) => process.env[envVar] !== undefined);
  const value = name === undefined ? fileValues[field.fileName] : process.env[name];
  if (value !== undefined) input[field.path] = value;
}
const settings = schema.parse(input);
if (settings.pgPoolSize !== 20 || settings['telemetry.datadogServiceName'] !== 'letta-prod') {
  throw new Error('bare-zod process loaded unexpected values');
}
