import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { freePort } from '@test/support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { call, createAgent, postMessage } from './http';
import { type NginxProcess, prepareNginx, requireNginx, startNginx } from './nginx-process';
import { type ServerProcess, startServerProcess } from './server-process';
import { openSse } from './sse-client';

const nginx = requireNginx();

describe('deploy/compose.yaml', () => {
  const compose = parse(readFileSync(new URL('../../../deploy/compose.yaml', import.meta.url), 'utf8')) as {
    services: Record<string, { environment?: Record<string, string>; image?: string; build?: unknown }>;
  };

  it('runs Postgres with pgvector, Redis, the server, nginx, an OTel collector and Prometheus', () => {
    expect(Object.keys(compose.services).sort()).toEqual([
      'nginx',
      'otel-collector',
      'postgres',
      'prometheus',
      'redis',
      'server',
    ]);
    expect(compose.services.postgres?.image).toMatch(/^pgvector\/pgvector:/);
  });

  it('points the server at the other services by their compose names', () => {
    const env = compose.services.server?.environment ?? {};
    expect(env.LETTA_PG_URI).toContain('@postgres:5432/');
    expect(env.LETTA_REDIS_HOST).toBe('redis');
    expect(env.LETTA_OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://otel-collector:4317');
    expect(env.HOST).toBe('0.0.0.0');
  });
});

describe.skipIf(!nginx)('deploy/nginx.conf in front of the server', () => {
  let server: ServerProcess;
  let proxy: NginxProcess;

  beforeAll(async () => {
    server = await startServerProcess({ env: { LETTA_KEEPALIVE_INTERVAL: '0.3' } });
    proxy = await startNginx(nginx ?? 'nginx', Number(new URL(server.url).port));
  });
  afterAll(async () => {
    await proxy?.stop();
    await server?.cleanup();
  });

  it('passes nginx -t', async () => {
    const { check } = prepareNginx(nginx ?? 'nginx', 8283, await freePort());
    expect(check.output).toContain('syntax is ok');
    expect(check.status).toBe(0);
  });

  it('proxies ordinary requests', async () => {
    expect(await call(`${proxy.url}/v1/health/`)).toMatchObject({ status: 200, body: { status: 'ok' } });
    const agent = await createAgent(proxy.url);
    expect(await call(`${proxy.url}/v1/agents/${agent.id}`)).toMatchObject({ status: 200, body: agent });
  });

  it('delivers each SSE event while the stream is still open (unbuffered)', async () => {
    const agent = await createAgent(proxy.url);
    // Browsers ask for gzip; a proxy that compressed the stream would hold events back in its buffer.
    const stream = await openSse(`${proxy.url}/v1/agents/${agent.id}/messages/stream`, {
      'accept-encoding': 'gzip, deflate',
    });
    try {
      expect(stream.status).toBe(200);
      expect(stream.headers['content-encoding']).toBeUndefined();
      await stream.waitFor((event) => event.event === 'comment' && event.data === 'keepalive');
      for (const content of ['first', 'second']) {
        const sent = performance.now();
        await postMessage(proxy.url, agent.id, content);
        const event = await stream.waitFor(
          (received) => received.data.includes(`"content":"${content}"`),
          3_000,
        );
        expect(event.at).toBeGreaterThan(sent);
      }
      // A few hundred bytes in total: a buffering proxy would still be holding all of it.
      expect(stream.endedAt()).toBeUndefined();
    } finally {
      stream.close();
    }
  });
});

/**
 * Accepts connections and resets each one once a request arrives, unanswered: what the kernel does to
 * the connections still in a listener's accept queue when a draining server closes it.
 */
async function startResettingUpstream(): Promise<{ port: number; requests: () => number; server: Server }> {
  let requests = 0;
  const server = createServer((socket) => {
    socket.once('data', () => {
      requests++;
      socket.resetAndDestroy();
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { port, requests: () => requests, server };
}

describe.skipIf(!nginx)('deploy/nginx.conf when an upstream resets a POST before answering', () => {
  const DIRECTIVE = 'proxy_next_upstream error non_idempotent;';
  let server: ServerProcess;
  let resetting: Awaited<ReturnType<typeof startResettingUpstream>>;

  beforeAll(async () => {
    server = await startServerProcess();
    resetting = await startResettingUpstream();
  });
  afterAll(async () => {
    resetting?.server.close();
    await server?.cleanup();
  });

  /** POSTs `count` messages through nginx in front of the resetting upstream and the server. */
  async function postThrough(adjust: (conf: string) => string, count: number) {
    const proxy = await startNginx(
      nginx ?? 'nginx',
      [resetting.port, Number(new URL(server.url).port)],
      adjust,
    );
    try {
      const agent = await createAgent(server.url);
      const before = resetting.requests();
      const statuses: number[] = [];
      for (let i = 0; i < count; i++) statuses.push((await postMessage(proxy.url, agent.id, `m${i}`)).status);
      return { statuses, reset: resetting.requests() - before };
    } finally {
      await proxy.stop();
    }
  }

  it('passes the POST to the next instance (201), where without proxy_next_upstream it answers 502', async () => {
    const passedOn = await postThrough((conf) => conf, 6);
    const without = await postThrough((conf) => {
      if (!conf.includes(DIRECTIVE)) throw new Error(`deploy/nginx.conf no longer contains "${DIRECTIVE}"`);
      return conf.replace(DIRECTIVE, '');
    }, 6);
    process.stdout.write(
      `[nginx] POSTs reset before a response header: ${JSON.stringify({ passedOn, without })}\n`,
    );
    expect(passedOn.reset).toBeGreaterThan(0);
    expect(new Set(passedOn.statuses)).toEqual(new Set([201]));
    expect(without.reset).toBeGreaterThan(0);
    expect(without.statuses).toContain(502);
  });
});
