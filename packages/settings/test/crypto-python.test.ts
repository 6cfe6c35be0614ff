import { encryptSecret, encryptSecretSync, isEncrypted } from '@letta/settings/crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasPythonCryptography, runPython, VECTORS } from './crypto-vectors';

const hasPython = hasPythonCryptography();

describe.skipIf(!hasPython)('Python (the Letta server’s code) reads TypeScript output', () => {
  it('decrypts what encryptSecret and encryptSecretSync write, for every vector’s key and plaintext', async () => {
    const cases = await Promise.all(
      VECTORS.flatMap(({ key, plaintext }) => [
        encryptSecret(plaintext, key).then((ciphertext) => ({ key, ciphertext })),
        { key, ciphertext: encryptSecretSync(plaintext, key) },
      ]),
    );
    const expected = VECTORS.flatMap(({ plaintext }) => [{ plaintext }, { plaintext }]);
    expect(runPython('decrypt', cases)).toEqual(expected);
  });

  it('fails like TypeScript on a wrong key', async () => {
    const ciphertext = await encryptSecret('value', 'right key');
    expect(runPython('decrypt', [{ key: 'wrong key', ciphertext }])).toEqual([{ error: 'InvalidTag' }]);
  });

  it('agrees with isEncrypted on every kind of string (Python’s lenient base64)', async () => {
    const piece = fc.oneof(
      fc.constantFrom('=', '==', '\n', ' ', '-', '_', '.', '!', 'é', '🔑', 'sk-', 'Bearer ', 'AKIA'),
      fc.stringMatching(/^[A-Za-z0-9+/]{1,80}$/),
    );
    const strings = fc.sample(
      fc.array(piece, { maxLength: 8 }).map((parts) => parts.join('')),
      { numRuns: 3000, seed: 20_260_101 },
    );
    const values = [...strings, await encryptSecret('x', 'k'), await encryptSecret('', 'k'), 'a'.repeat(60)];
    expect(values.map((value) => isEncrypted(value))).toEqual(runPython('is-encrypted', values));
  });
});
