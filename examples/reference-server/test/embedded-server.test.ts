import { until } from '@test/support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentBody, call, createAgent, type MessageBody, postMessage } from './http';
import { type ServerProcess, startServerProcess } from './server-process';
import { openSse } from './sse-client';

describe('reference server on embedded defaults (SQLite, no-op Redis)', () => {
  let server: ServerProcess;
  let url: string;

  beforeAll(async () => {
    server = await startServerProcess({ env: { LETTA_KEEPALIVE_INTERVAL: '0.2' } });
    url = server.url;
  });
  afterAll(() => server?.cleanup());

  it('prints its URL and what it runs on', () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.output()).toContain(`database: sqlite (${server.home}/sqlite.db), redis: no-op`);
    expect(server.output()).toContain('writes: in-process lock, otlp: off, password: off');
  });

  it('answers health and readiness with and without the trailing slash', async () => {
    for (const path of ['/v1/health/', '/v1/health']) {
      const { status, body } = await call(`${url}${path}`);
      expect(status).toBe(200);
      expect(body).toEqual({ status: 'ok', version: '0.0.0' });
    }
    for (const path of ['/v1/ready/', '/v1/ready']) {
      expect(await call(`${url}${path}`)).toMatchObject({ status: 200, body: { status: 'ready' } });
    }
  });

  it('serves Prometheus text with pool, readiness and endpoint metrics', async () => {
    await call(`${url}/v1/health/`);
    for (let i = 0; i < 3; i++) await call(`${url}/v1/agents/agent-missing`);
    await call(`${url}/no/such/route`);
    await call(`${url}/no/such/route`, { method: 'DELETE' });
    const { status, headers, body } = await call<string>(`${url}/metrics`);
    expect(status).toBe(200);
    expect(headers.get('content-type')).toContain('text/plain');
    expect(body).toMatch(/^db_client_connection_count\{.*db_client_connection_pool_name="core"/m);
    expect(body).toMatch(/^readiness_state\{reason="ready",.*\} 1$/m);
    expect(body).toMatch(
      /^count_endpoint_requests_total\{endpoint_path="\/v1\/health\/",method="GET",status_code="200"/m,
    );
    // Under the route's template, not the path; what no route matched under `unknown`.
    expect(body).toMatch(
      /^count_endpoint_requests_total\{endpoint_path="\/v1\/agents\/:agentId",method="GET",status_code="404",.*\} 3$/m,
    );
    expect(body).toMatch(
      /^count_endpoint_requests_total\{endpoint_path="unknown",method="GET",status_code="404",.*\} 1$/m,
    );
    expect(body).toMatch(
      /^count_endpoint_requests_total\{endpoint_path="unknown",method="DELETE",status_code="404",.*\} 1$/m,
    );
    expect(body).toMatch(
      /^hist_endpoint_e2e_ms_count\{endpoint_path="unknown",method="GET",status_code="404",.*\} 1$/m,
    );
  });

  it('hides /v1/config unless LETTA_DEBUG is true', async () => {
    const { status, body } = await call(`${url}/v1/config`);
    expect(status).toBe(404);
    expect(body).toEqual({ detail: 'Not found. /v1/config is served only when LETTA_DEBUG is true.' });
  });

  it('creates, reads and pages agents', async () => {
    const first = await createAgent(url, 'first');
    const second = await createAgent(url, 'second');
    expect(first.id).toMatch(/^agent-[0-9a-f-]{36}$/);
    expect(await call(`${url}/v1/agents/${first.id}`)).toMatchObject({ status: 200, body: first });
    expect(await call(`${url}/v1/agents/agent-missing`)).toMatchObject({ status: 404 });

    const page = await call<AgentBody[]>(`${url}/v1/agents?limit=100`);
    const ids = page.body.map((agent) => agent.id);
    expect(ids.indexOf(first.id)).toBeLessThan(ids.indexOf(second.id));
    const next = await call<AgentBody[]>(`${url}/v1/agents?after=${first.id}&limit=1`);
    expect(next.body.map((agent) => agent.id)).toEqual([ids[ids.indexOf(first.id) + 1]]);
  });

  it('rejects invalid input with 422 and the reason', async () => {
    const { status, body } = await call(`${url}/v1/agents`, { body: { name: '' } });
    expect(status).toBe(422);
    expect(body).toEqual({ detail: 'body/name must NOT have fewer than 1 characters' });
    const agent = await createAgent(url);
    expect(
      await call(`${url}/v1/agents/${agent.id}/messages`, { body: { content: 'x', role: 'boss' } }),
    ).toMatchObject({
      status: 422,
    });
    expect(await call(`${url}/v1/agents?limit=1000`)).toMatchObject({ status: 422 });
  });

  it('appends messages as runs with per-agent sequence ids, and lists them', async () => {
    const agent = await createAgent(url);
    const one = await postMessage(url, agent.id, 'one');
    const two = await postMessage(url, agent.id, 'two');
    expect(one.status).toBe(201);
    expect([one.body.message.sequenceId, two.body.message.sequenceId]).toEqual([1, 2]);

    const after = await call<MessageBody[]>(`${url}/v1/agents/${agent.id}/messages?after=1`);
    expect(after.body.map((message) => message.content)).toEqual(['two']);

    const run = await call<{ id: string; status: string; messages: MessageBody[] }>(
      `${url}/v1/runs/${two.body.run.id}`,
    );
    expect(run.body).toMatchObject({ id: two.body.run.id, status: 'completed', agentId: agent.id });
    expect(run.body.messages.map((message) => message.id)).toEqual([two.body.message.id]);
    expect(await call(`${url}/v1/runs/run-missing`)).toMatchObject({ status: 404 });
    expect(await postMessage(url, 'agent-missing', 'x')).toMatchObject({ status: 404 });
  });

  it('serialises concurrent writes to one agent (in-process lock)', async () => {
    const agent = await createAgent(url);
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, i) => postMessage(url, agent.id, `m${i}`)),
    );
    expect(results.every((result) => result.status === 201)).toBe(true);
    const sequence = results.map((result) => result.body.message.sequenceId).sort((a, b) => a - b);
    expect(sequence).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
  });

  it('streams messages as server-sent events with keepalive comments, resuming from Last-Event-ID', async () => {
    const agent = await createAgent(url);
    await postMessage(url, agent.id, 'before');
    const stream = await openSse(`${url}/v1/agents/${agent.id}/messages/stream`);
    try {
      expect(stream.status).toBe(200);
      expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      expect(stream.headers['x-accel-buffering']).toBe('no');
      const before = await stream.waitFor((event) => event.event === 'message');
      expect(before).toMatchObject({ id: '1' });
      expect(JSON.parse(before.data)).toMatchObject({ content: 'before', sequenceId: 1 });

      await stream.waitFor((event) => event.event === 'comment' && event.data === 'keepalive');
      await postMessage(url, agent.id, 'live');
      const live = await stream.waitFor((event) => event.id === '2');
      expect(JSON.parse(live.data)).toMatchObject({ content: 'live' });
      expect(stream.endedAt()).toBeUndefined();
    } finally {
      stream.close();
    }

    const resumed = await openSse(`${url}/v1/agents/${agent.id}/messages/stream`, { 'last-event-id': '1' });
    try {
      const first = await resumed.waitFor((event) => event.event === 'message');
      expect(first.id).toBe('2');
    } finally {
      resumed.close();
    }
    expect(await call(`${url}/v1/agents/agent-missing/messages/stream`)).toMatchObject({ status: 404 });
    // Each stream is recorded once its client has gone away, under the route's template.
    const stream200 =
      /^count_endpoint_requests_total\{endpoint_path="\/v1\/agents\/:agentId\/messages\/stream",method="GET",status_code="200",.*\} 2$/m;
    await until('both streams recorded', async () =>
      stream200.test((await call<string>(`${url}/metrics`)).body),
    );
  });

  it('delivers a long history in order to a client that stops reading for a while', async () => {
    const agent = await createAgent(url);
    const content = 'x'.repeat(50_000);
    for (let i = 0; i < 150; i++) await postMessage(url, agent.id, `${i} ${content}`);
    const stream = await openSse(`${url}/v1/agents/${agent.id}/messages/stream`);
    try {
      stream.pause();
      await new Promise((resolve) => setTimeout(resolve, 300));
      stream.resume();
      await stream.waitFor((event) => event.id === '150', 10_000);
      const ids = stream.events.filter((event) => event.event === 'message').map((event) => Number(event.id));
      expect(ids).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));
    } finally {
      stream.close();
    }
  });

  it('allows the configured CORS origins with credentials, and no others', async () => {
    const allowed = await call(`${url}/v1/agents`, { headers: { origin: 'http://localhost:3000' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    expect(allowed.headers.get('vary')).toBe('Origin');

    const preflight = await call(`${url}/v1/agents`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:4200',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, x-project-id',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:4200');
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type, x-project-id');

    const other = await call(`${url}/v1/agents`, { headers: { origin: 'https://evil.example' } });
    expect(other.status).toBe(200);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(other.headers.get('access-control-allow-credentials')).toBeNull();

    const otherPreflight = await call(`${url}/v1/agents`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    console.log('preflight from a disallowed origin:', otherPreflight.status, otherPreflight.body);
    expect(otherPreflight).toMatchObject({
      status: 400,
      body: { detail: 'Disallowed CORS origin "https://evil.example".' },
    });
    expect(otherPreflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('adds no CORS headers to a request without an Origin', async () => {
    const { status, headers } = await call(`${url}/v1/health/`);
    expect(status).toBe(200);
    for (const name of ['vary', 'access-control-allow-origin', 'access-control-allow-credentials'])
      expect(headers.get(name)).toBeNull();
  });

  it('answers an unknown route with 404 and the route', async () => {
    expect(await call(`${url}/v2/nothing?x=1`)).toMatchObject({
      status: 404,
      body: { detail: 'No route GET /v2/nothing.' },
    });
  });
});
