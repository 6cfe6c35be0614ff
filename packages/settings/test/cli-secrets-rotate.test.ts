import { decryptSecret, encryptSecret } from '@letta/settings/crypto';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli';
import { VECTORS } from './crypto-vectors';

const [vector = { name: '', key: '', plaintext: '', ciphertext: '' }] = VECTORS;
const NEW_KEY = 'the-new-master-key';
const env = { OLD_KEY: vector.key, NEW_KEY };
const rotate = ['secrets', 'rotate', '--from-env', 'OLD_KEY', '--to-env', 'NEW_KEY'];

function expectNoKey(text: string) {
  for (const key of [vector.key, NEW_KEY]) expect(text).not.toContain(key);
}

describe('letta-settings secrets rotate', () => {
  it('re-encrypts each line with the new key, in order; empty lines stay empty', async () => {
    const mine = await encryptSecret('pg-password', vector.key);
    const input = [vector.ciphertext, '', mine, 'plain-token-stored-without-a-key'].join('\r\n');
    const result = await runCli(rotate, { env, input: `${input}\n` });
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('Re-encrypted 3 values.\n');
    const lines = result.stdout.split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[1]).toBe('');
    expect(lines[4]).toBe('');
    const plain = await Promise.all(
      [lines[0], lines[2], lines[3]].map((line) => decryptSecret(line ?? '', NEW_KEY)),
    );
    expect(plain).toEqual([vector.plaintext, 'pg-password', 'plain-token-stored-without-a-key']);
    expectNoKey(result.stdout + result.stderr);
  });

  it('writes nothing when a value fails, and names the failing lines without values', async () => {
    const foreign = await encryptSecret('secret-of-someone-else', 'a third key');
    const result = await runCli(rotate, { env, input: `${vector.ciphertext}\n${foreign}\n` });
    expect(result).toEqual({
      status: 1,
      stdout: '',
      stderr:
        'line 2: Failed to decrypt data: authentication failed: the key is wrong or the value was changed\n' +
        'Nothing was written: 1 of 2 values failed.\n',
    });
  });

  it.each([
    [
      ['secrets', 'rotate', '--to-env', 'NEW_KEY'],
      'secrets rotate: --from-env is required; give the name of the variable that holds the key',
    ],
    [
      [...rotate.slice(0, 4), '--to-env', 'UNSET_KEY'],
      'secrets rotate: --to-env names UNSET_KEY, which is not set or empty; export the key in it',
    ],
    [['secrets'], '"secrets" needs a subcommand: secrets rotate'],
    [['secrets', 'rotat'], '"secrets" needs a subcommand: secrets rotate'],
  ])('letta-settings %j is a usage error', async (args, message) => {
    const result = await runCli(args, { env, input: '' });
    expect(result).toEqual({
      status: 2,
      stdout: '',
      stderr: `letta-settings: ${message}\nRun "letta-settings --help" for usage.\n`,
    });
  });
});
