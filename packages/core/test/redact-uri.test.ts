import { redactCredentials, redactUri, Secret } from '@letta/core';
import { describe, expect, it } from 'vitest';

describe('redactUri', () => {
  it.each([
    ['postgresql://letta:s3cret@db:5432/letta', 'postgresql://letta:[redacted]@db:5432/letta'],
    ['postgresql+asyncpg://u:p%40ss@[::1]:5432/d', 'postgresql+asyncpg://u:[redacted]@[::1]:5432/d'],
    [
      'postgresql://db/letta?user=u&password=s3cret&sslmode=require',
      'postgresql://db/letta?user=u&password=[redacted]&sslmode=require',
    ],
    ['redis://:s3cret@cache:6379/0', 'redis://:[redacted]@cache:6379/0'],
    ['postgresql://letta@db/letta', 'postgresql://letta@db/letta'],
    ['garbage:s3cret@host', 'garbage:[redacted]@host'],
  ])('%s', (uri, expected) => {
    expect(redactUri(uri)).toBe(expected);
    expect(redactUri(new Secret(uri))).toBe(expected);
  });
});

describe('redactCredentials', () => {
  it('redacts every URI password in free text and leaves other text alone', () => {
    expect(
      redactCredentials('primary postgresql://a:one@h1/db, replica postgres://b:two@h2/db?password=three'),
    ).toBe(
      'primary postgresql://a:[redacted]@h1/db, replica postgres://b:[redacted]@h2/db?password=[redacted]',
    );
    const plain = 'connect ECONNREFUSED 127.0.0.1:5432';
    expect(redactCredentials(plain)).toBe(plain);
  });
});
