import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Debian installs daemons such as nginx and pgbouncer in sbin directories, which a user's PATH may lack. */
const EXTRA_DIRECTORIES = ['/usr/sbin', '/usr/local/sbin', '/sbin'];

/** The absolute path of the executable `name` on PATH (or in an sbin directory), or `null`. */
export function findProgram(name: string): string | null {
  const directories = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...EXTRA_DIRECTORIES];
  for (const directory of directories) {
    const candidate = join(directory, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; try the next directory
    }
  }
  return null;
}

/**
 * The path of `name`, for a suite that needs the program. Outside CI an absent program skips the suite
 * with one line on stderr (naming `install`, how to get it); with `CI=true` it is an error.
 */
export function requireProgram(name: string, install: string): string | null {
  const path = findProgram(name);
  if (path !== null) return path;
  if (process.env.CI === 'true') throw new Error(`${name} is not installed; CI requires it (${install}).`);
  process.stderr.write(`skipping tests that need ${name}: it is not installed (${install}).\n`);
  return null;
}
