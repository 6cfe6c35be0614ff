import { isUtf8 } from 'node:buffer';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DecryptionError } from './crypto-errors';

/** Letta's format: base64 of salt (16 bytes) ‖ IV (12) ‖ AES-256-GCM ciphertext ‖ tag (16). */
const SALT_BYTES = 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Salt, IV and tag: the size of an encrypted empty string. */
export const OVERHEAD_BYTES = SALT_BYTES + IV_BYTES + TAG_BYTES;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A fresh random salt for one message. */
export function newSalt(): Buffer {
  return randomBytes(SALT_BYTES);
}

/** Encrypts with a key derived for `salt`, and returns the stored form. */
export function seal(plaintext: string, key: Buffer, salt: Buffer): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([salt, iv, body, cipher.getAuthTag()]).toString('base64');
}

/** A stored value's bytes, checked for the format; its salt comes first. */
export function unpack(stored: string): Buffer {
  if (!BASE64.test(stored)) throw new DecryptionError('the value is not standard base64');
  const data = Buffer.from(stored, 'base64');
  if (data.length < OVERHEAD_BYTES) {
    throw new DecryptionError(
      `the value is ${data.length} bytes long; an encrypted value has at least ${OVERHEAD_BYTES}`,
    );
  }
  return data;
}

export function saltOf(data: Buffer): Buffer {
  return data.subarray(0, SALT_BYTES);
}

/** Decrypts unpacked bytes with the key derived for their salt. */
export function open(data: Buffer, key: Buffer): string {
  const iv = data.subarray(SALT_BYTES, SALT_BYTES + IV_BYTES);
  const body = data.subarray(SALT_BYTES + IV_BYTES, data.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
  let plain: Buffer;
  try {
    plain = Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw new DecryptionError('authentication failed: the key is wrong or the value was changed');
  }
  if (!isUtf8(plain)) throw new DecryptionError('the decrypted bytes are not UTF-8');
  return plain.toString('utf8');
}
