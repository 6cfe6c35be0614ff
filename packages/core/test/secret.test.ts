import { inspect } from 'node:util';
import { isSecretLike, REDACTED, reveal, Secret, toSecret } from '@letta/core';
import { describe, expect, it } from 'vitest';

describe('Secret', () => {
  const secret = new Secret('hunter2');

  it('gives its value only through reveal()', () => {
    expect(secret.reveal()).toBe('hunter2');
    expect(reveal(secret)).toBe('hunter2');
    expect(reveal('plain')).toBe('plain');
  });

  it('prints as [redacted] in every way a value is printed', () => {
    const printed = [
      String(secret),
      `${secret}`,
      JSON.stringify({ secret }),
      inspect(secret),
      inspect({ nested: { secret } }, { depth: 5 }),
      `${secret as unknown as number}`,
    ];
    for (const text of printed) {
      expect(text).not.toContain('hunter2');
      expect(text).toContain(REDACTED);
    }
  });

  it('wraps plain strings, keeps secrets and treats nothing as null', () => {
    expect(toSecret('pw')?.reveal()).toBe('pw');
    expect(inspect(toSecret('pw'))).toBe(REDACTED);
    expect(toSecret(secret)).toBe(secret);
    expect(toSecret('')).toBeNull();
    expect(toSecret(null)).toBeNull();
    expect(toSecret(undefined)).toBeNull();
    expect(isSecretLike(secret)).toBe(true);
    expect(isSecretLike({ reveal: 'no' })).toBe(false);
    expect(isSecretLike('text')).toBe(false);
  });
});
