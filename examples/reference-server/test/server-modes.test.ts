import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@test/support';
import { describe, expect, it } from 'vitest';
import { call, createAgent, postMessage } from './http';
import { runServerToExit, startServerProcess } from './server-process';
import { openSse } from './sse-client';

const START_SCRIPT = fileURLToPath(new URL('../scripts/start.mjs', import.meta.url));
const REPOSITORY = fileURLToPath(new URL('../../../', import.meta.url));

/** Kills every process left in the group `pid` leads; none left is fine. */
function killGroup(pid: number) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

describe('reference server modes', () => {
  it('serves redacted effective settings with their sources on /v1/config in debug mode', async () => {
    const secret = 'hunter2-do-not-print';
    const server = await startServerProcess({
      env: { LETTA_DEBUG: 'true', LETTA_PG_PASSWORD: secret, LETTA_PG_POOL_SIZE: '7' },
    });
    try {
      const response = await fetch(`${server.url}/v1/config`);
      const text = await response.text();
      expect(response.status).toBe(200);
      expect(text).not.toContain(secret);
      const { settings } = JSON.parse(text) as { settings: Array<Record<string, unknown>> };
      const byPath = new Map(settings.map((entry) => [entry.path, entry]));
      expect(byPath.get('pgPassword')).toEqual({
        path: 'pgPassword',
        value: '[redacted]',
        source: 'env',
        envVar: 'LETTA_PG_PASSWORD',
      });
      expect(byPath.get('pgPoolSize')).toMatchObject({
        value: 7,
        source: 'env',
        envVar: 'LETTA_PG_POOL_SIZE',
      });
      expect(byPath.get('keepaliveInterval')).toMatchObject({ value: 20, source: 'default' });
      expect(byPath.get('lettaDir')).toMatchObject({
        value: server.home,
        source: 'env',
        envVar: 'LETTA_DIR',
      });
    } finally {
      await server.cleanup();
    }
    expect(server.output()).not.toContain(secret);
  });

  it('sends no keepalive comments when LETTA_ENABLE_KEEPALIVE is false', async () => {
    const server = await startServerProcess({
      env: { LETTA_ENABLE_KEEPALIVE: 'false', LETTA_KEEPALIVE_INTERVAL: '0.1' },
    });
    try {
      const agent = await createAgent(server.url);
      const stream = await openSse(`${server.url}/v1/agents/${agent.id}/messages/stream`);
      try {
        // Proving an absence takes a window: ten keepalive intervals in which none may arrive.
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        await postMessage(server.url, agent.id, 'only this');
        await stream.waitFor((event) => event.event === 'message');
        expect(stream.events.map((event) => event.event)).toEqual(['message']);
      } finally {
        stream.close();
      }
    } finally {
      await server.cleanup();
    }
  });

  it('requires the password everywhere but health and readiness (Bearer or X-BARE-PASSWORD)', async () => {
    const password = 'correct horse';
    const server = await startServerProcess({ env: { LETTA_SERVER_PASSWORD: password } });
    const { url } = server;
    try {
      expect(server.output()).toContain('password: on');
      expect(server.output()).not.toContain(password);
      expect(await call(`${url}/v1/agents`)).toMatchObject({ status: 401, body: { detail: 'Unauthorized' } });
      expect(await call(`${url}/metrics`)).toMatchObject({ status: 401 });
      expect(await call(`${url}/v1/agents/agent-x/messages/stream`)).toMatchObject({ status: 401 });
      expect(await call(`${url}/v1/agents`, { headers: { authorization: 'Bearer wrong' } })).toMatchObject({
        status: 401,
      });
      expect(
        await call(`${url}/v1/agents`, { headers: { authorization: `Bearer ${password}` } }),
      ).toMatchObject({
        status: 200,
      });
      expect(
        await call(`${url}/v1/agents`, { headers: { 'x-bare-password': `password ${password}` } }),
      ).toMatchObject({ status: 200 });
      for (const path of ['/v1/health/', '/v1/health', '/v1/ready/', '/v1/ready?probe=1']) {
        expect((await call(`${url}${path}`)).status).toBe(200);
      }
      // Browsers send a CORS preflight without credentials.
      const preflight = await call(`${url}/v1/agents`, {
        method: 'OPTIONS',
        headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'GET' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
      // Answered by the password hook, yet recorded under the route and timed from their arrival: all in
      // the 100 ms bucket (each took well under a millisecond), where a time counted from the process
      // start, as an unstamped arrival would give, is about half a second at least.
      const { body } = await call<string>(`${url}/metrics`, {
        headers: { authorization: `Bearer ${password}` },
      });
      expect(body).toMatch(
        /^count_endpoint_requests_total\{endpoint_path="\/v1\/agents",method="GET",status_code="401",.*\} 2$/m,
      );
      expect(body).toMatch(
        /^hist_endpoint_e2e_ms_bucket\{endpoint_path="\/v1\/agents",method="GET",status_code="401",.*le="100"\} 2$/m,
      );
      // The event stream's route, whose handler hijacks its reply, records what is sent all the same.
      expect(body).toMatch(
        /^count_endpoint_requests_total\{endpoint_path="\/v1\/agents\/:agentId\/messages\/stream",method="GET",status_code="401",.*\} 1$/m,
      );
    } finally {
      await server.cleanup();
    }
  });

  it('refuses password mode without a password, and a bad port, with exit code 2', async () => {
    const secure = await runServerToExit(['--secure']);
    expect(secure.code).toBe(2);
    expect(secure.stderr).toContain('LETTA_SERVER_PASSWORD is empty');

    const badPort = await runServerToExit([], { PORT: '80abc' });
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toContain('PORT: expected a port number from 0 to 65535, got "80abc"');

    const unknown = await runServerToExit(['--prot', '1']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--prot'");
  });

  it('exits 1 with the settings problem when a LETTA_* value is invalid, without echoing secrets', async () => {
    const result = await runServerToExit(['--port', '0'], {
      LETTA_PG_POOL_SIZE: 'ten',
      LETTA_PG_PASSWORD: 's3cr3t-value',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('LETTA_PG_POOL_SIZE: expected an integer >= 0, got "ten"');
    expect(result.stderr).not.toContain('s3cr3t-value');
  });

  it('exits 1 naming the problem when the database is unreachable, without the password', async () => {
    const port = await freePort();
    const result = await runServerToExit(['--port', '0'], {
      LETTA_PG_URI: `postgresql://letta:pw-not-for-output@127.0.0.1:${port}/letta`,
      LETTA_PG_POOL_TIMEOUT: '2',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'The server could not start: The database could not be migrated: Pool "core": the database is ' +
        `unavailable (127.0.0.1:${port}/letta cannot be reached: connect ECONNREFUSED 127.0.0.1:${port}).`,
    );
    expect(result.stdout + result.stderr).not.toContain('pw-not-for-output');
  });

  it('prints usage for --help, also through the script behind the root `pnpm start`', async () => {
    for (const entry of [undefined, START_SCRIPT]) {
      const help = await runServerToExit(['--help'], {}, entry);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(
        'Usage: reference-server [--host HOST] [--port PORT] [--instances N] [--secure]',
      );
    }
  });

  it('stops the server, not only pnpm, when the root `pnpm start` gets SIGTERM', async () => {
    const home = mkdtempSync(join(tmpdir(), 'letta-refsrv-'));
    // A process group of its own, so the cleanup also reaches a server that outlived pnpm.
    const pnpm = spawn('pnpm', ['start', '--port', '0'], {
      cwd: REPOSITORY,
      env: { PATH: process.env.PATH ?? '', HOME: home, LETTA_DIR: home },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const exited = new Promise<number | null>((resolve) => pnpm.once('exit', resolve));
    try {
      let output = '';
      const url = await new Promise<string>((resolve, reject) => {
        pnpm.stderr.on('data', (chunk: Buffer) => {
          output += chunk.toString();
        });
        pnpm.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const match = /listening on (http:\/\/\S+)/.exec(output);
          if (match?.[1]) resolve(match[1]);
        });
        exited.then((code) => reject(new Error(`pnpm start exited with ${code}:\n${output}`)));
      });
      expect((await call(`${url}/v1/health/`)).status).toBe(200);

      pnpm.kill('SIGTERM');
      expect(await exited).toBe(0);
      await expect(fetch(`${url}/v1/health/`)).rejects.toThrow();
    } finally {
      if (pnpm.pid !== undefined) killGroup(pnpm.pid);
      rmSync(home, { recursive: true, force: true });
    }
  });
});
