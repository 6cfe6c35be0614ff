import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One vector made by `fixtures/crypto/make_vectors.py`, the way the Letta server encrypts. */
export interface Vector {
  readonly name: string;
  readonly key: string;
  readonly plaintext: string;
  readonly ciphertext: string;
}

export const VECTORS: readonly Vector[] = (
  JSON.parse(readFileSync(new URL('./fixtures/crypto/vectors.json', import.meta.url), 'utf8')) as {
    cases: Vector[];
  }
).cases;

const SCRIPT = fileURLToPath(new URL('./fixtures/crypto/make_vectors.py', import.meta.url));

/**
 * True when python3 can import `cryptography`. Otherwise says so in one line, or with `CI=true`
 * throws: CI must run the Python side of the cross-language tests.
 */
export function hasPythonCryptography(): boolean {
  if (spawnSync('python3', ['-c', 'import cryptography'], { stdio: 'ignore' }).status === 0) return true;
  const message =
    'python3 with the cryptography module is missing (apt-get install -y python3-cryptography): Python does not check TypeScript output';
  if (process.env.CI === 'true') throw new Error(message);
  console.log(`skip: ${message}`);
  return false;
}

/** Runs the vector script in `mode` over JSON lines, and returns its JSON lines. */
export function runPython(mode: 'decrypt' | 'is-encrypted', lines: readonly unknown[]): unknown[] {
  const input = lines.map((line) => `${JSON.stringify(line)}\n`).join('');
  const result = spawnSync('python3', [SCRIPT, mode], { input, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`make_vectors.py ${mode} failed:\n${result.stderr}`);
  return result.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as unknown);
}
