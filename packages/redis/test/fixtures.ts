import { randomUUID } from 'node:crypto';
import { type RedisOptions, type RedisSettingsInput, redisOptionsFromSettings } from '@letta/redis';
import type { Attributes } from '@opentelemetry/api';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { testRedisUrl } from '@test/support';
import { Redis } from 'ioredis';

/** Connection options for a redis:// URL (the shared test Redis by default). */
export function optionsFor(url = testRedisUrl()): RedisOptions {
  const parsed = new URL(url);
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: Number(parsed.port) || 6379,
    password: parsed.password ? decodeURIComponent(parsed.password) : null,
    db: Number(parsed.pathname.slice(1)) || 0,
  };
}

/**
 * A namespace for one test file's keys in the shared Redis: `key('x')` is unique to this run, and
 * `cleanup()` deletes every key that contains the namespace (lock keys included).
 */
export function keyspace(file: string) {
  const tag = `letta-redis-test:${file}:${randomUUID().slice(0, 8)}`;
  return {
    tag,
    key: (name: string) => `${tag}:${name}`,
    async cleanup(url = testRedisUrl()): Promise<void> {
      const raw = new Redis(url, { lazyConnect: true });
      await raw.connect();
      try {
        let cursor = '0';
        do {
          const [next, keys] = await raw.scan(cursor, 'MATCH', `*${tag}*`, 'COUNT', 1000);
          if (keys.length > 0) await raw.del(...keys);
          cursor = next;
        } while (cursor !== '0');
      } finally {
        raw.disconnect();
      }
    },
  };
}

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  fields: object;
  message: string;
}

/** A logger that keeps every line, to assert on what a user would see. */
export function recordingLogger() {
  const lines: LogLine[] = [];
  const at =
    (level: LogLine['level']) =>
    (fields: object, message: string): void => {
      lines.push({ level, fields, message });
    };
  return { lines, logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } };
}

/** Letta's Redis settings with their defaults (no Redis), and `overrides`. */
export function settings(overrides: Partial<RedisSettingsInput>): RedisSettingsInput {
  return {
    redisHost: null,
    redisPort: 6379,
    redisPassword: null,
    redisUsername: null,
    redisDb: 0,
    redisTls: false,
    ...overrides,
  };
}

/** The options `redisOptionsFromSettings` makes of Letta's Redis settings with `overrides`. */
export function lettaOptions(overrides: Partial<RedisSettingsInput>): RedisOptions {
  return redisOptionsFromSettings(settings(overrides));
}

/** A settings secret the way `@letta/settings` makes one: redacted everywhere but `reveal()`. */
export function testSecret(value: string) {
  return { reveal: () => value, toString: () => '[redacted]', toJSON: () => '[redacted]' };
}

/** A metric reader the test collects from on demand. */
class CollectingReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

export interface CollectedPoint {
  attributes: Attributes;
  value: unknown;
}

/** A private SDK meter provider and a way to read what it recorded, by metric name. */
export function metricsHarness() {
  const reader = new CollectingReader();
  const provider = new MeterProvider({ readers: [reader] });
  return {
    provider,
    /** The metrics recorded so far: name → its unit and data points. */
    async collect(): Promise<Map<string, { unit: string; points: CollectedPoint[] }>> {
      const { resourceMetrics } = await reader.collect();
      const byName = new Map<string, { unit: string; points: CollectedPoint[] }>();
      for (const scope of resourceMetrics.scopeMetrics) {
        for (const metric of scope.metrics) {
          byName.set(metric.descriptor.name, {
            unit: metric.descriptor.unit,
            points: metric.dataPoints.map((point) => ({ attributes: point.attributes, value: point.value })),
          });
        }
      }
      return byName;
    },
    shutdown: () => provider.shutdown(),
  };
}
