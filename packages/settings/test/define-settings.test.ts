import { inspect } from 'node:util';
import { defineSettings, explain, getSettings, resetSettings, Secret } from '@letta/settings';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { isolated, issuesOf } from './workspace';

const app = defineSettings({
  prefix: 'MYAPP_',
  schema: z.object({
    port: z.int().min(1).max(65535).default(8080).describe('HTTP port'),
    apiKey: z.string().nullable().default(null),
    token: z.string(),
    mode: z.enum(['fast', 'safe']).default('safe'),
    admin: z.email().optional(),
    origins: z.array(z.string()).default([]),
    db: z.object({
      host: z.string().default('localhost'),
      password: z.string().default('dev'),
    }),
  }),
  secrets: ['apiKey', 'db.password', 'token'],
  aliases: { port: ['PORT', 'MYAPP_PORT'] },
});

describe('defineSettings', () => {
  it('infers the settings type, with Secret at the secret paths', () => {
    type Loaded = ReturnType<typeof app.load>;
    expectTypeOf<Loaded['port']>().toEqualTypeOf<number>();
    expectTypeOf<Loaded['apiKey']>().toEqualTypeOf<Secret | null>();
    expectTypeOf<Loaded['token']>().toEqualTypeOf<Secret>();
    expectTypeOf<Loaded['mode']>().toEqualTypeOf<'fast' | 'safe'>();
    expectTypeOf<Loaded['admin']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Loaded['origins']>().toEqualTypeOf<readonly string[]>();
    expectTypeOf<Loaded['db']['host']>().toEqualTypeOf<string>();
    expectTypeOf<Loaded['db']['password']>().toEqualTypeOf<Secret>();
    expectTypeOf<Parameters<typeof app.load>[0]>().toMatchTypeOf<
      { overrides?: { port?: number; db?: { password?: string | Secret } } } | undefined
    >();
  });

  it('rejects unknown paths in secrets and aliases at compile time', () => {
    const schema = z.object({ a: z.string().default('') });
    // @ts-expect-error: not a setting
    expect(() => defineSettings({ prefix: 'X_', schema, secrets: ['b'] })).toThrow(
      'secrets: "b" is not a setting',
    );
    // @ts-expect-error: not a setting
    expect(() => defineSettings({ prefix: 'X_', schema, aliases: { b: ['B'] } })).toThrow(
      'aliases: "b" is not a setting',
    );
  });

  it('names env vars from the prefix, groups and aliases, and reads the config section', () => {
    const options = isolated(
      { PORT: '9000', MYAPP_TOKEN: 't0k', MYAPP_DB_HOST: 'db', MYAPP_ORIGINS: 'a,b', MYAPP_MODE: 'fast' },
      { 'app.yaml': 'myapp:\n  db:\n    password: from-file\n  api_key: k\n' },
    );
    const settings = app.load({ ...options, configFiles: ['app.yaml'] });
    expect(settings).toMatchObject({ port: 9000, mode: 'fast', origins: ['a', 'b'], db: { host: 'db' } });
    expect([settings.token.reveal(), settings.db.password.reveal(), settings.apiKey?.reveal()]).toEqual([
      't0k',
      'from-file',
      'k',
    ]);
    expect(explain(settings).find((entry) => entry.path === 'db.password')).toMatchObject({
      source: 'file',
      key: 'myapp.db.password',
      line: 3,
    });
  });

  it('describes every field for docs and generated files', () => {
    expect(app.fields.map((field) => [field.path, field.envVars, field.configKey, field.secret])).toEqual([
      ['port', ['PORT', 'MYAPP_PORT'], 'myapp.port', false],
      ['apiKey', ['MYAPP_API_KEY'], 'myapp.api_key', true],
      ['token', ['MYAPP_TOKEN'], 'myapp.token', true],
      ['mode', ['MYAPP_MODE'], 'myapp.mode', false],
      ['admin', ['MYAPP_ADMIN'], 'myapp.admin', false],
      ['origins', ['MYAPP_ORIGINS'], 'myapp.origins', false],
      ['db.host', ['MYAPP_DB_HOST'], 'myapp.db.host', false],
      ['db.password', ['MYAPP_DB_PASSWORD'], 'myapp.db.password', true],
    ]);
    expect(app.fields[0]).toMatchObject({
      kind: 'integer',
      expected: 'an integer from 1 to 65535',
      default: 8080,
      required: false,
      description: 'HTTP port',
    });
    expect(app.fields[2]).toMatchObject({ required: true, default: undefined });
  });

  it('reports every problem at once, in the operator’s terms', () => {
    const env = { MYAPP_PORT: '0', MYAPP_MODE: 'slow', MYAPP_ADMIN: 'not-an-email', MYAPP_DB_HSOT: 'x' };
    const issues = issuesOf(() => app.load({ ...isolated(env), unknownEnv: 'error' }));
    expect(issues.map((issue) => issue.message)).toEqual([
      'MYAPP_DB_HSOT: not a known setting; did you mean MYAPP_DB_HOST?',
      'MYAPP_PORT: expected an integer from 1 to 65535, got "0"',
      'MYAPP_TOKEN: required; set it to a string',
      'MYAPP_MODE: expected one of "fast", "safe", got "slow"',
      'MYAPP_ADMIN: Invalid email address, got "not-an-email"',
    ]);
    expect(issues[1]).toEqual({
      path: 'port',
      envVar: 'MYAPP_PORT',
      message: 'MYAPP_PORT: expected an integer from 1 to 65535, got "0"',
    });
  });

  it('accepts overrides, Secrets included, and rejects unknown ones', () => {
    const settings = app.load({ ...isolated(), overrides: { token: new Secret('t'), db: { host: 'h' } } });
    expect([settings.token.reveal(), settings.db.host]).toEqual(['t', 'h']);
    const overrides = { token: 't', dbb: {} } as never;
    expect(issuesOf(() => app.load({ ...isolated(), overrides })).map((issue) => issue.message)).toEqual([
      'overrides.dbb: not a known setting; did you mean db?',
    ]);
  });

  it('returns deep-frozen settings', () => {
    const settings = app.load(isolated({ MYAPP_TOKEN: 'x', MYAPP_ORIGINS: 'a' }));
    expect(Object.isFrozen(settings)).toBe(true);
    expect(Object.isFrozen(settings.db)).toBe(true);
    expect(Object.isFrozen(settings.origins)).toBe(true);
    expect(() => {
      (settings as { port: number }).port = 1;
    }).toThrow(TypeError);
    expect(() => (settings.origins as string[]).push('b')).toThrow(TypeError);
  });

  it('refuses definitions that cannot work', () => {
    const schema = z.object({ n: z.int().default(1) });
    expect(() => defineSettings({ prefix: 'lower_', schema })).toThrow(/prefix must be upper-case/);
    expect(() => defineSettings({ prefix: 'X_', schema, secrets: ['n'] })).toThrow(
      'secrets: "n" must be a string or a list of strings',
    );
    const twice = z.object({ a: z.string().default(''), b: z.string().default('') });
    expect(() =>
      defineSettings({ prefix: 'X_', schema: twice, aliases: { a: ['SAME'], b: ['SAME'] } }),
    ).toThrow('SAME is read by both "a" and "b"');
  });

  it('explain() refuses objects it did not load', () => {
    expect(() => explain({})).toThrow(TypeError);
  });
});

describe('getSettings', () => {
  it('caches one load until resetSettings()', () => {
    resetSettings();
    const first = getSettings();
    expect(getSettings()).toBe(first);
    resetSettings();
    expect(getSettings()).not.toBe(first);
    expect(inspect(getSettings())).toContain('pgPoolSize');
    resetSettings();
  });
});
