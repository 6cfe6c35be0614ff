import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, type Engine } from '@letta/db-pool';
import { loadSettings } from '@letta/settings';
import { createMetricRegistry } from '@letta/telemetry';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inProcessAgentLock } from '../src/agent-write-lock';
import { buildApp } from '../src/app';
import { agentServices } from '../src/app-dependencies';
import type { Database } from '../src/database';
import { migrateToLatest } from '../src/migrations';
import { Readiness } from '../src/readiness';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

describe('readiness', () => {
  let home: string;
  let engine: Engine<Database>;
  let app: FastifyInstance;
  let readiness: Readiness;
  let reader: PeriodicExportingMetricReader;
  let exporter: InMemoryMetricExporter;

  beforeEach(async () => {
    home = mkdtempSync(join(tmpdir(), 'letta-readiness-'));
    const settings = loadSettings({ env: { LETTA_DIR: home }, dotenv: false, cwd: home, home });
    exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
    const metrics = createMetricRegistry(new MeterProvider({ readers: [reader] }).getMeter('test'));
    readiness = new Readiness(metrics.readinessStateGauge);
    engine = await createEngine<Database>({ kind: 'sqlite', filename: join(home, 'sqlite.db') });
    await migrateToLatest(engine.db, engine.kind);
    const { store, streams } = agentServices(engine, inProcessAgentLock(), {
      settings,
      metrics,
      logger: silent,
    });
    app = await buildApp({
      settings,
      engine,
      store,
      streams,
      readiness,
      metrics,
      prometheus: null,
      password: null,
      logger: silent,
      version: 'test',
    });
  });
  afterEach(async () => {
    await app.close();
    await engine.close();
    rmSync(home, { recursive: true, force: true });
  });

  async function readinessGauge(): Promise<Record<string, number>> {
    await reader.forceFlush();
    const points = exporter
      .getMetrics()
      .at(-1)
      ?.scopeMetrics.flatMap((scope) => scope.metrics)
      .find((metric) => metric.descriptor.name === 'readiness_state')?.dataPoints;
    return Object.fromEntries(
      (points ?? []).map((point) => [String(point.attributes.reason), Number(point.value)]),
    );
  }

  it('is 503 while warming, 200 once ready, and 503 again from draining on, with the gauge one-hot', async () => {
    expect(await app.inject('/v1/ready/')).toMatchObject({ statusCode: 503, body: '{"status":"warming"}' });
    expect(await readinessGauge()).toEqual({ warming: 1, ready: 0, degraded: 0, draining: 0 });

    readiness.ready();
    expect(await app.inject('/v1/ready/')).toMatchObject({ statusCode: 200, body: '{"status":"ready"}' });
    expect(await readinessGauge()).toEqual({ warming: 0, ready: 1, degraded: 0, draining: 0 });

    readiness.drain();
    readiness.ready();
    expect(await app.inject('/v1/ready/')).toMatchObject({ statusCode: 503, body: '{"status":"draining"}' });
    expect(await readinessGauge()).toEqual({ warming: 0, ready: 0, degraded: 0, draining: 1 });
    expect((await app.inject('/v1/health/')).statusCode).toBe(200);
  });

  it('is 503 while a readiness gate holds it degraded, and 200 once every tripped gate recovers', async () => {
    readiness.ready();
    readiness.degrade('fg_in_flight');
    readiness.degrade('admission_wait');
    expect(await app.inject('/v1/ready/')).toMatchObject({ statusCode: 503, body: '{"status":"degraded"}' });
    expect(await readinessGauge()).toEqual({ warming: 0, ready: 0, degraded: 1, draining: 0 });
    readiness.recover('fg_in_flight');
    expect((await app.inject('/v1/ready/')).statusCode).toBe(503);
    readiness.recover('admission_wait');
    expect(await app.inject('/v1/ready/')).toMatchObject({ statusCode: 200, body: '{"status":"ready"}' });
    expect(await readinessGauge()).toEqual({ warming: 0, ready: 1, degraded: 0, draining: 0 });
  });

  it('is 503 when the database ping fails', async () => {
    readiness.ready();
    await engine.close();
    expect(await app.inject('/v1/ready/')).toMatchObject({
      statusCode: 503,
      body: '{"status":"unavailable","reason":"database"}',
    });
  });

  it('stays 200 while draining with LETTA_READINESS_DRAIN_RETURNS_503=false and enforcement on', async () => {
    const env = {
      LETTA_DIR: home,
      LETTA_READINESS_ENFORCEMENT_ENABLED: 'true',
      LETTA_READINESS_DRAIN_RETURNS_503: 'false',
    };
    const settings = loadSettings({ env, dotenv: false, cwd: home, home });
    const metrics = createMetricRegistry(new MeterProvider({ readers: [] }).getMeter('test'));
    const { store, streams } = agentServices(engine, inProcessAgentLock(), {
      settings,
      metrics,
      logger: silent,
    });
    const drainingApp = await buildApp({
      settings,
      engine,
      store,
      streams,
      readiness,
      metrics,
      prometheus: null,
      password: null,
      logger: silent,
      version: 'test',
    });
    try {
      readiness.ready();
      readiness.drain();
      expect(await drainingApp.inject('/v1/ready/')).toMatchObject({
        statusCode: 200,
        body: '{"status":"draining"}',
      });
      expect((await app.inject('/v1/ready/')).statusCode).toBe(503);
    } finally {
      await drainingApp.close();
    }
  });
});
