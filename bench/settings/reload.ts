// In-process reload: loadSettings() again with ~40 env vars and a conf.yaml, against the same load done
// with bare zod (schema built once, inputs read and parsed each time). Target: median under 2 ms.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { benchEnv, createFixture, type ManifestField } from './fixture';

// The built package, as users get it; resolved at run time so type-checking does not need a build.
const dist = new URL('../../packages/settings/dist/index.js', import.meta.url).href;
const { loadSettings }: typeof import('@letta/settings') = await import(dist);

const RUNS = Number(process.env.BENCH_RUNS ?? 500);
const dir = createFixture();
const manifest: ManifestField[] = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));

const split = (value: string): unknown =>
  value.trim().startsWith('[') ? JSON.parse(value) : value.split(',');
const kinds: Record<string, () => z.ZodType> = {
  integer: () => z.coerce.number().int(),
  number: () => z.coerce.number(),
  boolean: () => z.stringbool(),
  list: () => z.string().transform(split),
};
const schema = z.object(
  Object.fromEntries(
    manifest.map((field) => {
      const base = kinds[field.kind]?.() ?? z.string();
      return [field.path, (field.nullable ? base.nullable() : base).optional()];
    }),
  ),
);

function bareZodLoad(): unknown {
  const fileValues: Record<string, string> = {};
  const flatten = (node: Record<string, unknown>, name: string) => {
    for (const [key, value] of Object.entries(node)) {
      const child = `${name}_${key.toUpperCase()}`;
      if (value !== null && typeof value === 'object' && !Array.isArray(value))
        flatten(value as Record<string, unknown>, child);
      else if (value !== null) fileValues[child] = String(value);
    }
  };
  flatten(parse(readFileSync(join(dir, 'conf.yaml'), 'utf8')).letta ?? {}, 'LETTA');
  const input: Record<string, string> = {};
  for (const field of manifest) {
    const name = field.envVars.find((envVar) => benchEnv[envVar] !== undefined);
    const value = name === undefined ? fileValues[field.fileName] : benchEnv[name];
    if (value !== undefined) input[field.path] = value;
  }
  return schema.parse(input);
}

function measure(load: () => unknown): number {
  for (let i = 0; i < 50; i++) load();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    load();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? 0;
}

const options = { env: benchEnv, cwd: dir, home: dir, dotenv: false as const };
const ours = measure(() => loadSettings(options));
const baseline = measure(bareZodLoad);
rmSync(dir, { recursive: true, force: true });

console.log(`bare zod + yaml   ${baseline.toFixed(3)} ms median of ${RUNS}`);
console.log(`@letta/settings   ${ours.toFixed(3)} ms median of ${RUNS}`);
console.log(
  `reload ratio @letta/settings / bare zod: ${(ours / baseline).toFixed(2)}x (target: median < 2 ms)`,
);
