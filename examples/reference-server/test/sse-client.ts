import { request } from 'node:http';

/** One server-sent event, or a comment line (`event: 'comment'`), with when it arrived. */
export interface ReceivedEvent {
  event: string;
  id?: string;
  data: string;
  at: number;
}

/** An open SSE response being read event by event. */
export interface SseConnection {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly events: ReceivedEvent[];
  /** Set when the response ended (from the server side or by `close`). */
  endedAt(): number | undefined;
  /** Resolves with the first event (from the start) that `predicate` accepts. */
  waitFor(predicate: (event: ReceivedEvent) => boolean, timeoutMs?: number): Promise<ReceivedEvent>;
  /** Resolves when the response has ended. */
  readonly ended: Promise<void>;
  /** Stops reading from the socket (the server's writes back up), until `resume()`. */
  pause(): void;
  resume(): void;
  close(): void;
}

/** Opens `url` as an event stream and parses events as bytes arrive. */
export function openSse(url: string, headers: Record<string, string> = {}): Promise<SseConnection> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      const events: ReceivedEvent[] = [];
      const listeners = new Set<() => void>();
      let buffer = '';
      let endedAt: number | undefined;
      const ended = new Promise<void>((done) => {
        const finish = () => {
          endedAt ??= performance.now();
          for (const listener of listeners) listener();
          done();
        };
        res.once('end', finish);
        res.once('close', finish);
        res.once('error', finish);
      });
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        for (let split = buffer.indexOf('\n\n'); split >= 0; split = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, split);
          buffer = buffer.slice(split + 2);
          events.push(parseBlock(block));
        }
        for (const listener of listeners) listener();
      });
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        events,
        endedAt: () => endedAt,
        ended,
        waitFor(predicate, timeoutMs = 5_000) {
          return new Promise((found, fail) => {
            const check = () => {
              const match = events.find(predicate);
              if (match) {
                cleanup();
                found(match);
              } else if (endedAt !== undefined) {
                cleanup();
                fail(new Error(`the stream ended without the expected event; got ${JSON.stringify(events)}`));
              }
            };
            const timer = setTimeout(() => {
              cleanup();
              fail(new Error(`no expected event within ${timeoutMs} ms; got ${JSON.stringify(events)}`));
            }, timeoutMs);
            const cleanup = () => {
              clearTimeout(timer);
              listeners.delete(check);
            };
            listeners.add(check);
            check();
          });
        },
        pause: () => res.pause(),
        resume: () => res.resume(),
        close: () => req.destroy(),
      });
    });
    req.once('error', reject);
    req.end();
  });
}

function parseBlock(block: string): ReceivedEvent {
  const received: ReceivedEvent = { event: 'message', data: '', at: performance.now() };
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) return { event: 'comment', data: line.slice(1).trim(), at: received.at };
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') received.event = value;
    else if (field === 'id') received.id = value;
    else if (field === 'data') data.push(value);
  }
  received.data = data.join('\n');
  return received;
}
