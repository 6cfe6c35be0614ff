import { type EngineSettingsInput, engineOptionsFromSettings } from '@letta/db-pool';
import { type RedisSettingsInput, redisOptionsFromSettings } from '@letta/redis';
import { loadSettings, type Settings } from '@letta/settings';
import {
  type LoggerSettingsInput,
  loggerOptionsFromSettings,
  type TelemetrySettingsInput,
  telemetryOptionsFromSettings,
} from '@letta/telemetry';
import { describe, expect, expectTypeOf, it } from 'vitest';

// The packages never import @letta/settings; each declares the fields it reads. These checks keep the
// declarations and the real Settings object from drifting apart.
describe('Settings from @letta/settings feeds every package', () => {
  it('satisfies each package’s settings interface', () => {
    expectTypeOf<Settings>().toExtend<EngineSettingsInput>();
    expectTypeOf<Settings>().toExtend<RedisSettingsInput>();
    expectTypeOf<Settings>().toExtend<TelemetrySettingsInput>();
    expectTypeOf<Settings>().toExtend<LoggerSettingsInput>();
  });

  it('turns Letta variables into engine, Redis, telemetry and logging options', () => {
    const settings = loadSettings({
      env: {
        LETTA_PG_URI: 'postgresql://letta:p%40ss@db.internal:5432/letta',
        LETTA_PG_POOL_SIZE: '8',
        LETTA_PG_POOL_TIMEOUT: '3',
        LETTA_DISABLE_SQLALCHEMY_POOLING: 'false',
        LETTA_REDIS_HOST: 'cache.internal',
        LETTA_REDIS_PASSWORD: 'redis-secret',
        LETTA_OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4317',
        LETTA_LOGGING_LOG_LEVEL: 'INFO',
      },
      dotenv: false,
      home: '/nonexistent-home',
      cwd: '/nonexistent-cwd',
    });

    const engine = engineOptionsFromSettings(settings);
    expect(engine).toMatchObject({ kind: 'postgres', poolSize: 8, poolTimeoutMs: 3000, pooling: true });
    expect(engine.kind === 'postgres' && typeof engine.uri !== 'string' && engine.uri.reveal()).toBe(
      'postgresql://letta:p%40ss@db.internal:5432/letta',
    );

    const redis = redisOptionsFromSettings(settings);
    expect(redis).toMatchObject({ host: 'cache.internal', port: 6379, db: 0 });
    expect(typeof redis.password === 'object' && redis.password?.reveal()).toBe('redis-secret');

    expect(telemetryOptionsFromSettings(settings)).toMatchObject({ otlpEndpoint: 'http://collector:4317' });
    expect(loggerOptionsFromSettings(settings)).toMatchObject({ level: 'info' });
  });

  it('selects embedded SQLite under LETTA_DIR when no Postgres is configured', () => {
    const settings = loadSettings({
      env: { LETTA_DIR: '/srv/letta' },
      dotenv: false,
      home: '/nonexistent-home',
      cwd: '/nonexistent-cwd',
    });
    expect(engineOptionsFromSettings(settings)).toMatchObject({
      kind: 'sqlite',
      filename: '/srv/letta/sqlite.db',
    });
    expect(redisOptionsFromSettings(settings).host).toBeNull();
  });
});
