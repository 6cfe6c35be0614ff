import { LettaError } from '@letta/core';

/**
 * Thrown when there is no key to encrypt or decrypt with (code `ERR_CRYPTO_KEY_MISSING`). The message
 * starts with `No encryption key configured`, as Letta's does, so callers can match either.
 */
export class EncryptionKeyMissingError extends LettaError {
  override readonly name = 'EncryptionKeyMissingError';
  readonly code = 'ERR_CRYPTO_KEY_MISSING';

  constructor() {
    super(
      'No encryption key configured. Please set the LETTA_ENCRYPTION_KEY environment variable, or pass a key.',
    );
  }
}

/**
 * Thrown when a value cannot be decrypted (code `ERR_CRYPTO_DECRYPT_FAILED`): it is not base64, too
 * short, changed, encrypted with another key, or not UTF-8 inside. The message starts with
 * `Failed to decrypt data`, as Letta's does, and never holds the key, the value or the plaintext.
 */
export class DecryptionError extends LettaError {
  override readonly name = 'DecryptionError';
  readonly code = 'ERR_CRYPTO_DECRYPT_FAILED';

  constructor(reason: string) {
    super(`Failed to decrypt data: ${reason}`);
  }
}
