import { format, inspect } from 'node:util';
import { explain, loadSettings, Secret, SettingsError } from '@letta/settings';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lettaSettingsModel } from '../src/letta/letta-models';
import { isolated, workspace } from './workspace';

describe('Secret', () => {
  const secret = new Secret('hunter2');

  it('reveals its value only through reveal()', () => {
    expect(secret.reveal()).toBe('hunter2');
    expect(String(secret)).toBe('[redacted]');
    expect(`${secret}`).toBe('[redacted]');
    expect(JSON.stringify({ secret })).toBe('{"secret":"[redacted]"}');
    expect(inspect(secret)).toBe('[redacted]');
    expect(format('%s %o %j', secret, secret, secret)).not.toContain('hunter2');
    expect(Object.keys(secret)).toEqual([]);
  });

  it('stays redacted inside loaded settings', () => {
    const settings = loadSettings(
      isolated({ LETTA_PG_PASSWORD: 'hunter2', LETTA_PG_REPLICA_URIS: 'postgresql://u:hunter2@r/db' }),
    );
    expect(inspect(settings, { depth: Number.POSITIVE_INFINITY })).not.toContain('hunter2');
    expect(JSON.stringify(settings)).not.toContain('hunter2');
    expect(JSON.stringify(explain(settings))).not.toContain('hunter2');
  });
});

const model = lettaSettingsModel();
const secretNames = model.fields.filter((field) => field.secret).flatMap((field) => field.envVars);
const otherNames = model.fields.filter((field) => !field.secret).flatMap((field) => field.envVars);
const strayNames = [
  'LETTA_PG_POOL_SIZ',
  'LETTA_TELEMTRY_SOURCE',
  'LETTA_CONFIG_PATH',
  'ACCEPTABLE_ORIGINS',
  'letta_debug',
];
const interesting = [
  '',
  'None',
  'true',
  'no',
  '0',
  '42',
  '-1',
  '3.5',
  '1e3',
  'a,b',
  '["x"]',
  '[',
  'a:1',
  'redis://h',
  'x=y:z',
];

// A secret value is recognisable anywhere; ordinary values never contain the marker.
const secretValue = fc
  .tuple(fc.stringMatching(/^[a-z0-9]{6,12}$/), fc.constantFrom('', 'postgresql://u:', 'redis://u:', 'a:1,'))
  .map(([core, prefix]) => `${prefix}SECRET${core}`);
const plainValue = fc
  .oneof(fc.constantFrom(...interesting), fc.string({ maxLength: 12 }))
  .filter((value) => !value.includes('SECRET'));
const envMap = fc
  .tuple(
    fc.dictionary(fc.constantFrom(...secretNames), secretValue, { maxKeys: 6 }),
    fc.dictionary(fc.constantFrom(...otherNames, ...strayNames), plainValue, { maxKeys: 12 }),
  )
  .map(([secrets, others]) => ({ env: { ...others, ...secrets }, secrets: Object.values(secrets) }));

function leaks(text: string, secrets: readonly string[]): string | undefined {
  return secrets.find((secret) => text.includes(secret.slice(secret.indexOf('SECRET'))));
}

describe('any environment', () => {
  const cwd = workspace();

  it('loads or throws SettingsError, and never shows a secret', () => {
    fc.assert(
      fc.property(envMap, ({ env, secrets }) => {
        const warnings: string[] = [];
        const options = {
          env,
          cwd,
          home: cwd,
          dotenv: false as const,
          onWarning: (w: { message: string }) => warnings.push(w.message),
        };
        let outputs: string[];
        try {
          const settings = loadSettings(options);
          outputs = [
            JSON.stringify(settings),
            inspect(settings, { depth: Number.POSITIVE_INFINITY }),
            JSON.stringify(explain(settings)),
            inspect(explain(settings), { depth: Number.POSITIVE_INFINITY }),
          ];
        } catch (error) {
          if (!(error instanceof SettingsError)) throw error;
          outputs = [
            error.message,
            String(error),
            inspect(error),
            JSON.stringify(error.issues),
            error.stack ?? '',
          ];
        }
        expect(leaks([...outputs, ...warnings].join('\n'), secrets)).toBeUndefined();
      }),
      { numRuns: 400 },
    );
  });
});
