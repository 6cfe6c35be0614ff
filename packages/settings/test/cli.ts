import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built bin, as users run it. */
export const BIN = fileURLToPath(new URL('../dist/cli/letta-settings.cjs', import.meta.url));

/** The file package managers link as `letta-settings`: a committed launcher of the built bin. */
export const BIN_LAUNCHER = fileURLToPath(new URL('../bin/letta-settings.cjs', import.meta.url));

export interface CliResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the built `letta-settings` with `args` in `cwd`. The environment holds only `PATH`, `HOME` and
 * `env`, so neither colour settings nor `LETTA_*` variables of the machine leak in.
 */
export function runCli(
  args: readonly string[],
  options: {
    readonly cwd?: string;
    readonly env?: Record<string, string>;
    readonly input?: string;
    /**
     * Execute the launcher: through its `#!` line as a package manager's bin link does (`exec`), or
     * with BusyBox's sh as the `/bin/sh` of Alpine images (`busybox`).
     */
    readonly launcher?: 'exec' | 'busybox';
  } = {},
): Promise<CliResult> {
  if (!existsSync(BIN)) {
    throw new Error(`${BIN} is missing: run \`pnpm --filter @letta/settings build\` before these tests`);
  }
  return new Promise((resolve, reject) => {
    const [file, fileArgs] =
      options.launcher === 'exec'
        ? [BIN_LAUNCHER, args]
        : options.launcher === 'busybox'
          ? ['busybox', ['sh', BIN_LAUNCHER, ...args]]
          : [process.execPath, [BIN, ...args]];
    const child = execFile(
      file,
      fileArgs,
      {
        cwd: options.cwd,
        env: { PATH: process.env.PATH ?? '', HOME: options.env?.HOME ?? '/nonexistent', ...options.env },
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        const status = error ? error.code : 0;
        if (typeof status !== 'number') reject(error);
        else resolve({ status, stdout, stderr });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}
