import type { Logger } from '@letta/core';
import type { BlockingConnections } from './blocking-connections';
import type { CommandRunner, Operation } from './command-runner';
import type { ConnectionOptions, RedisConnection } from './ioredis-connection';
import {
  ACQUIRE_SCRIPT,
  EXTEND_SCRIPT,
  evalScript,
  type LockCommands,
  type LockScript,
  lockReplicationError,
  RELEASE_SCRIPT,
  type ReplicatedReply,
  sendAndWait,
} from './redis-locks';

type Arg = string | number;

/**
 * Runs the lock scripts of one client. Without `lockReplicas` they run on the command connection; with
 * it, acquisitions and extensions are followed by `WAIT` on a connection for blocking calls (`WAIT`
 * blocks its connection), and a write too few replicas acknowledged is refused.
 */
export class LockWriter implements LockCommands {
  readonly #connection: RedisConnection;
  readonly #blocking: BlockingConnections;
  readonly #runner: CommandRunner;
  readonly #options: ConnectionOptions;
  readonly #logger: Logger;

  constructor(
    connection: RedisConnection,
    blocking: BlockingConnections,
    runner: CommandRunner,
    options: ConnectionOptions,
    logger: Logger,
  ) {
    this.#connection = connection;
    this.#blocking = blocking;
    this.#runner = runner;
    this.#options = options;
    this.#logger = logger;
  }

  /** Takes the lock; `null` when taken, else the holder's token. */
  async acquire(name: string, token: string, ttlMs: number): Promise<string | null> {
    return (await this.#write('acquire', name, token, ttlMs)) as string | null;
  }

  async extend(name: string, token: string, ttlMs: number): Promise<boolean> {
    return (await this.#write('extend', name, token, ttlMs)) === 1;
  }

  /** Not waited for: a release a failover loses only leaves the lock to expire. */
  async release(name: string, token: string): Promise<boolean> {
    return (await this.#script(this.#runner.operations.releaseLock, RELEASE_SCRIPT, name, [token])) === 1;
  }

  /**
   * Runs the acquire or extend script, waiting for `lockReplicas` when set. A write they do not
   * acknowledge in time throws a `LockReplicationError`; a refused acquisition is released first.
   */
  async #write(write: 'acquire' | 'extend', name: string, token: string, ttlMs: number): Promise<unknown> {
    const acquiring = write === 'acquire';
    const { operations } = this.#runner;
    const operation = acquiring ? operations.acquireLock : operations.extendLock;
    const script = acquiring ? ACQUIRE_SCRIPT : EXTEND_SCRIPT;
    const args = [token, ttlMs];
    const { lockReplicas: replicas, lockReplicaTimeoutMs: timeoutMs, commandTimeoutMs } = this.#options;
    if (replicas === 0) return this.#script(operation, script, name, args);
    const ms = timeoutMs + commandTimeoutMs;
    const deadline = {
      ms,
      command: 'WAIT',
      describe: () =>
        `Redis lock ${write} with WAIT ${replicas} ${timeoutMs} got no reply from ` +
        `${this.#options.topology.where} within ${ms} ms (lockReplicaTimeoutMs plus commandTimeoutMs). ` +
        'Check that the server is reachable and not overloaded.',
    };
    const { reply, acknowledged } = await this.#runner.run(operation, () =>
      this.#blocking.use(
        (connection) =>
          evalScript<ReplicatedReply>(script, name, args, (command) =>
            sendAndWait(connection, command, replicas, timeoutMs),
          ),
        deadline,
      ),
    );
    const written = acquiring ? reply === null : reply === 1;
    if (!written || acknowledged >= replicas) return reply;
    if (acquiring) {
      await this.release(name, token).catch((error: unknown) => {
        this.#logger.debug(
          { error: (error as Error).message },
          'Redis lock release after a refused grant failed',
        );
      });
    }
    throw lockReplicationError(write, name, acknowledged, replicas, timeoutMs);
  }

  #script(operation: Operation, script: LockScript, key: string, args: Arg[]): Promise<unknown> {
    return this.#runner.run(operation, () =>
      evalScript(script, key, args, ([command, ...rest]) => this.#connection.call(String(command), ...rest)),
    );
  }
}
