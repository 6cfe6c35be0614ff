import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../examples/reference-server/dist/main.js', import.meta.url));

/**
 * The built reference server on a free loopback port, in a private home; `stop()` drains it. `args` runs
 * another server script instead, one that prints `listening on <url>` too. With `cpu`, the server runs
 * on that CPU only (`taskset`, see `reserveServerCpu`).
 */
export async function startServer(
  env: Record<string, string>,
  args: readonly string[] = [MAIN, '--host', '127.0.0.1', '--port', '0'],
  { cpu }: { cpu?: number | null } = {},
): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const home = mkdtempSync(join(tmpdir(), 'letta-refsrv-bench-'));
  const [command, commandArgs] =
    cpu == null ? [process.execPath, args] : ['taskset', ['-c', String(cpu), process.execPath, ...args]];
  const child = spawn(command, commandArgs, {
    cwd: home,
    env: { PATH: process.env.PATH ?? '', HOME: home, LETTA_DIR: home, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', () => reject(new Error(`the server exited before listening:\n${output}`)));
  });
  return {
    url,
    pid: child.pid ?? 0,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(home, { recursive: true, force: true });
    },
  };
}

export async function postJson<T>(url: string, body: unknown): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${url} answered ${response.status}`);
  return (await response.json()) as T;
}

/** A URI on the benchmark PostgreSQL (`LETTA_TEST_PG_URI`), tagged so its backends are easy to spot. */
export function benchUri(label: string, database?: string): string {
  const url = new URL(process.env.LETTA_TEST_PG_URI || 'postgresql://postgres@127.0.0.1:5432/test');
  if (database) url.pathname = `/${database}`;
  url.searchParams.set('application_name', `letta-refsrv-bench-${label}`);
  return url.toString();
}
