import { resetSettings, Secret } from '@letta/settings';
import {
  DecryptionError,
  decryptSecret,
  decryptSecretSync,
  EncryptionKeyMissingError,
  encryptSecret,
  encryptSecretSync,
  isEncrypted,
  reencrypt,
} from '@letta/settings/crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { VECTORS } from './crypto-vectors';
import { failure } from './failure';

const KEY = 'letta-test-master-key';
const [vector = { name: '', key: '', plaintext: '', ciphertext: '' }] = VECTORS;

afterEach(() => {
  vi.unstubAllEnvs();
  resetSettings();
});

const reshape = (stored: string, change: (data: Buffer) => Buffer) =>
  change(Buffer.from(stored, 'base64')).toString('base64');
const flip = (index: number) => (data: Buffer) => {
  const copy = Buffer.from(data);
  const at = index < 0 ? copy.length + index : index;
  copy[at] = (copy[at] ?? 0) ^ 0x01;
  return copy;
};

describe('Letta-compatible encryption', () => {
  it.each(VECTORS)('decrypts the Python-made vector: $name', async ({ key, plaintext, ciphertext }) => {
    expect(await decryptSecret(ciphertext, key)).toBe(plaintext);
    expect(decryptSecretSync(ciphertext, key)).toBe(plaintext);
  });

  it.each(VECTORS)('encrypts in Letta’s format: $name', async ({ key, plaintext }) => {
    for (const stored of [await encryptSecret(plaintext, key), encryptSecretSync(plaintext, key)]) {
      expect(stored).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
      expect(Buffer.from(stored, 'base64')).toHaveLength(44 + Buffer.byteLength(plaintext));
      expect(await decryptSecret(stored, key)).toBe(plaintext);
    }
  });

  it('uses a fresh salt and IV for every message', async () => {
    const stored = await Promise.all([encryptSecret('same', KEY), encryptSecret('same', KEY)]);
    const [a, b] = stored.map((value) => Buffer.from(value, 'base64'));
    expect(a?.subarray(0, 16).equals(b?.subarray(0, 16) ?? Buffer.alloc(0))).toBe(false);
    expect(a?.subarray(16, 28).equals(b?.subarray(16, 28) ?? Buffer.alloc(0))).toBe(false);
  });

  it('takes the key as a string or a Secret, and defaults to LETTA_ENCRYPTION_KEY', async () => {
    const stored = await encryptSecret('v', new Secret(KEY));
    expect(await decryptSecret(stored, KEY)).toBe('v');
    vi.stubEnv('LETTA_ENCRYPTION_KEY', KEY);
    resetSettings();
    expect(await decryptSecret(stored)).toBe('v');
    expect(decryptSecretSync(encryptSecretSync('w'), KEY)).toBe('w');
    expect(await decryptSecret(stored, '')).toBe('v');
  });

  it('without a key, fails with Letta’s "No encryption key configured" error', async () => {
    vi.stubEnv('LETTA_ENCRYPTION_KEY', '');
    resetSettings();
    for (const call of [
      () => encryptSecret('v'),
      () => decryptSecret(VECTORS[0]?.ciphertext ?? ''),
      () => encryptSecretSync('v', null),
      () => decryptSecretSync('x', new Secret('')),
    ]) {
      const error = await failure(call);
      expect(error).toBeInstanceOf(EncryptionKeyMissingError);
      expect(error.message).toMatch(/^No encryption key configured\. Please set the LETTA_ENCRYPTION_KEY/);
    }
  });

  it.each([
    [
      'a wrong key',
      vector.ciphertext,
      'another key',
      'authentication failed: the key is wrong or the value was changed',
    ],
    ['a changed ciphertext byte', reshape(vector.ciphertext, flip(30)), vector.key, 'authentication failed'],
    ['a changed tag', reshape(vector.ciphertext, flip(-1)), vector.key, 'authentication failed'],
    ['a changed salt', reshape(vector.ciphertext, flip(0)), vector.key, 'authentication failed'],
    ['a changed IV', reshape(vector.ciphertext, flip(20)), vector.key, 'authentication failed'],
    [
      'a value cut short',
      reshape(vector.ciphertext, (d) => d.subarray(0, d.length - 3)),
      vector.key,
      'authentication failed',
    ],
    [
      'a value shorter than the format',
      reshape(vector.ciphertext, (d) => d.subarray(0, 40)),
      vector.key,
      'the value is 40 bytes long; an encrypted value has at least 44',
    ],
    [
      'a value cut mid-character',
      vector.ciphertext.slice(0, -1),
      vector.key,
      'the value is not standard base64',
    ],
    ['text that is not base64', 'sk-live-0123456789abcdef', vector.key, 'the value is not standard base64'],
  ])(
    'fails with "Failed to decrypt data" for %s, naming neither key nor plaintext',
    async (_, stored, key, reason) => {
      for (const call of [() => decryptSecret(stored, key), () => decryptSecretSync(stored, key)]) {
        const error = await failure(call);
        expect(error).toBeInstanceOf(DecryptionError);
        expect(error.message.startsWith(`Failed to decrypt data: ${reason}`)).toBe(true);
        for (const secret of [key, vector.plaintext]) expect(error.message).not.toContain(secret);
      }
    },
  );

  it('reports a plaintext that is not UTF-8', async () => {
    const { createCipheriv, pbkdf2Sync, randomBytes } = await import('node:crypto');
    const [salt, iv] = [randomBytes(16), randomBytes(12)];
    const cipher = createCipheriv('aes-256-gcm', pbkdf2Sync(KEY, salt, 100_000, 32, 'sha256'), iv);
    const body = Buffer.concat([cipher.update(Buffer.from([0xff, 0xfe])), cipher.final()]);
    const stored = Buffer.concat([salt, iv, body, cipher.getAuthTag()]).toString('base64');
    const error = await failure(() => decryptSecret(stored, KEY));
    expect(error.message).toBe('Failed to decrypt data: the decrypted bytes are not UTF-8');
  });
});

