import { describe, expect, it } from 'vitest';
import { LruCache } from '../src/crypto/lru-cache';

describe('LruCache (derived keys)', () => {
  it('keeps the most recently used entries up to its capacity', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect([cache.peek('a'), cache.peek('b'), cache.peek('c')]).toEqual([1, undefined, 3]);
    expect(cache.size).toBe(2);
  });

  it('does not count a peek as a use, and forgets a deleted entry', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.peek('a');
    cache.set('c', 3);
    expect(cache.peek('a')).toBeUndefined();
    cache.delete('b');
    expect(cache.size).toBe(1);
  });
});
