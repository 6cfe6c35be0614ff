import type { ServerResponse } from 'node:http';
import type { MetricRegistry, StructuredLogger } from '@letta/telemetry';
import type { Message } from './agent-store';
import { ConcurrencyLimit } from './concurrency-limit';
import { errorName } from './error-name';
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
  metrics: Pick<MetricRegistry, 'sseActiveSessionsCounter' | 'sseDurationMsHistogram'>;
  logger: StructuredLogger;
}

interface OpenStream {
  end(event?: string): void;
}

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

  constructor(options: MessageStreamOptions) {
    this.#options = options;
    this.#reads = new ConcurrencyLimit(options.maxConcurrentReads);
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
    for (const stream of this.#open) stream.end('event: shutdown\ndata: {}\n\n');
  }

  /**
   * Streams into `response`, whose status line and headers the caller has not sent yet. Resolves when
   * the stream ends: the client went away, `endAll` was called, it fell too far behind, or reading failed.
   */
  async serve(response: ServerResponse, headers: Record<string, string>, agentId: string, after: number) {
    const { keepaliveMs, pollMs, read, readLimit, maxBufferedMessages, fanOut, metrics, logger } =
      this.#options;
    response.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // Tells nginx (and proxies that honour it) not to buffer this response.
      'x-accel-buffering': 'no',
    });
    response.flushHeaders();

    let ended = false;
    let last = after;
    // Set by a resync (or a gap): the database has messages the announcements did not bring.
    let mustRead = true;
    let overflowed = false;
    const announced: Message[] = [];
    let resolveWait: (() => void) | undefined;
    const signal = () => resolveWait?.();
    let lastWrite = performance.now();
    let lastRead = 0;
    const write = (chunk: string) => {
      response.write(chunk);
      lastWrite = performance.now();
    };
    const send = (message: Message) => {
      write(sseEvent('message', message, message.sequenceId));
      last = message.sequenceId;
    };
    const stream: OpenStream = {
      end: (event) => {
        if (ended) return;
        ended = true;
        if (event && !response.writableEnded) response.write(event);
        response.end();
        signal();
      },
    };
    response.once('close', () => stream.end());

    const started = performance.now();
    this.#open.add(stream);
    metrics.sseActiveSessionsCounter.add(1);
    let unsubscribe: (() => void) | undefined;
    try {
      // Subscribed before the first read, so a message committed after that read is announced to us.
      unsubscribe = await fanOut.subscribe(agentId, {
        deliver(message) {
          if (message.sequenceId <= last) return;
          if (announced.length >= maxBufferedMessages) overflowed = true;
          else announced.push(message);
          signal();
        },
        resync() {
          mustRead = true;
          signal();
        },
      });
      while (!ended) {
        if (overflowed) {
          const lastEventId = String(last);
          stream.end(
            sseEvent('error', {
              message: `This client fell more than ${maxBufferedMessages} messages behind; reconnect with Last-Event-ID: ${lastEventId} to resume.`,
              lastEventId,
            }),
          );
          break;
        }
        if (response.writableNeedDrain) {
          // A slow client: wait until its socket takes more; announcements queue up to the bound.
          let drained: (() => void) | undefined;
          await new Promise<void>((resolve) => {
            drained = resolve;
            resolveWait = resolve;
            response.once('drain', resolve);
          });
          if (drained) response.removeListener('drain', drained);
          resolveWait = undefined;
          continue;
        }
        if (mustRead) {
          mustRead = false;
          lastRead = performance.now();
          const messages = await this.#reads.run(() => read(agentId, last));
          for (const message of messages) send(message);
          if (messages.length >= readLimit) mustRead = true;
          continue;
        }
        const next = announced.shift();
        if (next) {
          if (next.sequenceId === last + 1) send(next);
          else if (next.sequenceId > last) mustRead = true;
          continue;
        }
        const idleMs = performance.now() - lastWrite;
        const untilKeepalive = keepaliveMs === null ? Number.POSITIVE_INFINITY : keepaliveMs - idleMs;
        if (untilKeepalive <= 0) {
          write(': keepalive\n\n');
          continue;
        }
        const untilPoll = fanOut.live ? Number.POSITIVE_INFINITY : lastRead + pollMs - performance.now();
        if (untilPoll <= 0) {
          mustRead = true;
          continue;
        }
        const waitMs = Math.min(untilPoll, untilKeepalive);
        await new Promise<void>((resolve) => {
          const timer = Number.isFinite(waitMs) ? setTimeout(resolve, waitMs) : undefined;
          resolveWait = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        resolveWait = undefined;
      }
    } catch (error) {
      logger.warn({ agentId, errorType: errorName(error) }, 'Reading messages for an SSE stream failed');
      stream.end(
        'event: error\ndata: {"message":"Reading messages failed; reconnect with Last-Event-ID to resume."}\n\n',
      );
    } finally {
      unsubscribe?.();
      this.#open.delete(stream);
      metrics.sseActiveSessionsCounter.add(-1);
      metrics.sseDurationMsHistogram.record(performance.now() - started);
    }
  }
}
