import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, loggerOptionsFromSettings, TelemetryOptionsError } from '@letta/telemetry';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lettaSettings, loggerOptions } from './fixtures';

function sink() {
  const lines: string[] = [];
  return {
    lines,
    destination: { write: (line: string) => void lines.push(line) },
    json: () => lines.map((l) => JSON.parse(l)),
  };
}

/** A `Secret` as `@letta/settings` makes it: revealable, printed as `[redacted]`. */
function secret(value: string) {
  return { reveal: () => value, toString: () => '[redacted]' };
}

describe('createLogger: level', () => {
  it('maps Python level names and lets LETTA_DEBUG win', () => {
    expect(loggerOptionsFromSettings(lettaSettings()).level).toBe('warn');
    expect(loggerOptionsFromSettings(lettaSettings({ logging: { logLevel: 'critical' } })).level).toBe(
      'fatal',
    );
    expect(loggerOptionsFromSettings(lettaSettings({ logging: { logLevel: 'INFO' } })).level).toBe('info');
    expect(
      loggerOptionsFromSettings(lettaSettings({ debug: true, logging: { logLevel: 'ERROR' } })).level,
    ).toBe('debug');
  });

  it('rejects an unknown level name, naming the variable', () => {
    const build = () => createLogger(loggerOptions({ logging: { logLevel: 'LOUD' } }));
    expect(build).toThrow(TelemetryOptionsError);
    expect(build).toThrow(
      expect.objectContaining({
        code: 'ERR_TELEMETRY_OPTIONS',
        issues: [expect.objectContaining({ path: 'logging.logLevel', envVar: 'LETTA_LOGGING_LOG_LEVEL' })],
      }),
    );
    expect(build).toThrow(/LETTA_LOGGING_LOG_LEVEL must be a Python level name .* but it is "LOUD"/);
  });

  it('writes only lines at or above the level', () => {
    const out = sink();
    const logger = createLogger(loggerOptions({ logging: { logLevel: 'WARNING' } }), {
      destination: out.destination,
    });
    logger.info({}, 'hidden');
    logger.warn({ attempt: 2 }, 'shown');
    expect(out.json()).toEqual([
      { level: 'WARNING', timestamp: expect.any(String), logger: 'Letta', attempt: 2, message: 'shown' },
    ]);
    expect(new Date(out.json()[0].timestamp).toISOString()).toBe(out.json()[0].timestamp);
  });
});

describe('createLogger: secrets', () => {
  it('never writes a secret: secret-named fields, Secret values, URI passwords, authorization headers', () => {
    const out = sink();
    const logger = createLogger(loggerOptions({ logging: { logLevel: 'DEBUG' } }), {
      destination: out.destination,
    });
    const child = logger.child({ redisPassword: secret('child-secret') });
    child.info(
      {
        pgUri: 'postgresql://letta:pg-secret@db:5432/letta',
        apiKey: 'sk-live-secret',
        encryption_key: 'enc-secret',
        settings: { lettaPgUri: secret('postgresql://u:nested-secret@h/db'), maxTokens: 4096 },
        req: {
          headers: {
            authorization: 'Bearer bearer-secret',
            cookie: 'session=cookie-secret',
            'x-agent-id': 'agent-1',
          },
        },
        list: [secret('array-secret')],
        output_tokens: 12,
      },
      'connected',
    );
    const text = out.lines.join('');
    for (const value of [
      'child-secret',
      'pg-secret',
      'sk-live-secret',
      'enc-secret',
      'nested-secret',
      'bearer-secret',
      'cookie-secret',
      'array-secret',
    ]) {
      expect(text).not.toContain(value);
    }
    const [line] = out.json();
    expect(line).toMatchObject({
      redisPassword: '[redacted]',
      pgUri: 'postgresql://letta:[redacted]@db:5432/letta',
      apiKey: '[redacted]',
      settings: { lettaPgUri: '[redacted]', maxTokens: 4096 },
      req: { headers: { authorization: '[redacted]', cookie: '[redacted]', 'x-agent-id': 'agent-1' } },
      list: ['[redacted]'],
      output_tokens: 12,
    });
  });

  it('does not change the caller’s object', () => {
    const out = sink();
    const fields = { password: 'p', nested: { token: 't' } };
    createLogger(loggerOptions(), { destination: out.destination }).error(fields, 'failed');
    expect(fields).toEqual({ password: 'p', nested: { token: 't' } });
  });
});

describe('createLogger: trace correlation', () => {
  const provider = new TracerProvider();
  const contextManager = new AsyncLocalStorageContextManager();
  beforeAll(() => {
    context.setGlobalContextManager(contextManager.enable());
  });
  afterAll(() => {
    context.disable();
  });

  it('adds trace_id and span_id of the active span, and nothing outside a span', () => {
    const out = sink();
    const logger = createLogger(loggerOptions(), { destination: out.destination });
    const tracer = provider.getTracer('test');
    let ids: { traceId: string; spanId: string } | undefined;
    tracer.startActiveSpan('request', (span) => {
      ids = span.spanContext();
      logger.warn({ step: 1 }, 'inside');
      span.end();
    });
    logger.warn({}, 'outside');
    const [inside, outside] = out.json();
    expect(inside).toMatchObject({
      trace_id: ids?.traceId,
      span_id: ids?.spanId,
      step: 1,
      message: 'inside',
    });
    expect(inside.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(outside).not.toHaveProperty('trace_id');
    expect(trace.getActiveSpan()).toBeUndefined();
  });
});

describe('createLogger: formats and file', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'letta-telemetry-log-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes readable lines when JSON logging is off: console without time, file with time', () => {
    const out = sink();
    const logger = createLogger(loggerOptions({ lettaDir: dir, logging: { jsonLogging: false } }), {
      destination: out.destination,
      name: 'Letta.server.db',
      file: true,
    });
    logger.warn({ pool: 'core' }, 'pool exhausted');
    expect(out.lines).toEqual(['Letta.server.db - WARNING - pool exhausted {"pool":"core"}\n']);
    const file = readFileSync(join(dir, 'logs', 'Letta.log'), 'utf8');
    expect(file).toMatch(
      /^\d{4}-\d\d-\d\dT[\d:.]+Z - Letta.server.db - WARNING - pool exhausted \{"pool":"core"\}\n$/,
    );
  });

  it('rotates the file like Python: Letta.log, Letta.log.1 .. .<backups>, oldest dropped', () => {
    const path = join(dir, 'rotate', 'Letta.log');
    const logger = createLogger(loggerOptions({ lettaDir: dir }), {
      destination: sink().destination,
      file: { path, maxBytes: 300, backups: 2 },
    });
    for (let i = 0; i < 20; i++) logger.error({ i }, `line ${i}`);
    expect(readdirSync(join(dir, 'rotate')).sort()).toEqual(['Letta.log', 'Letta.log.1', 'Letta.log.2']);
    const read = (name: string) =>
      readFileSync(join(dir, 'rotate', name), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).i as number);
    const live = read('Letta.log');
    const newest = read('Letta.log.1');
    const older = read('Letta.log.2');
    expect(live.at(-1)).toBe(19);
    expect(newest.at(-1)).toBe((live[0] as number) - 1);
    expect(older.at(-1)).toBe((newest[0] as number) - 1);
    for (const name of ['Letta.log', 'Letta.log.1', 'Letta.log.2']) {
      expect(readFileSync(join(dir, 'rotate', name)).length).toBeLessThanOrEqual(300);
    }
  });
});
