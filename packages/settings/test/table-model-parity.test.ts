import { Secret } from '@letta/core';
import { explain, loadSettings, loadTestSettings, SettingsError } from '@letta/settings';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deriveServerSettings, resolveLettaSettings } from '../src/letta/letta-derived';
import { lettaExtensions, lettaTestExtensions } from '../src/letta/letta-layers';
import { lettaSettingsModel, lettaTestSettingsModel } from '../src/letta/letta-models';
import { finishSettings } from '../src/loader/explain';
import { resolveSettings, setPath } from '../src/loader/resolve-settings';
import { isolated } from './workspace';

/** Fixed, so that a failure reproduces; bounded, so that the suite stays fast in CI. */
const RUNS = { seed: 21, numRuns: 300 } as const;

/** Values that each kind of setting accepts or rejects, and arbitrary text. */
const anyValue = fc.oneof(
  fc.constantFrom(
    '',
    '0',
    '1',
    '-3',
    '3.5',
    '70000',
    '1e3',
    'true',
    'no',
    'maybe',
    'None',
    'WARNING',
    'debug',
    'redis-1:26379',
    '[::1]:6379, h:2',
    'h:0',
    '["a","b"]',
    '[1, 2]',
    '{"a": 1}',
    'a,b',
    'postgresql://u:p@db:5432/x',
    'mysql://db/x',
    'redis://h:1/0',
    'a=b:c;d=e:f',
    'socket, clickhouse',
    'file',
  ),
  fc.string({ maxLength: 10 }),
);

/** An environment that sets a few of a model's variables. */
const envFor = (names: readonly string[]) =>
  fc.dictionary(fc.constantFrom(...names), anyValue, { maxKeys: 5 }).map((env) => ({ ...env }));

/** What a load gave: the values (secrets revealed) and their provenance, or the issues it threw. */
function outcome(load: () => object) {
  try {
    const settings = load();
    const plain = JSON.parse(
      JSON.stringify(settings, (_key, value) =>
        value instanceof Secret ? { secret: value.reveal() } : (value as unknown),
      ),
    ) as unknown;
    return { settings: plain, provenance: explain(settings).map(({ path, source }) => [path, source]) };
  } catch (error) {
    if (error instanceof SettingsError) return { issues: error.issues };
    throw error;
  }
}

const names = (fields: readonly { envVars: readonly string[] }[]) => fields.flatMap((field) => field.envVars);

describe('loading from the committed field table, without zod', () => {
  const base = isolated();
  const options = (env: Record<string, string>) => ({ ...base, env });
  const viaTable = (env: Record<string, string>, overrides?: object) =>
    outcome(() => loadSettings({ ...options(env), overrides }));
  const viaZod = (env: Record<string, string>, overrides?: object) =>
    outcome(() => {
      const loadOptions = { ...options(env), overrides };
      return finishSettings(
        resolveLettaSettings(lettaSettingsModel(), loadOptions, lettaExtensions),
        loadOptions,
      );
    });

  it('gives the settings, provenance and issues that the zod schema gives, for any environment', () => {
    let invalid = 0;
    fc.assert(
      fc.property(envFor(names(lettaSettingsModel().fields)), (env) => {
        const viaTable = outcome(() => loadSettings(options(env)));
        const viaZod = outcome(() =>
          finishSettings(
            resolveLettaSettings(lettaSettingsModel(), options(env), lettaExtensions),
            options(env),
          ),
        );
        if ('issues' in viaZod) invalid++;
        expect(viaTable).toEqual(viaZod);
      }),
      RUNS,
    );
    console.log(`loadSettings: ${RUNS.numRuns} environments compared, ${invalid} of them invalid`);
    expect(invalid).toBeGreaterThan(0);
    expect(invalid).toBeLessThan(RUNS.numRuns);
  });

  it('does the same for typed values, as overrides and config files give them', () => {
    const typed = fc.oneof(
      anyValue,
      fc.integer({ min: -5, max: 70_000 }),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.oneof(anyValue, fc.integer()), { maxLength: 3 }),
      fc.jsonValue({ maxDepth: 2 }),
    );
    const paths = lettaSettingsModel().fields.map((field) => field.path);
    let invalid = 0;
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...paths), typed, { maxKeys: 4 }), (flat) => {
        const overrides: Record<string, unknown> = {};
        for (const [path, value] of Object.entries(flat)) setPath(overrides, path.split('.'), value);
        const reference = viaZod({}, overrides);
        if ('issues' in reference) invalid++;
        expect(viaTable({}, overrides)).toEqual(reference);
      }),
      RUNS,
    );
    console.log(`overrides: ${RUNS.numRuns} sets compared, ${invalid} of them invalid`);
    expect(invalid).toBeGreaterThan(0);
    expect(invalid).toBeLessThan(RUNS.numRuns);
  });

  it('does the same for the test settings (LETTA_TEST_*)', () => {
    let invalid = 0;
    fc.assert(
      fc.property(envFor(names(lettaTestSettingsModel().fields)), (env) => {
        const viaTable = outcome(() => loadTestSettings(options(env)));
        const viaZod = outcome(() => {
          const resolution = resolveSettings(lettaTestSettingsModel(), options(env), lettaTestExtensions);
          deriveServerSettings(resolution, 'LETTA_TEST_');
          return finishSettings<object>(resolution, options(env));
        });
        if ('issues' in viaZod) invalid++;
        expect(viaTable).toEqual(viaZod);
      }),
      RUNS,
    );
    console.log(`loadTestSettings: ${RUNS.numRuns} environments compared, ${invalid} of them invalid`);
    expect(invalid).toBeGreaterThan(0);
  });

  it('reads host:port lists as addresses, in fresh arrays that the next load does not share', () => {
    const env = { LETTA_REDIS_SENTINELS: 'redis-1:26379, redis-2:26380', LETTA_REDIS_SENTINEL_NAME: 'main' };
    expect(viaTable(env)).toEqual(viaZod(env));
    expect(loadSettings(options(env)).redisSentinels).toEqual([
      { host: 'redis-1', port: 26379 },
      { host: 'redis-2', port: 26380 },
    ]);
    expect(loadSettings(options({})).corsOrigins).not.toBe(loadSettings(options({})).corsOrigins);
  });
});
