import type { ServerResponse } from 'node:http';
import type { Logger, MetricRegistry } from '@letta/telemetry';
import type { Message } from './agent-store';
import { ConcurrencyLimit } from './concurrency-limit';
import { errorName } from './error-name';
import { EventStream } from './event-stream';
import type { MessageFanOut } from './message-fan-out';

export interface MessageStreamOptions {
  /** Send a `: keepalive` comment after this long without data (Letta's `keepalive_interval`), or never. */
  keepaliveMs: number | null;
  /** How often an idle stream re-reads the database while the fan-out is not live (no Redis). */
  pollMs: number;
  /** Reads the agent's messages after a sequence id, in order, at most `readLimit` of them. */
  read(agentId: string, after: number): Promise<Message[]>;
  readLimit: number;
  /** How many database reads all streams together run at once; the others wait. */
  maxConcurrentReads: number;
  /** Announced messages a stream may hold for a client that does not keep up; beyond, it is closed. */
  maxBufferedMessages: number;
  fanOut: MessageFanOut;
  /**
   * While the fan-out is live, how often to compare each agent's last sequence id in the database with
   * what its streams sent, for a message whose announcement was lost (its writer died after the commit).
   */
  sweepMs: number;
  /** The highest sequence id of each of `agentIds` that has messages. */
  lastSequenceIds(agentIds: readonly string[]): Promise<Map<string, number>>;
  metrics: Pick<MetricRegistry, 'sseActiveSessionsCounter' | 'sseDurationMsHistogram'>;
  logger: Logger;
}

/** An open stream, as the sweep sees it. */
interface OpenStream {
  readonly stream: EventStream;
  /** The sequence id of the last message sent. */
  last(): number;
  resync(): void;
}

/** Agents per query of the sweep. */
const SWEEP_BATCH = 500;

