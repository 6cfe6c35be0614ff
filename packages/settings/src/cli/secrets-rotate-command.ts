import { text } from 'node:stream/consumers';
import { reencrypt } from '../crypto/reencrypt';
import type { CommandArgs } from './command-args';
import { UsageError } from './usage-error';

/** Values re-encrypted at once: enough to keep libuv's thread pool busy deriving keys. */
const CONCURRENCY = 16;

/** The key in the environment variable an option names; never taken from the command line itself. */
function keyFrom(options: CommandArgs['options'], option: 'from-env' | 'to-env'): string {
  const name = options[option];
  if (typeof name !== 'string') {
    throw new UsageError(
      `secrets rotate: --${option} is required; give the name of the variable that holds the key`,
    );
  }
  const key = process.env[name];
  if (!key)
    throw new UsageError(
      `secrets rotate: --${option} names ${name}, which is not set or empty; export the key in it`,
    );
  return key;
}

/**
 * `letta-settings secrets rotate`: re-encrypts stored values, one per line of stdin, from the key in
 * `--from-env`'s variable to the one in `--to-env`'s, and prints them in the same order. Empty lines
 * (null columns) stay empty. All or nothing: when one value fails, nothing is printed, and stderr
 * names the failing lines (never a value or a key).
 */
export async function secretsRotateCommand({ options }: CommandArgs): Promise<number> {
  const keys = { from: keyFrom(options, 'from-env'), to: keyFrom(options, 'to-env') };
  if (process.stdin.isTTY) {
    throw new UsageError(
      'secrets rotate: reads the stored values from stdin, one per line; pipe or redirect them in',
    );
  }
  const lines = (await text(process.stdin)).split('\n').map((line) => line.replace(/\r$/, ''));
  if (lines.at(-1) === '') lines.pop();

  const rotated: string[] = new Array(lines.length);
  const failures: string[] = [];
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < lines.length; index = next++) {
      const line = lines[index] ?? '';
      try {
        rotated[index] = line === '' ? '' : await reencrypt(line, keys);
      } catch (error) {
        failures[index] = `line ${index + 1}: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));

  const failed = failures.filter(Boolean);
  if (failed.length > 0) {
    process.stderr.write(
      `${failed.join('\n')}\nNothing was written: ${failed.length} of ${lines.length} values failed.\n`,
    );
    return 1;
  }
  process.stdout.write(rotated.map((value) => `${value}\n`).join(''));
  const count = lines.filter((line) => line !== '').length;
  process.stderr.write(`Re-encrypted ${count} value${count === 1 ? '' : 's'}.\n`);
  return 0;
}
