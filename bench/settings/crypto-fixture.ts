import { createCipheriv, pbkdf2, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

export const BENCH_KEY = 'bench-master-key';
export const BENCH_PLAINTEXT = 'sk-live-0123456789abcdef0123456789abcdef';

/** Letta's key derivation with node:crypto directly. */
export const deriveRaw = (salt: Buffer) => promisify(pbkdf2)(BENCH_KEY, salt, 100_000, 32, 'sha256');

/** Letta's encryption with node:crypto directly: the baseline, and a source of values never cached. */
export async function encryptRaw(plaintext = BENCH_PLAINTEXT): Promise<string> {
  const [salt, iv] = [randomBytes(16), randomBytes(12)];
  const cipher = createCipheriv('aes-256-gcm', await deriveRaw(salt), iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([salt, iv, body, cipher.getAuthTag()]).toString('base64');
}

/** `count` distinct values whose keys the code under test has never derived: decrypting them is cold. */
export function coldValues(count: number): Promise<string[]> {
  return Promise.all(Array.from({ length: count }, () => encryptRaw()));
}
