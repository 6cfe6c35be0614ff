import { toPgConfig } from '@letta/db-pool';
import { describe, expect, it } from 'vitest';

describe('toPgConfig', () => {
  it('maps the URI to a pg.Client configuration whose password is hidden behind a function', () => {
    const config = toPgConfig(
      'postgresql+asyncpg://u:p%40ss@[::1]:5433/letta?application_name=api&connect_timeout=5',
    );
    expect(config).toMatchObject({
      host: '::1',
      port: 5433,
      user: 'u',
      database: 'letta',
      application_name: 'api',
      connectionTimeoutMillis: 5000,
    });
    expect(config.password?.()).toBe('p@ss');
    expect(JSON.stringify(config)).not.toContain('p@ss');
  });

  it.each([
    ['sslmode=disable', false],
    ['sslmode=require', { rejectUnauthorized: false }],
    ['ssl=require', { rejectUnauthorized: false }],
    ['sslmode=verify-full', { rejectUnauthorized: true }],
    ['ssl=true', { rejectUnauthorized: true }],
  ])('maps %s', (query, ssl) => {
    expect(toPgConfig(`postgresql://h/db?${query}`).ssl).toEqual(ssl);
  });

  it('verifies the chain but not the host name for verify-ca', () => {
    const ssl = toPgConfig('postgresql://h/db?sslmode=verify-ca').ssl;
    expect(ssl).toMatchObject({ rejectUnauthorized: true });
    expect(typeof ssl === 'object' && ssl.checkServerIdentity?.()).toBeUndefined();
  });

  it.each([
    ['sslmode=prefer', 'prefer'],
    ['sslmode=allow', 'allow'],
    ['ssl=prefer', 'prefer'],
    ['', 'prefer'],
  ])('maps %s to TLS with a fallback to plain text (%s)', (query, fallback) => {
    const config = toPgConfig(`postgresql://h/db?${query}`);
    expect(config.ssl).toEqual({ rejectUnauthorized: false });
    expect(config.sslFallback).toBe(fallback);
  });

  it('makes one attempt for every other mode', () => {
    for (const mode of ['disable', 'require', 'verify-ca', 'verify-full']) {
      expect(toPgConfig(`postgresql://h/db?sslmode=${mode}`).sslFallback, mode).toBeUndefined();
    }
  });

  it('rejects an unknown sslmode and an unreadable certificate file by name', () => {
    expect(() => toPgConfig('postgresql://h/db?sslmode=sometimes')).toThrow(
      /sslmode "sometimes".*verify-full/,
    );
    expect(() => toPgConfig('postgresql://h/db?sslmode=verify-full&sslrootcert=./no-such-root.crt')).toThrow(
      /sslrootcert names a file that cannot be read/,
    );
  });
});
