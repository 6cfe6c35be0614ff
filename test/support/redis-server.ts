import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { freePort } from './free-port';

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

const START_ATTEMPTS = 5;
const READY_WITHIN_MS = 10_000;

/** Another process took the port between `freePort()` and the server's bind. */
class PortTakenError extends Error {}

/**
 * Starts redis-server on a free port. `configFile`, when given, is passed first (a Sentinel needs a
 * writable one, together with `--sentinel` in `extraArgs`). The server counts as started only once the
 * process that answers on the port is the child just spawned (`INFO server` names its pid); when another
 * process took the port in the meantime, it tries again on a new one.
 */
export async function startRedisServer(
  extraArgs: readonly string[] = [],
  { configFile }: { configFile?: string } = {},
): Promise<RedisServerProcess> {
  const password = argumentAfter(extraArgs, '--requirepass');
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const args = [
      ...(configFile === undefined ? [] : [configFile]),
      ...['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...extraArgs],
    ];
    let child: ChildProcess | undefined;
    const start = async () => {
      child = await spawnListening(args, port, password);
    };
    const stop = async (signal: NodeJS.Signals = 'SIGKILL') => {
      const owned = child;
      child = undefined;
      if (owned) await kill(owned, signal);
    };
    try {
      await start();
      return { port, url: `redis://127.0.0.1:${port}`, start, stop };
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt === START_ATTEMPTS) throw error;
    }
  }
}

/** Spawns redis-server and waits until it, not another process, answers on `port`. */
async function spawnListening(
  args: readonly string[],
  port: number,
  password: string | undefined,
): Promise<ChildProcess> {
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  running.add(child);
  child.once('exit', () => running.delete(child));
  const deadline = Date.now() + READY_WITHIN_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new PortTakenError(`redis-server exited at start on port ${port} (is the port taken?)`);
    }
    const pid = await processIdAt(port, password);
    if (pid === child.pid) return child;
    if (pid !== null) {
      await kill(child, 'SIGKILL');
      throw new PortTakenError(`another process (pid ${pid}) answers on port ${port}`);
    }
    await sleep(50);
  }
  await kill(child, 'SIGKILL');
  throw new Error(`redis-server did not start on port ${port} within ${READY_WITHIN_MS} ms`);
}

/** The pid of the Redis server answering on `port`, or `null` when none answers (yet). */
async function processIdAt(port: number, password: string | undefined): Promise<number | null> {
  const client = new Redis({
    host: '127.0.0.1',
    port,
    password,
    lazyConnect: true,
    connectTimeout: 500,
    commandTimeout: 500,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    const info = await client.info('server');
    const match = /^process_id:(\d+)/m.exec(info);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  } finally {
    client.disconnect();
  }
}

async function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

function argumentAfter(args: readonly string[], flag: string): string | undefined {
  const at = args.indexOf(flag);
  return at >= 0 ? args[at + 1] : undefined;
}
