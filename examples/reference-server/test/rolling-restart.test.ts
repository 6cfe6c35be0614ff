import { freePort, requireService, until } from '@test/support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createAgent, postMessage } from './http';
import { type NginxProcess, requireNginx, startNginx } from './nginx-process';
import { type ServerProcess, startServerProcess } from './server-process';
import { createThrowawayDatabase, realServicesEnv, type ThrowawayDatabase } from './throwaway-database';

const nginx = requireNginx();
const hasPg = await requireService('postgres');
const hasRedis = await requireService('redis');

const INSTANCES = 3;
const WRITERS = 16;
const RESTARTS = 10;
/** SIGTERM to exit, as main.ts promises. */
const EXIT_WITHIN_MS = 10_000;

interface Tally {
  acknowledged: string[];
  statuses: Map<number, number>;
  /** Requests that got no HTTP answer at all (a reset or refused connection at nginx). */
  transportErrors: number;
}

/** Each writer posts to its own agent until `stop` is set, keeping what the server acknowledged. */
function startWriters(url: string, agentIds: readonly string[], stop: { now: boolean }) {
  const tally: Tally = { acknowledged: [], statuses: new Map(), transportErrors: 0 };
  const writer = async (agentId: string, n: number) => {
    for (let i = 0; !stop.now; i++) {
      try {
        const { status, body } = await postMessage(url, agentId, `writer ${n} message ${i}`);
        tally.statuses.set(status, (tally.statuses.get(status) ?? 0) + 1);
        if (status === 201) tally.acknowledged.push(body.message.id);
      } catch {
        tally.transportErrors++;
      }
    }
  };
  const done = Promise.all(agentIds.map((agentId, n) => writer(agentId, n)));
  return { tally, done };
}

describe.skipIf(!nginx || !hasPg || !hasRedis)('a rolling restart behind deploy/nginx.conf', () => {
  let database: ThrowawayDatabase;
  let proxy: NginxProcess;
  const ports: number[] = [];
  const servers: ServerProcess[] = [];

  const start = (port: number) =>
    startServerProcess({
      env: { ...realServicesEnv(database), DRAIN_DELAY: '1', LETTA_PG_POOL_SIZE: '4', INSTANCES: '3' },
      args: ['--port', String(port)],
    });

  beforeAll(async () => {
    database = await createThrowawayDatabase();
    for (let i = 0; i < INSTANCES; i++) ports.push(await freePort());
    servers.push(...(await Promise.all(ports.map(start))));
    proxy = await startNginx(nginx ?? 'nginx', ports);
  }, 60_000);
  afterAll(async () => {
    await proxy?.stop();
    await Promise.all(servers.map((server) => server.cleanup()));
    await database?.drop();
  });

  it(`${RESTARTS} SIGTERMs under ${WRITERS} writers: no 5xx, no 502, no acknowledged write lost`, async () => {
    const agents = await Promise.all(Array.from({ length: WRITERS }, () => createAgent(proxy.url)));
    const stop = { now: false };
    const { tally, done } = startWriters(
      proxy.url,
      agents.map((agent) => agent.id),
      stop,
    );
    const exitMs: number[] = [];
    try {
      for (let restart = 0; restart < RESTARTS; restart++) {
        const slot = restart % INSTANCES;
        const old = servers[slot] as ServerProcess;
        const before = tally.acknowledged.length;
        const started = performance.now();
        old.child.kill('SIGTERM');
        const { code } = await old.exited;
        exitMs.push(Math.round(performance.now() - started));
        expect(code, old.output()).toBe(0);
        await old.cleanup();
        servers[slot] = await start(ports[slot] as number);
        // Writes keep being acknowledged across each restart.
        await until(
          'writes acknowledged after the restart',
          () => tally.acknowledged.length >= before + WRITERS,
          10_000,
          20,
        );
      }
    } finally {
      stop.now = true;
      await done;
    }

    const engine = await database.open<{ messages: { id: string } }>();
    const stored = new Set(
      (await engine.db.selectFrom('messages').select('id').execute()).map((row) => row.id),
    );
    const lost = tally.acknowledged.filter((id) => !stored.has(id));
    // A 502 would come from nginx: a request written into a kept-alive connection as the server closed
    // it (the server never closes an idle one; nginx's keep-alive timeout is the shorter), or into a new
    // connection still in the accept queue when the listener closed, which the kernel resets. nginx
    // passes the latter to another instance (proxy_next_upstream error non_idempotent); they are
    // counted from its error log.
    const serverErrors = [...tally.statuses].filter(([status]) => status >= 500);
    const passedOnAfterReset =
      proxy.errors().match(/while reading response header from upstream/g)?.length ?? 0;
    process.stdout.write(
      `[rolling restart] ${RESTARTS} SIGTERMs across ${INSTANCES} instances, ${WRITERS} writers: ` +
        `${JSON.stringify({
          statuses: Object.fromEntries(tally.statuses),
          transportErrors: tally.transportErrors,
          acknowledged: tally.acknowledged.length,
          acknowledgedButLost: lost.length,
          passedOnAfterReset,
          exitMs,
        })}\n`,
    );
    if (serverErrors.length > 0) process.stdout.write(`[rolling restart] nginx errors:\n${proxy.errors()}\n`);
    expect(serverErrors).toEqual([]);
    expect(tally.transportErrors).toBe(0);
    expect(lost).toEqual([]);
    expect(Math.max(...exitMs)).toBeLessThan(EXIT_WITHIN_MS);
    expect(tally.acknowledged.length).toBeGreaterThan(RESTARTS * WRITERS);
    expect((await call(`${proxy.url}/v1/ready/`)).status).toBe(200);
  }, 240_000);
});
