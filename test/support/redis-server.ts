import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './free-port';
import { isReachable } from './services';

/** A redis-server owned by one test, on a port of its own, that the test can stop and start again. */
export interface RedisServerProcess {
  readonly port: number;
  readonly url: string;
  /** Starts the server (again) on the same port and waits until it accepts connections. */
  start(): Promise<void>;
  /** Stops the server (SIGKILL by default, like a crash) and waits until the port is closed. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

// Servers still running when the process exits are killed, through one listener for all of them.
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts redis-server on a free port. `configFile`, when given, is passed first (a Sentinel needs a
 * writable one, together with `--sentinel` in `extraArgs`).
 */
export async function startRedisServer(
  extraArgs: readonly string[] = [],
  { configFile }: { configFile?: string } = {},
): Promise<RedisServerProcess> {
  const port = await freePort();
  let child: ChildProcess | undefined;

  const start = async () => {
    child = spawn(
      'redis-server',
      [
        ...(configFile === undefined ? [] : [configFile]),
        ...['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...extraArgs],
      ],
      { stdio: 'ignore' },
    );
    const owned = child;
    running.add(owned);
    owned.once('exit', () => running.delete(owned));
    for (let attempt = 0; attempt < 100; attempt++) {
      if (await isReachable('127.0.0.1', port, 200)) return;
      await sleep(50);
    }
    throw new Error(`redis-server did not start on port ${port}`);
  };

  const stop = async (signal: NodeJS.Signals = 'SIGKILL') => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill(signal);
    await exited;
  };

  await start();
  return { port, url: `redis://127.0.0.1:${port}`, start, stop };
}