describe('isEncrypted (Letta’s heuristic)', () => {
  it('recognises encrypted values, except an encrypted empty string (44 bytes)', async () => {
    expect(isEncrypted(await encryptSecret('x', KEY))).toBe(true);
    expect(isEncrypted(await encryptSecret('', KEY))).toBe(false);
  });

  it('says no for empty values and well-known token prefixes, however long', () => {
    for (const value of [
      null,
      undefined,
      '',
      'sk-'.padEnd(100, 'A'),
      'Bearer '.padEnd(100, 'A'),
      'AKIA'.padEnd(80, 'B'),
    ])
      expect(isEncrypted(value)).toBe(false);
  });

  it('takes any long base64-looking plaintext for encrypted, as Letta does', () => {
    expect(isEncrypted('a'.repeat(60))).toBe(true);
    expect(isEncrypted('0123456789abcdef'.repeat(4))).toBe(true);
    expect(isEncrypted('a'.repeat(59))).toBe(false);
  });
});

describe('reencrypt', () => {
  it('moves a value from one key to another', async () => {
    const rotated = await reencrypt(vector.ciphertext, { from: vector.key, to: new Secret('new key') });
    expect(await decryptSecret(rotated, 'new key')).toBe(vector.plaintext);
  });

  it('encrypts a value stored as plaintext, and refuses one that looks encrypted but is not from `from`', async () => {
    expect(await decryptSecret(await reencrypt('sk-plain', { from: KEY, to: 'new' }), 'new')).toBe(
      'sk-plain',
    );
    const error = await failure(() => reencrypt(vector.ciphertext, { from: 'not it', to: 'new' }));
    expect(error).toBeInstanceOf(DecryptionError);
  });

  it('needs both keys', async () => {
    const error = await failure(() => reencrypt(vector.ciphertext, { from: vector.key, to: '' }));
    expect(error.message).toBe('reencrypt: the "to" key is empty; pass the new key');
  });
});
