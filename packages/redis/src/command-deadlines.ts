import type { Redis } from 'ioredis';
import type { RedisConnection } from './ioredis-connection';

/** The message ioredis gives a command that timed out; `CommandRunner` turns it into `RedisTimeoutError`. */
export const COMMAND_TIMED_OUT = 'Command timed out';

/** A command awaiting its reply; ioredis' own commands say whether a reply or an error settled them. */
type QueuedCommand = NonNullable<ReturnType<Redis['commandQueue']['peekAt']>>['command'] & {
  readonly isSettled?: boolean;
};

/** What the sweep reads of a connection: its own queue of sent commands, or a cluster's nodes. */
interface SweptConnection {
  readonly commandQueue?: Redis['commandQueue'];
  nodes?(): Redis[];
}

/**
 * Rejects every command on one connection that got no reply within the command timeout, as ioredis'
 * `commandTimeout` does, but from one sweep timer that reads ioredis' queue of commands awaiting a reply,
 * instead of a timer armed and cleared for every command (about 7 % of a local GET). Sending a command
 * costs nothing more; a sweep notes the commands it sees waiting for the first time and rejects those it
 * first saw `timeoutMs` or more ago. A command therefore times out between `timeoutMs` and
 * `timeoutMs + 2 * sweepMs` after it was sent (later only when the event loop is late).
 */
export class CommandDeadlines {
  readonly #connection: SweptConnection;
  /** Sweeps a command waits before it is rejected: enough that `timeoutMs` has surely passed. */
  readonly #sweepsToTimeout: number;
  readonly #firstSeen = new WeakMap<QueuedCommand, number>();
  readonly #timer: NodeJS.Timeout;
  #sweeps = 0;

  constructor(connection: RedisConnection, timeoutMs: number) {
    this.#connection = connection as SweptConnection;
    const sweepMs = Math.min(100, Math.max(5, Math.round(timeoutMs / 50)));
    // A command sent just after a sweep has waited almost one sweep more than the count says.
    this.#sweepsToTimeout = Math.ceil(timeoutMs / sweepMs) + 1;
    this.#timer = setInterval(() => this.#sweep(), sweepMs).unref();
  }

  close(): void {
    clearInterval(this.#timer);
  }

  #sweep(): void {
    const sweep = ++this.#sweeps;
    const connection = this.#connection;
    for (const node of connection.nodes ? connection.nodes() : [connection]) {
      const queue = node.commandQueue;
      if (queue === undefined) continue;
      for (let i = 0; i < queue.length; i++) {
        const command: QueuedCommand | undefined = queue.peekAt(i)?.command;
        if (command === undefined || command.isSettled) continue;
        const firstSeen = this.#firstSeen.get(command);
        if (firstSeen === undefined) this.#firstSeen.set(command, sweep);
        else if (sweep - firstSeen >= this.#sweepsToTimeout) command.reject(new Error(COMMAND_TIMED_OUT));
      }
    }
  }
}
