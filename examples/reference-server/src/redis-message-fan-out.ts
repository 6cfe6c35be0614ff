import type { RedisClient, StreamReadResult } from '@letta/redis';
import type { Logger } from '@letta/telemetry';
import type { Message } from './agent-store';
import { errorName } from './error-name';
import { LocalSubscribers, type MessageFanOut, type StreamSubscriber } from './message-fan-out';

/**
 * The Redis stream of an agent's announcements, named like Letta's `sse:run:<run_id>`. The `{agents}`
 * hash tag puts every such stream in one Redis Cluster slot, which one `XREAD` over many of them needs.
 */
export const agentStreamKey = (agentId: string) => `sse:{agents}:agent:${agentId}`;
const AGENT_KEY_PREFIX = agentStreamKey('');
/** An entry here ends the reader's blocking read, so it starts reading a newly subscribed agent. */
export const WAKE_KEY = 'sse:{agents}:wake';

export interface RedisMessageFanOutOptions {
  /** How long one blocking `XREAD` waits before it is issued again. */
  blockMs: number;
  /** Each agent's stream keeps about this many entries (`MAXLEN ~`); replay comes from the database. */
  maxlen: number;
  /** A message whose JSON is longer is announced without its body; streams read it from the database. */
  maxInlineBytes: number;
  /** The longest pause between attempts to reach Redis again. */
  maxRetryDelayMs: number;
  logger: Logger;
}

interface AgentCursor {
  /** The last entry read from the agent's stream; `null` until it is known. */
  lastId: string | null;
  /** Settles when `lastId` has been looked up. */
  resolving: Promise<void> | null;
}

/**
 * Announces committed messages on a Redis stream per agent (`XADD … MAXLEN ~`) and reads the streams
 * of every agent with an open stream in this process with one blocking `XREAD` at a time, so an
 * instance holds one Redis reading connection whatever the number of its streams. When Redis fails,
 * `live` turns `false` and every stream resyncs from (and polls) the database; when Redis answers again,
 * every stream resyncs once more and the database polling stops.
 */
export class RedisMessageFanOut implements MessageFanOut {
  readonly #redis: RedisClient;
  readonly #options: RedisMessageFanOutOptions;
  readonly #subscribers = new LocalSubscribers();
  readonly #cursors = new Map<string, AgentCursor>();
  #live = false;
  #closed = false;
  #retryTimer: { timer: NodeJS.Timeout; resolve: () => void } | null = null;

  constructor(redis: RedisClient, options: RedisMessageFanOutOptions) {
    this.#redis = redis;
    this.#options = options;
    void this.#readLoop();
  }

  get live(): boolean {
    return this.#live;
  }

  async publish(message: Message): Promise<void> {
    // Streams of this process hear it at once; the announcement through Redis reaches the others.
    this.#subscribers.deliver(message);
    const body = JSON.stringify(message);
    const fields: Record<string, string> = { sequenceId: String(message.sequenceId) };
    if (Buffer.byteLength(body) <= this.#options.maxInlineBytes) fields.message = body;
    try {
      await this.#redis.xadd(agentStreamKey(message.agentId), fields, { maxlen: this.#options.maxlen });
    } catch (error) {
      // Committed already: streams elsewhere find it in the database (on resync, a gap or a poll).
      this.#options.logger.warn(
        { agentId: message.agentId, sequenceId: message.sequenceId, errorType: errorName(error) },
        'Announcing a message through Redis failed',
      );
    }
  }

  async subscribe(agentId: string, subscriber: StreamSubscriber): Promise<() => void> {
    const remove = this.#subscribers.add(agentId, subscriber);
    let cursor = this.#cursors.get(agentId);
    if (!cursor) {
      cursor = { lastId: null, resolving: null };
      this.#cursors.set(agentId, cursor);
      if (this.#live) {
        await this.#resolve(agentId, cursor).catch(() => this.#setLive(false));
        await this.#redis.xadd(WAKE_KEY, { agentId }, { maxlen: 10 }).catch(() => this.#setLive(false));
      }
    } else if (cursor.resolving) {
      await cursor.resolving.catch(() => {});
    }
    return () => {
      if (remove()) this.#cursors.delete(agentId);
    };
  }

