import type { ServerResponse } from 'node:http';
import type { Logger, MetricRegistry } from '@letta/telemetry';
import type { Message } from './agent-store';
import { errorName } from './error-name';
import { EventStream } from './event-stream';

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

/**
 * Server-sent event streams of an agent's messages. A stream sends the messages after the client's
 * last seen sequence id (`Last-Event-ID` or `?after=`), then each new one, with keepalive comments in
 * between. Writes in this process wake the streams at once; others are seen on the next poll.
 */
export class MessageStreams {
  readonly #open = new Set<EventStream>();
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
    const { metrics, logger } = this.#options;
    const stream = new EventStream(response, headers, agentId);
    const started = performance.now();
    this.#open.add(stream);
    metrics.sseActiveSessionsCounter.add(1);
    try {
      await this.#send(stream, after);
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

  /** Sends messages after `after` until the stream ends, with keepalives while there are none. */
  async #send(stream: EventStream, after: number): Promise<void> {
    const { keepaliveMs, pollMs, read } = this.#options;
    let last = after;
    while (!stream.ended) {
      stream.takePending();
      const messages = await read(stream.agentId, last);
      for (const message of messages) {
        stream.write(`id: ${message.sequenceId}\nevent: message\ndata: ${JSON.stringify(message)}\n\n`);
        last = message.sequenceId;
      }
      await stream.drained();
      // A wake-up that landed during the read forces another read.
      if (stream.ended || stream.takePending() || messages.length > 0) continue;
      const untilKeepalive = keepaliveMs === null ? Number.POSITIVE_INFINITY : keepaliveMs - stream.idleMs();
      if (untilKeepalive <= 0) {
        stream.write(': keepalive\n\n');
        continue;
      }
      await stream.sleep(Math.min(pollMs, untilKeepalive));
    }
  }
}
