import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { until } from '@test/support';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

/** A reference server running as a child process from the built output. */
export interface ServerProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** The server's home: `LETTA_DIR`, `HOME` and the working directory, removed by `cleanup()`. */
  readonly home: string;
  output(): string;
  /**
   * Resolves with the first match of `pattern` in the output, waiting up to `timeoutMs` for it; rejects
   * with the output when it does not appear.
   */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray>;
  /** Resolves with the exit code (or signal) once the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends SIGTERM (unless already exited), waits for the exit, then removes `home`. */
  cleanup(): Promise<void>;
}

export interface StartOptions {
  env?: Record<string, string>;
  args?: string[];
  /** Reuse this home directory instead of a fresh one (it is then not removed). */
  home?: string;
}

/**
 * Starts `dist/main.js` on a free loopback port with a clean environment: only `PATH`, a private
 * `HOME`/`LETTA_DIR`/working directory, and `env`. Resolves once it printed its URL.
 */
export async function startServerProcess(options: StartOptions = {}): Promise<ServerProcess> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run pnpm build first.`);
  const ownsHome = options.home === undefined;
  const home = options.home ?? mkdtempSync(join(tmpdir(), 'letta-refsrv-'));
  const child = spawn(
    process.execPath,
    [MAIN, '--host', '127.0.0.1', '--port', '0', ...(options.args ?? [])],
    {
      cwd: home,
      env: { PATH: process.env.PATH ?? '', HOME: home, LETTA_DIR: home, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  process.once('exit', () => child.kill('SIGKILL'));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the server did not start within 20 s:\n${output}`)),
      20_000,
    );
    const check = () => {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', check);
    exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with code ${code} before listening:\n${output}`));
    });
  });

  return {
    url,
    child,
    home,
    output: () => output,
    waitForOutput: (pattern, timeoutMs) =>
      until(
        () => `${pattern} in the output:\n${output}`,
        () => pattern.exec(output),
        timeoutMs,
      ),
    exited,
    async cleanup() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      if (ownsHome) rmSync(home, { recursive: true, force: true });
    },
  };
}

/**
 * The components a server closes on shutdown, in reverse startup order: streams, the listener, Redis,
 * the health monitor, the database, then telemetry (plus the leader elector first, with batch polling).
 */
export const CLOSE_ORDER = ['sse', 'http', 'redis', 'database-monitor', 'database', 'telemetry'];

/** The components a server logged as closed during its shutdown, in order. */
export function closedComponents(server: ServerProcess): string[] {
  return [...server.output().matchAll(/Closed \{"component":"([\w-]+)"/g)].map((match) => match[1] ?? '');
}

/** Runs `dist/main.js` (or another entry, such as the start script) to completion. */
export function runServerToExit(
  args: string[],
  env: Record<string, string> = {},
  entry = MAIN,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const home = mkdtempSync(join(tmpdir(), 'letta-refsrv-'));
  const child = spawn(process.execPath, [entry, ...args], {
    cwd: home,
    env: { PATH: process.env.PATH ?? '', HOME: home, LETTA_DIR: home, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      rmSync(home, { recursive: true, force: true });
      resolve({ code, stdout, stderr });
    }),
  );
}
