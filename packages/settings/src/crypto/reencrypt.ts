import { reveal } from '@letta/core';
import { DecryptionError } from './crypto-errors';
import { decryptSecret, type EncryptionKey, encryptSecret } from './encrypt-secret';
import { isEncrypted } from './is-encrypted';

/** The keys of a rotation: the one values are encrypted with now, and the one they move to. */
export interface KeyRotation {
  readonly from: EncryptionKey;
  readonly to: EncryptionKey;
}

/**
 * Re-encrypts a stored value with a new key, for key rotation. A value that does not decrypt with
 * `from` and does not look encrypted is taken as plaintext (stored before a key was configured, as
 * Letta's dual read allows) and encrypted with `to`; one that looks encrypted throws `DecryptionError`.
 */
export async function reencrypt(stored: string, keys: KeyRotation): Promise<string> {
  for (const name of ['from', 'to'] as const) {
    if (!reveal(keys[name])) {
      throw new TypeError(
        `reencrypt: the "${name}" key is empty; pass the ${name === 'from' ? 'current' : 'new'} key`,
      );
    }
  }
  let plaintext: string;
  try {
    plaintext = await decryptSecret(stored, keys.from);
  } catch (error) {
    if (!(error instanceof DecryptionError) || isEncrypted(stored)) throw error;
    plaintext = stored;
  }
  return encryptSecret(plaintext, keys.to);
}
