import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { accessSync, chownSync, constants, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** PostgreSQL's server binaries: LETTA_TEST_PG_BIN, else Debian's newest (`/usr/lib/postgresql/<n>/bin`). */
export const PG_BIN = process.env.LETTA_TEST_PG_BIN || debianPgBin();

function debianPgBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((name) => /^\d+$/.test(name)) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0] ?? '15';
  return join(root, newest, 'bin');
}

/** An executable by path, or by name on PATH (sbin directories included); undefined when absent. */
export function findExecutable(nameOrPath: string): string | undefined {
  const candidates = nameOrPath.includes('/')
    ? [nameOrPath]
    : [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin'].map((dir) =>
        join(dir, nameOrPath),
      );
  return candidates.find((candidate) => {
    try {
      accessSync(candidate, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * Whether the executables a suite needs are installed. Outside CI a missing one skips the suite with one
 * line on stderr; with `CI=true` it is an error, so CI never passes by skipping.
 */
export function requireExecutables(suite: string, executables: readonly string[]): boolean {
  const missing = executables.filter((executable) => findExecutable(executable) === undefined);
  if (missing.length === 0) return true;
  const what = `${missing.join(', ')} not found (set LETTA_TEST_PG_BIN for the PostgreSQL binaries)`;
  if (process.env.CI === 'true') throw new Error(`${suite}: ${what}; CI requires it.`);
  process.stderr.write(`skipping ${suite} tests: ${what}.\n`);
  return false;
}

const isRoot = process.getuid?.() === 0;

/**
 * initdb, postgres and pgbouncer refuse to run as root, so as root they run as the `postgres` user.
 * setpriv replaces itself with the command, so a spawned child is the server process itself.
 */
function asPostgres(command: string, args: readonly string[]): [string, string[]] {
  return isRoot
    ? ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', '--', command, ...args]]
    : [command, [...args]];
}

/** Runs a command to completion (as `postgres` when root), failing with its output. */
export async function runAsPostgres(command: string, args: readonly string[]): Promise<string> {
  const [file, argv] = asPostgres(command, args);
  try {
    const { stdout } = await run(file, argv, { env: { ...process.env, LC_ALL: 'C' } });
    return stdout;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed: ${stderr || stdout || String(error)}`);
  }
}

/** Runs a command synchronously (as `postgres` when root), ignoring its outcome: for exit-time cleanup. */
export function runAsPostgresSync(command: string, args: readonly string[]): void {
  const [file, argv] = asPostgres(command, args);
  spawnSync(file, argv, { stdio: 'ignore' });
}

/** Starts a long-running command (as `postgres` when root) that the caller stops with a signal. */
export function spawnAsPostgres(command: string, args: readonly string[]): ChildProcess {
  const [file, argv] = asPostgres(command, args);
  const child = spawn(file, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
  process.once('exit', () => child.kill('SIGKILL'));
  return child;
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** A temporary directory the `postgres` user owns (when running as root), and its removal. */
export async function postgresOwnedDir(label: string): Promise<{ path: string; remove(): void }> {
  const path = mkdtempSync(join(tmpdir(), `letta-test-${label}-`));
  if (isRoot) {
    const { uid, gid } = await postgresIds();
    chownSync(path, uid, gid);
  }
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
