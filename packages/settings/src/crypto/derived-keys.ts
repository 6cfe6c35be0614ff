import { pbkdf2, pbkdf2Sync } from 'node:crypto';
import { LruCache } from './lru-cache';

/** Letta's key derivation: PBKDF2-HMAC-SHA256, 100,000 iterations, a 32-byte key. */
const ITERATIONS = 100_000;
const KEY_BYTES = 32;
const DIGEST = 'sha256';

/**
 * Derived keys by salt and master key, as many as Letta keeps. Salts are random per message, so this
 * speeds up repeated reads of one value. Pending derivations are cached too, so that concurrent reads
 * of one value share a single one.
 */
const cache = new LruCache<string, Promise<Buffer> | Buffer>(256);

const idOf = (masterKey: string, salt: Buffer) => `${salt.toString('latin1')}\u0000${masterKey}`;

/** The key for one salt, derived on libuv's thread pool so that the event loop keeps running. */
export function deriveKey(masterKey: string, salt: Buffer): Promise<Buffer> {
  const id = idOf(masterKey, salt);
  const known = cache.get(id);
  if (known !== undefined) return Promise.resolve(known);
  const derived = new Promise<Buffer>((resolve, reject) => {
    pbkdf2(masterKey, salt, ITERATIONS, KEY_BYTES, DIGEST, (error, key) => {
      if (error) {
        cache.delete(id);
        reject(error);
        return;
      }
      if (cache.peek(id) === derived) cache.set(id, key);
      resolve(key);
    });
  });
  cache.set(id, derived);
  return derived;
}

/** The same, blocking: for scripts, or code that cannot wait. */
export function deriveKeySync(masterKey: string, salt: Buffer): Buffer {
  const id = idOf(masterKey, salt);
  const known = cache.get(id);
  if (Buffer.isBuffer(known)) return known;
  const key = pbkdf2Sync(masterKey, salt, ITERATIONS, KEY_BYTES, DIGEST);
  cache.set(id, key);
  return key;
}
