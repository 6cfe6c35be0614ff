import { inspect } from 'node:util';
import { ConfigError, DatabaseUriError, LettaError, parseDatabaseUri, redactUri } from '@letta/core';
import { describe, expect, it } from 'vitest';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('parseDatabaseUri', () => {
  it.each([
    ['postgresql://letta:letta@localhost:5432/letta', null, 'letta', 'letta', 'localhost', 5432, 'letta'],
    ['postgres://u@h:6543/db', null, 'u', null, 'h', 6543, 'db'],
    ['postgresql+asyncpg://u:p@db.example.com/letta', 'asyncpg', 'u', 'p', 'db.example.com', null, 'letta'],
    ['postgresql+pg8000://u:p@h:5432/letta', 'pg8000', 'u', 'p', 'h', 5432, 'letta'],
    ['postgresql://u:p%40ss%3Aw%2Frd@h/db', null, 'u', 'p@ss:w/rd', 'h', null, 'db'],
    ['postgresql://us%20er:p@[::1]:5433/db', null, 'us er', 'p', '::1', 5433, 'db'],
    ['postgresql://u:@h/db', null, 'u', null, 'h', null, 'db'],
    ['postgresql:///letta?host=/var/run/postgresql', null, null, null, '/var/run/postgresql', null, 'letta'],
    ['POSTGRESQL://u:p@h/d%20b', null, 'u', 'p', 'h', null, 'd b'],
  ])('%s', (uri, driver, user, password, host, port, database) => {
    const parsed = parseDatabaseUri(uri);
    expect(parsed).toMatchObject({ scheme: 'postgresql', driver, user, host, port, database });
    expect(parsed.password?.reveal() ?? null).toBe(password);
  });

  it('keeps query parameters other than the connection parts, and takes libpq ones into the fields', () => {
    const parsed = parseDatabaseUri(
      'postgresql://h/db?sslmode=require&application_name=api&password=pw&port=6000',
    );
    expect(parsed.params).toEqual({ sslmode: 'require', application_name: 'api' });
    expect(parsed.port).toBe(6000);
    expect(parsed.password?.reveal()).toBe('pw');
  });

  it('never shows the password when the result is printed or serialised', () => {
    const parsed = parseDatabaseUri('postgresql://u:hunter2@h/db');
    expect(JSON.stringify(parsed)).not.toContain('hunter2');
    expect(inspect(parsed, { depth: 5 })).not.toContain('hunter2');
    expect(String(parsed.password)).toBe('[redacted]');
  });

  it('accepts a secret and reveals it only to parse', () => {
    const parsed = parseDatabaseUri({ reveal: () => 'postgresql://u:pw@h/db' });
    expect(parsed.host).toBe('h');
  });

  it.each([
    ['mysql://u:topsecret@h/db', /scheme "mysql", which is not a Postgres scheme/],
    ['postgresql+asyncpg+x://u:topsecret@h/db', /not a Postgres scheme/],
    ['u:topsecret@h/db', /has no scheme/],
    ['postgresql://u:topsecret@h:99999/db', /not a valid URI/],
    ['postgresql://u:topsecret@[::1/db', /not a valid URI/],
    ['postgresql://u:topsecret@a,b/db', /several hosts/],
    ['postgresql://u:topsecret@h/db/extra', /more than one segment/],
    ['postgresql://u:top%ZZsecret@h/db', /malformed percent-encoding in its password/],
    ['postgresql://u:topsecret@h/db?port=0', /port "0"/],
  ])('rejects %s with a clear error that hides the password', (uri, problem) => {
    const error = thrown(() => parseDatabaseUri(uri));
    expect(error).toBeInstanceOf(DatabaseUriError);
    expect((error as Error).message).toMatch(problem);
    expect((error as Error).message).toContain('Expected postgresql://user:password@host:5432/database');
    expect((error as Error).message).not.toContain('topsecret');
  });

  it('is a ConfigError with the code ERR_DB_URI and one issue that names where the URI came from', () => {
    const error = thrown(() =>
      parseDatabaseUri('mysql://u:topsecret@h/db', { path: 'lettaPgUri', envVar: 'LETTA_PG_URI' }),
    ) as DatabaseUriError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toBeInstanceOf(LettaError);
    expect(error.code).toBe('ERR_DB_URI');
    expect(error.retryable).toBe(false);
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]).toMatchObject({ path: 'lettaPgUri', envVar: 'LETTA_PG_URI' });
    expect(error.issues[0]?.message).toMatch(/^The database URI \(lettaPgUri, LETTA_PG_URI\) mysql:/);
    expect(JSON.stringify(error.issues)).not.toContain('topsecret');
  });

  it('does not show a URI without a scheme at all, since any part of it may be the password', () => {
    const error = thrown(() => parseDatabaseUri('garbage-SUPERSECRET')) as DatabaseUriError;
    expect(error.message).toMatch(/The database URI has no scheme/);
    expect(error.message).not.toContain('SUPERSECRET');
  });

  it("names the option 'uri' when no location is given", () => {
    const error = thrown(() => parseDatabaseUri('nonsense')) as DatabaseUriError;
    expect(error.issues).toEqual([{ path: 'uri', message: expect.stringContaining('has no scheme') }]);
  });
});

describe('redactUri on database URIs', () => {
  it.each([
    ['postgresql://u:p@h:5432/db', 'postgresql://u:[redacted]@h:5432/db'],
    [
      'postgresql+asyncpg://u:p%40ss@h/db?sslmode=require',
      'postgresql+asyncpg://u:[redacted]@h/db?sslmode=require',
    ],
    ['postgresql://u:p@ss/w@rd@h/db', 'postgresql://u:[redacted]@h/db'],
    ['postgresql://u@h:5432/db', 'postgresql://u@h:5432/db'],
    [
      'postgresql://h/db?user=u&password=pw&sslmode=require',
      'postgresql://h/db?user=u&password=[redacted]&sslmode=require',
    ],
    ['not a uri at all', 'not a uri at all'],
  ])('%s', (uri, expected) => {
    expect(redactUri(uri)).toBe(expected);
  });
});