  /** Stops reading; a blocking read in progress ends when the Redis client closes. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#retryTimer) {
      clearTimeout(this.#retryTimer.timer);
      this.#retryTimer.resolve();
    }
  }

  /** Looks up where the agent's stream ends now, so the reader misses nothing announced from here on. */
  #resolve(agentId: string, cursor: AgentCursor): Promise<void> {
    cursor.resolving ??= this.#redis
      .xrevrange(agentStreamKey(agentId), { count: 1 })
      .then((last) => {
        cursor.lastId = last[0]?.id ?? '0-0';
      })
      .finally(() => {
        cursor.resolving = null;
      });
    return cursor.resolving;
  }

  async #readLoop(): Promise<void> {
    let failures = 0;
    while (!this.#closed) {
      try {
        // Agents subscribed while Redis was failing: their streams read the database once more after this.
        const unresolved = [...this.#cursors].filter(([, cursor]) => cursor.lastId === null);
        await Promise.all(unresolved.map(([agentId, cursor]) => this.#resolve(agentId, cursor)));
        if (!this.#live) {
          if (!(await this.#redis.ping())) throw new Error('Redis did not answer PING');
          this.#setLive(true);
        } else {
          for (const [agentId] of unresolved) this.#subscribers.resync(agentId);
        }
        const streams: Record<string, string> = { [WAKE_KEY]: '$' };
        for (const [agentId, cursor] of this.#cursors) {
          if (cursor.lastId !== null) streams[agentStreamKey(agentId)] = cursor.lastId;
        }
        const results = await this.#redis.xread(streams, { block: this.#options.blockMs, count: 100 });
        if (this.#closed) break;
        this.#dispatch(results);
        failures = 0;
      } catch (error) {
        if (this.#closed) break;
        if (this.#live || failures === 0) {
          this.#options.logger.warn(
            { errorType: errorName(error) },
            'Reading message announcements from Redis failed; streams read the database until it answers',
          );
        }
        this.#setLive(false);
        failures++;
        await this.#pause(Math.min(this.#options.maxRetryDelayMs, 50 * 2 ** Math.min(failures, 10)));
      }
    }
  }

  #dispatch(results: StreamReadResult[]): void {
    for (const { stream, messages } of results) {
      if (!stream.startsWith(AGENT_KEY_PREFIX)) continue;
      const agentId = stream.slice(AGENT_KEY_PREFIX.length);
      const cursor = this.#cursors.get(agentId);
      if (!cursor) continue;
      for (const entry of messages) {
        cursor.lastId = entry.id;
        const message = parseAnnouncement(entry.fields.message);
        // Announced without its body (or unreadable): the streams read it from the database.
        if (message === null) this.#subscribers.resync(agentId);
        else this.#subscribers.deliver(message);
      }
    }
  }

  #setLive(live: boolean): void {
    if (this.#live === live) return;
    this.#live = live;
    if (live) this.#options.logger.info({}, 'Reading message announcements from Redis');
    this.#subscribers.resyncAll();
  }

  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#retryTimer = null;
        resolve();
      }, ms);
      this.#retryTimer = { timer, resolve };
    });
  }
}

function parseAnnouncement(body: string | undefined): Message | null {
  if (body === undefined) return null;
  try {
    return JSON.parse(body) as Message;
  } catch {
    return null;
  }
}

/** The fan-out the reference server runs: a 5 s blocking read, about 100 entries kept per agent. */
export function redisMessageFanOut(redis: RedisClient, logger: Logger): RedisMessageFanOut {
  return new RedisMessageFanOut(redis, {
    blockMs: 5_000,
    maxlen: 100,
    maxInlineBytes: 16 * 1024,
    maxRetryDelayMs: 1_000,
    logger,
  });
}
