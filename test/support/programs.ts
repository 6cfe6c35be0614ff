import { execFileSync } from 'node:child_process';

/**
 * Whether `program` is on the PATH for a test that runs it. Outside CI an absent program skips the test
 * with one line on stderr; with `CI=true` it is an error that says how to install it.
 */
export function requireProgram(program: string, install: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' });
    return true;
  } catch {
    if (process.env.CI === 'true')
      throw new Error(`${program} is not on the PATH (${install}); CI requires it.`);
    process.stderr.write(`skipping: ${program} is not on the PATH (${install}).\n`);
    return false;
  }
}
