import { reveal, type Secret } from '@letta/core';
import { getSettings } from '@letta/settings';
import { EncryptionKeyMissingError } from './crypto-errors';
import { deriveKey, deriveKeySync } from './derived-keys';
import { newSalt, open, saltOf, seal, unpack } from './letta-cipher';

/** A master key: a string, or a `Secret` such as `settings.encryptionKey`. */
export type EncryptionKey = string | Secret;

/** The master key to use: `key`, else `LETTA_ENCRYPTION_KEY` from `getSettings()`, as in Letta. */
function masterKey(key: EncryptionKey | null | undefined): string {
  const given = key === null || key === undefined ? undefined : reveal(key);
  if (given) return given;
  const configured = getSettings().encryptionKey?.reveal();
  if (!configured) throw new EncryptionKeyMissingError();
  return configured;
}

/**
 * Encrypts a value the way Letta stores secrets: AES-256-GCM with a key derived by PBKDF2-HMAC-SHA256
 * (100,000 iterations) from the master key and a random salt, returned as base64 of salt, IV,
 * ciphertext and tag. The derivation runs on libuv's thread pool. `key` defaults to
 * `settings.encryptionKey` (`LETTA_ENCRYPTION_KEY`); without one it throws `EncryptionKeyMissingError`.
 *
 * ```ts
 * const stored = await encryptSecret('sk-live-123'); // with LETTA_ENCRYPTION_KEY set
 * await decryptSecret(stored); // 'sk-live-123'
 * ```
 */
export async function encryptSecret(plaintext: string, key?: EncryptionKey | null): Promise<string> {
  const master = masterKey(key);
  const salt = newSalt();
  return seal(plaintext, await deriveKey(master, salt), salt);
}

/**
 * Decrypts a value stored by Letta or `encryptSecret`. Throws `DecryptionError` (its message starts
 * with `Failed to decrypt data`) for a value that is not base64, too short, changed, or encrypted
 * with another key; and `EncryptionKeyMissingError` without a key.
 */
export async function decryptSecret(stored: string, key?: EncryptionKey | null): Promise<string> {
  const master = masterKey(key);
  const data = unpack(stored);
  return open(data, await deriveKey(master, saltOf(data)));
}

/** `encryptSecret`, blocking the event loop while the key is derived (about 50 ms): for scripts. */
export function encryptSecretSync(plaintext: string, key?: EncryptionKey | null): string {
  const master = masterKey(key);
  const salt = newSalt();
  return seal(plaintext, deriveKeySync(master, salt), salt);
}

/** `decryptSecret`, blocking the event loop while the key is derived (about 50 ms): for scripts. */
export function decryptSecretSync(stored: string, key?: EncryptionKey | null): string {
  const master = masterKey(key);
  const data = unpack(stored);
  return open(data, deriveKeySync(master, saltOf(data)));
}