const sseEvent = (event: string, data: unknown, id?: number) =>
  `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/**
 * Server-sent event streams of an agent's messages. A stream sends the messages after the client's
 * last seen sequence id (`Last-Event-ID` or `?after=`) from the database, then each new one as the
 * fan-out announces it, with keepalive comments in between. Sequence ids keep the order exact: an
 * announcement already sent is skipped, one after a gap makes the stream read the gap from the
 * database. While the fan-out is not live, idle streams poll the database every `pollMs`.
 */
export class MessageStreams {
  readonly #open = new Set<OpenStream>();
  readonly #options: MessageStreamOptions;
  readonly #reads: ConcurrencyLimit;
  readonly #sweepTimer: NodeJS.Timeout;
  #sweeping = false;

  constructor(options: MessageStreamOptions) {
    this.#options = options;
    this.#reads = new ConcurrencyLimit(options.maxConcurrentReads);
    this.#sweepTimer = setInterval(() => void this.#sweep(), options.sweepMs).unref();
  }

  /** A message was committed: announce it to every stream of its agent, here and on other instances. */
  publish(message: Message): Promise<void> {
    return this.#options.fanOut.publish(message);
  }

  /** Runs a database read for a stream within the streams' shared limit. */
  limitRead<T>(read: () => Promise<T>): Promise<T> {
    return this.#reads.run(read);
  }

  /** Ends every stream with a `shutdown` event so clients reconnect elsewhere (with `Last-Event-ID`). */
  endAll(): void {
    clearInterval(this.#sweepTimer);
    for (const { stream } of this.#open) stream.end('event: shutdown\ndata: {}\n\n');
  }

  /**
   * Streams into `response`, whose status line and headers the caller has not sent yet. Resolves when
   * the stream ends: the client went away, `endAll` was called, it fell too far behind, or reading failed.
   */
  async serve(response: ServerResponse, headers: Record<string, string>, agentId: string, after: number) {
    const { metrics, logger } = this.#options;
    const stream = new EventStream(response, headers, agentId);
    const started = performance.now();
    metrics.sseActiveSessionsCounter.add(1);
    try {
      await this.#send(stream, after);
    } catch (error) {
      logger.warn({ agentId, errorType: errorName(error) }, 'Reading messages for an SSE stream failed');
      stream.end(
        'event: error\ndata: {"message":"Reading messages failed; reconnect with Last-Event-ID to resume."}\n\n',
      );
    } finally {
      metrics.sseActiveSessionsCounter.add(-1);
      metrics.sseDurationMsHistogram.record(performance.now() - started);
    }
  }

  /**
   * Sends messages after `after` until the stream ends: from the database first, then as they are
   * announced, reading the database again after a gap or a resync (and, while the fan-out is not live,
   * every `pollMs`), with keepalives while there are none.
   */
  async #send(stream: EventStream, after: number): Promise<void> {
    const { keepaliveMs, pollMs, read, readLimit, maxBufferedMessages, fanOut } = this.#options;
    let last = after;
    let mustRead = true;
    let lastRead = 0;
    const announced: Message[] = [];
    const send = (message: Message) => {
      stream.write(sseEvent('message', message, message.sequenceId));
      last = message.sequenceId;
    };
    const open: OpenStream = {
      stream,
      last: () => last,
      resync() {
        mustRead = true;
        stream.wake();
      },
    };
    // Subscribed before the first read, so a message committed after that read is announced to us.
    const unsubscribe = await fanOut.subscribe(stream.agentId, {
      deliver(message) {
        if (message.sequenceId <= last) return;
        if (announced.length < maxBufferedMessages) {
          announced.push(message);
          stream.wake();
          return;
        }
        const lastEventId = String(last);
        stream.end(
          sseEvent('error', {
            message: `This client fell more than ${maxBufferedMessages} messages behind; reconnect with Last-Event-ID: ${lastEventId} to resume.`,
            lastEventId,
          }),
        );
      },
      resync: open.resync,
    });
    this.#open.add(open);
    try {
      while (!stream.ended) {
        if (stream.backedUp) {
          await stream.drained();
          continue;
        }
        stream.takePending();
        if (mustRead) {
          mustRead = false;
          lastRead = performance.now();
          const messages = await this.#reads.run(() => read(stream.agentId, last));
          for (const message of messages) send(message);
          if (messages.length >= readLimit) mustRead = true;
        } else {
          const next = announced.shift();
          if (next) {
            if (next.sequenceId === last + 1) send(next);
            else if (next.sequenceId > last) mustRead = true;
          } else {
            const untilKeepalive =
              keepaliveMs === null ? Number.POSITIVE_INFINITY : keepaliveMs - stream.idleMs();
            const untilPoll = fanOut.live ? Number.POSITIVE_INFINITY : lastRead + pollMs - performance.now();
            if (untilKeepalive <= 0) stream.write(': keepalive\n\n');
            else if (untilPoll <= 0) mustRead = true;
            else if (!stream.takePending()) await stream.sleep(Math.min(untilKeepalive, untilPoll));
          }
        }
      }
    } finally {
      this.#open.delete(open);
      unsubscribe();
    }
  }

  /** Resyncs the streams whose agent has a message in the database that they have not sent. */
  async #sweep(): Promise<void> {
    if (this.#sweeping || !this.#options.fanOut.live || this.#open.size === 0) return;
    this.#sweeping = true;
    try {
      const agentIds = [...new Set([...this.#open].map(({ stream }) => stream.agentId))];
      const latest = new Map<string, number>();
      for (let start = 0; start < agentIds.length; start += SWEEP_BATCH) {
        const batch = agentIds.slice(start, start + SWEEP_BATCH);
        for (const [agentId, last] of await this.#reads.run(() => this.#options.lastSequenceIds(batch))) {
          latest.set(agentId, last);
        }
      }
      for (const open of this.#open) {
        if ((latest.get(open.stream.agentId) ?? 0) > open.last()) open.resync();
      }
    } catch (error) {
      this.#options.logger.warn(
        { errorType: errorName(error) },
        'Checking SSE streams against the database failed',
      );
    } finally {
      this.#sweeping = false;
    }
  }
}
