import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMetricRegistry } from '@letta/telemetry';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../src/agent-store';
import { type MessageFanOut, processFanOut } from '../src/message-fan-out';
import { MessageStreams } from '../src/message-streams';
import { openSse } from './sse-client';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

const AGENT = 'agent-slow';
const BUFFERED = 5;
// Large enough that a few of them fill the socket buffers of a client that stopped reading.
const content = 'x'.repeat(256 * 1024);
const message = (sequenceId: number): Message => ({
  id: `message-${sequenceId}`,
  agentId: AGENT,
  runId: null,
  role: 'user',
  content,
  sequenceId,
  createdAt: new Date(0).toISOString(),
  otid: null,
});

describe('a client that does not keep up', () => {
  let fanOut: MessageFanOut;
  let streams: MessageStreams;
  let server: Server;
  let url: string;

  beforeEach(async () => {
    fanOut = processFanOut();
    streams = new MessageStreams({
      keepaliveMs: null,
      pollMs: 60_000,
      // Nothing in the "database" before the stream opened: everything arrives as announcements.
      read: async () => [],
      readLimit: 100,
      maxConcurrentReads: 1,
      maxBufferedMessages: BUFFERED,
      fanOut,
      sweepMs: 60_000,
      lastSequenceIds: async () => new Map(),
      metrics: createMetricRegistry(),
      logger: silent,
    });
    server = createServer((request, response) => {
      void streams.serve(response, {}, AGENT, Number(request.headers['last-event-id'] ?? 0));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterEach(async () => {
    streams.endAll();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('is closed with its resume id past its buffer, while a fast client gets every message', async () => {
    const slow = await openSse(url);
    const fast = await openSse(url);
    slow.pause();
    const total = 60;
    for (let sequenceId = 1; sequenceId <= total; sequenceId++) {
      await fanOut.publish(message(sequenceId));
      // Let the fast client read, so only the paused one falls behind.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await fast.waitFor((event) => event.id === String(total), 10_000);
    expect(fast.events.map((event) => Number(event.id))).toEqual(
      Array.from({ length: total }, (_, i) => i + 1),
    );

    slow.resume();
    await slow.ended;
    const ids = slow.events.filter((event) => event.event === 'message').map((event) => Number(event.id));
    const last = slow.events.at(-1);
    expect(last?.event).toBe('error');
    const { lastEventId, message: text } = JSON.parse(last?.data ?? '{}');
    // Everything it was sent, in order, and the id to resume from is the last one it got.
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => i + 1));
    expect(ids.length).toBeLessThan(total);
    expect(lastEventId).toBe(String(ids.at(-1)));
    expect(text).toContain(`Last-Event-ID: ${lastEventId}`);
    fast.close();
  });
});
