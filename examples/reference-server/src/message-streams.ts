import type { ServerResponse } from 'node:http';
import type { Logger, MetricRegistry } from '@letta/telemetry';
import type { Message } from './agent-store';
import { errorName } from './error-name';

export interface MessageStreamOptions {
  /** Send a `: keepalive` comment after this long without data (Letta's `keepalive_interval`), or never. */
  keepaliveMs: number | null;
  /** How often an idle stream re-reads the database, to see messages that other instances wrote. */
  pollMs: number;
  /** Reads the agent's messages after a sequence id, in order. */
  read(agentId: string, after: number): Promise<Message[]>;
  metrics: Pick<MetricRegistry, 'sseActiveSessionsCounter' | 'sseDurationMsHistogram'>;
  logger: Logger;
}

interface OpenStream {
  readonly agentId: string;
  wake(): void;
  end(event?: string): void;
}

/**
 * Server-sent event streams of an agent's messages. A stream sends the messages after the client's
 * last seen sequence id (`Last-Event-ID` or `?after=`), then each new one, with keepalive comments in
 * between. Writes in this process wake the streams at once; others are seen on the next poll.
 */
export class MessageStreams {
  readonly #open = new Set<OpenStream>();
  readonly #options: MessageStreamOptions;

  constructor(options: MessageStreamOptions) {
    this.#options = options;
  }

  /** A message for `agentId` was committed. */
  notify(agentId: string): void {
    for (const stream of this.#open) if (stream.agentId === agentId) stream.wake();
  }

  /** Ends every stream with a `shutdown` event so clients reconnect elsewhere (with `Last-Event-ID`). */
  endAll(): void {
    for (const stream of this.#open) stream.end('event: shutdown\ndata: {}\n\n');
  }

  /**
   * Streams into `response`, whose status line and headers the caller has not sent yet. Resolves when
   * the stream ends: the client went away, `endAll` was called, or reading failed.
   */
  async serve(response: ServerResponse, headers: Record<string, string>, agentId: string, after: number) {
    const { keepaliveMs, pollMs, read, metrics, logger } = this.#options;
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
    // A wake-up that lands while the database is being read must not be lost: it forces another read.
    let pending = false;
    let resolveWait: (() => void) | undefined;
    const wake = () => {
      pending = true;
      resolveWait?.();
    };
    let lastWrite = performance.now();
    const write = (chunk: string) => {
      response.write(chunk);
      lastWrite = performance.now();
    };
    const stream: OpenStream = {
      agentId,
      wake,
      end: (event) => {
        if (ended) return;
        ended = true;
        if (event && !response.writableEnded) response.write(event);
        response.end();
        wake();
      },
    };
    response.once('close', () => stream.end());

    const started = performance.now();
    this.#open.add(stream);
    metrics.sseActiveSessionsCounter.add(1);
    try {
      let last = after;
      while (!ended) {
        pending = false;
        const messages = await read(agentId, last);
        for (const message of messages) {
          write(`id: ${message.sequenceId}\nevent: message\ndata: ${JSON.stringify(message)}\n\n`);
          last = message.sequenceId;
        }
        // A slow client: wait until its socket takes more, rather than buffering its whole history.
        if (response.writableNeedDrain) {
          await new Promise((resolve) => {
            response.once('drain', resolve);
            response.once('close', resolve);
          });
        }
        if (ended || pending || messages.length > 0) continue;
        const idleMs = performance.now() - lastWrite;
        const untilKeepalive = keepaliveMs === null ? Number.POSITIVE_INFINITY : keepaliveMs - idleMs;
        if (untilKeepalive <= 0) {
          write(': keepalive\n\n');
          continue;
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(pollMs, untilKeepalive));
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
      this.#open.delete(stream);
      metrics.sseActiveSessionsCounter.add(-1);
      metrics.sseDurationMsHistogram.record(performance.now() - started);
    }
  }
}
