import { inspect } from 'node:util';
import type { Logger } from '@letta/core';
import { resetSettings } from '@letta/settings';
import { DecryptionError, decryptSecret, encryptSecret, StoredSecret } from '@letta/settings/crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';

const KEY = 'stored-secret-test-key';

/** A logger that keeps what it is given. */
function recorder() {
  const lines: { level: string; fields: object; message: string }[] = [];
  const log = (level: string) => (fields: object, message: string) => lines.push({ level, fields, message });
  const logger: Logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
  return { logger, lines };
}

afterEach(() => {
  vi.unstubAllEnvs();
  resetSettings();
});

describe('StoredSecret', () => {
  it('stores ciphertext and reads it back, once', async () => {
    const secret = await StoredSecret.fromPlaintext('sk-live-1', { key: KEY });
    expect(await decryptSecret(secret.stored ?? '', KEY)).toBe('sk-live-1');
    expect(await secret.reveal()).toBe('sk-live-1');
    const read = StoredSecret.fromStored(secret.stored, { key: KEY });
    expect(await read.reveal()).toBe('sk-live-1');
    expect(read.revealSync()).toBe('sk-live-1');
    expect(StoredSecret.fromPlaintextSync('x', { key: KEY }).revealSync()).toBe('x');
  });

  it('keeps null as null', async () => {
    expect((await StoredSecret.fromPlaintext(null, { key: KEY })).stored).toBeNull();
    expect(await StoredSecret.fromStored(null, { key: KEY }).reveal()).toBeNull();
  });

  it('prints as [redacted]', async () => {
    const secret = await StoredSecret.fromPlaintext('sk-live-1', { key: KEY });
    for (const text of [String(secret), JSON.stringify({ secret }), inspect(secret)])
      expect(text).not.toContain('sk-live-1');
  });

  it('without a key, stores the plaintext with a warning, and reads it back as it is', async () => {
    vi.stubEnv('LETTA_ENCRYPTION_KEY', '');
    resetSettings();
    const { logger, lines } = recorder();
    const secret = await StoredSecret.fromPlaintext('sk-live-2', { logger });
    expect(secret.stored).toBe('sk-live-2');
    expect(lines).toEqual([
      {
        level: 'warn',
        fields: {},
        message: 'No encryption key configured: storing the secret as plaintext; set LETTA_ENCRYPTION_KEY',
      },
    ]);
    expect(await StoredSecret.fromStored('sk-live-2').reveal()).toBe('sk-live-2');
  });

  it('returns a stored value that does not look encrypted as it is, after a failed decryption', async () => {
    expect(await StoredSecret.fromStored('plain-password', { key: KEY }).reveal()).toBe('plain-password');
    expect(StoredSecret.fromStored('plain-password', { key: KEY }).revealSync()).toBe('plain-password');
  });

  it('throws (and logs an error) for a value that looks encrypted but does not decrypt', async () => {
    const { logger, lines } = recorder();
    const stored = await encryptSecret('sk-live-3', 'another key');
    const secret = StoredSecret.fromStored(stored, { key: KEY, logger });
    await expect(secret.reveal()).rejects.toBeInstanceOf(DecryptionError);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'error',
      message: 'A stored secret that looks encrypted cannot be decrypted',
    });
    expect(JSON.stringify(lines)).not.toContain(KEY);
    expect(() => StoredSecret.fromStored(stored, { key: KEY }).revealSync()).toThrow(DecryptionError);
  });

  it('warns when the plaintext already looks encrypted, and encrypts it again', async () => {
    const { logger, lines } = recorder();
    const already = await encryptSecret('inner', KEY);
    const secret = await StoredSecret.fromPlaintext(already, { key: KEY, logger });
    expect(lines.map((line) => line.message)).toEqual([
      'Storing a secret that already looks encrypted; it is encrypted again',
    ]);
    expect(await decryptSecret(secret.stored ?? '', KEY)).toBe(already);
  });
});
