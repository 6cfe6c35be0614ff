import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireProgram, requireService, startReferenceServer, testPgUri } from '@test/support';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createThrowawayDatabase,
  type ThrowawayDatabase,
} from '../../examples/reference-server/test/throwaway-database';
import { manifestBudget } from './connection-budget';
import { kustomizeScaledOverlay } from './kubernetes-manifests';
import { podEnvironment } from './pod-environment';

const kubectl = requireProgram('kubectl', 'install kubectl, which includes kustomize');
const postgres = await requireService('postgres');

/** The reserve the server's budget check keeps beyond the server's reserved connections (its default). */
const CHECK_RESERVE = 10;

async function availableConnections(): Promise<number> {
  const client = new pg.Client({ connectionString: testPgUri() });
  await client.connect();
  try {
    const { rows } = await client.query<{ available: number }>(
      "select current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int " +
        'as available',
    );
    return (rows[0]?.available ?? 0) - CHECK_RESERVE;
  } finally {
    await client.end();
  }
}

describe.skipIf(kubectl === null || !postgres)("the server's own connection budget check", () => {
  let scratch = '';
  let database: ThrowawayDatabase;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'letta-server-budget-'));
    database = await createThrowawayDatabase();
  });
  afterAll(async () => {
    await database?.drop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it("counts the autoscaler's maxReplicas, and warns when they outgrow the database", async () => {
    const available = await availableConnections();
    const perReplica = 15;
    // One replica more than this database can hold at the small overlay's pool size.
    const maxReplicas = Math.floor(available / perReplica) + 1;
    const objects = await kustomizeScaledOverlay(kubectl ?? '', 'small', maxReplicas, scratch);
    expect(manifestBudget(objects).perReplica).toBe(perReplica);

    const server = await startReferenceServer({
      env: {
        ...podEnvironment(objects, join(scratch, 'pod')),
        LETTA_PG_URI: database.uri,
        // Without Redis the server uses its in-process lock; this test is about the database.
        LETTA_REDIS_HOST: 'None',
        HOST: '127.0.0.1',
        PORT: '0',
      },
    });
    try {
      const [warning] = await server.waitForOutput(/.*database connection budget exceeded.*/, 5_000);
      expect(JSON.parse(warning)).toMatchObject({
        instances: maxReplicas,
        perInstance: perReplica,
        available,
      });
    } finally {
      await server.cleanup();
    }
  });
});
