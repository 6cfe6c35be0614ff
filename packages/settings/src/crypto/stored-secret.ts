import { inspect } from 'node:util';
import { type Logger, REDACTED, silentLogger } from '@letta/core';
import { DecryptionError, EncryptionKeyMissingError } from './crypto-errors';
import {
  decryptSecret,
  decryptSecretSync,
  type EncryptionKey,
  encryptSecret,
  encryptSecretSync,
} from './encrypt-secret';
import { isEncrypted } from './is-encrypted';

/** Options of `StoredSecret`. */
export interface StoredSecretOptions {
  /** The master key. @default settings.encryptionKey (`LETTA_ENCRYPTION_KEY`) */
  readonly key?: EncryptionKey | null;
  /** Receives the warnings and errors Letta logs (never a value or a key). @default silent */
  readonly logger?: Logger;
}

/** What to store when encryption failed: the plaintext, if the failure is a missing key. */
function storePlaintextInstead(error: unknown, plaintext: string, logger: Logger): string {
  if (!(error instanceof EncryptionKeyMissingError)) throw error;
  logger.warn({}, 'No encryption key configured: storing the secret as plaintext; set LETTA_ENCRYPTION_KEY');
  return plaintext;
}

/** What to return when decryption failed: the stored value, if it is plaintext after all. */
function readPlaintextInstead(error: unknown, stored: string, logger: Logger): string {
  if (error instanceof EncryptionKeyMissingError) return stored;
  if (error instanceof DecryptionError && !isEncrypted(stored)) return stored;
  if (error instanceof DecryptionError) {
    logger.error({ reason: error.message }, 'A stored secret that looks encrypted cannot be decrypted');
  }
  throw error;
}

/**
 * A secret as Letta keeps it in a database column, with Letta's dual read: the column holds the
 * ciphertext, or the plaintext when no key was configured when it was written; a value that does not
 * look encrypted (`isEncrypted`) reads back as it is. Prints as `[redacted]`.
 *
 * ```ts
 * const secret = await StoredSecret.fromPlaintext('sk-live-123');
 * await db.updateTable('providers').set({ api_key_enc: secret.stored }).execute();
 * const apiKey = await StoredSecret.fromStored(row.api_key_enc).reveal();
 * ```
 */
export class StoredSecret {
  /** The value for the column: ciphertext, plaintext (stored without a key), or null. */
  readonly stored: string | null;
  #plaintext: string | null | undefined;
  readonly #key: EncryptionKey | null | undefined;
  readonly #logger: Logger;

  private constructor(
    stored: string | null,
    plaintext: string | null | undefined,
    options: StoredSecretOptions,
  ) {
    this.stored = stored;
    this.#plaintext = plaintext;
    this.#key = options.key;
    this.#logger = options.logger ?? silentLogger;
  }

  /** Encrypts a plaintext for storing; without a key configured, keeps it as plaintext (with a warning). */
  static async fromPlaintext(
    plaintext: string | null,
    options: StoredSecretOptions = {},
  ): Promise<StoredSecret> {
    if (plaintext === null) return new StoredSecret(null, null, options);
    const logger = StoredSecret.#warnIfEncrypted(plaintext, options);
    let stored: string;
    try {
      stored = await encryptSecret(plaintext, options.key);
    } catch (error) {
      stored = storePlaintextInstead(error, plaintext, logger);
    }
    return new StoredSecret(stored, plaintext, options);
  }

  /** `fromPlaintext`, blocking while the key is derived: for scripts. */
  static fromPlaintextSync(plaintext: string | null, options: StoredSecretOptions = {}): StoredSecret {
    if (plaintext === null) return new StoredSecret(null, null, options);
    const logger = StoredSecret.#warnIfEncrypted(plaintext, options);
    let stored: string;
    try {
      stored = encryptSecretSync(plaintext, options.key);
    } catch (error) {
      stored = storePlaintextInstead(error, plaintext, logger);
    }
    return new StoredSecret(stored, plaintext, options);
  }

  /** A value read from the column; decrypted on the first `reveal()`. */
  static fromStored(stored: string | null, options: StoredSecretOptions = {}): StoredSecret {
    return new StoredSecret(stored, undefined, options);
  }

  static #warnIfEncrypted(plaintext: string, options: StoredSecretOptions): Logger {
    const logger = options.logger ?? silentLogger;
    if (isEncrypted(plaintext))
      logger.warn({}, 'Storing a secret that already looks encrypted; it is encrypted again');
    return logger;
  }

  /**
   * The plaintext, decrypted once and then remembered. A value stored without a key, or one that does
   * not look encrypted and fails to decrypt, is returned as it is; one that looks encrypted and fails
   * throws `DecryptionError` (and is logged as an error).
   */
  async reveal(): Promise<string | null> {
    if (this.#plaintext !== undefined) return this.#plaintext;
    if (this.stored === null) return null;
    try {
      this.#plaintext = await decryptSecret(this.stored, this.#key);
    } catch (error) {
      this.#plaintext = readPlaintextInstead(error, this.stored, this.#logger);
    }
    return this.#plaintext;
  }

  /** `reveal`, blocking while the key is derived: for scripts. */
  revealSync(): string | null {
    if (this.#plaintext !== undefined) return this.#plaintext;
    if (this.stored === null) return null;
    try {
      this.#plaintext = decryptSecretSync(this.stored, this.#key);
    } catch (error) {
      this.#plaintext = readPlaintextInstead(error, this.stored, this.#logger);
    }
    return this.#plaintext;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}
