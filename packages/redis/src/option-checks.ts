import type { ConfigIssue } from '@letta/core';
import { RedisOptionsError } from './redis-errors';

/** An option as errors name it: its path, the Letta variable that feeds it, and how messages say it. */
export interface OptionName {
  readonly path: string;
  readonly envVar?: string;
  /** How messages name it, when not `path (envVar)`: e.g. `sentinels (LETTA_REDIS_SENTINELS) item 2 host`. */
  readonly label?: string;
}

/** The options Letta's settings feed, with their variables. */
export const LETTA_OPTION = {
  host: { path: 'host', envVar: 'LETTA_REDIS_HOST' },
  port: { path: 'port', envVar: 'LETTA_REDIS_PORT' },
  url: { path: 'url', envVar: 'LETTA_REDIS_URL' },
  sentinels: { path: 'sentinels', envVar: 'LETTA_REDIS_SENTINELS' },
  sentinelName: { path: 'sentinelName', envVar: 'LETTA_REDIS_SENTINEL_NAME' },
  clusterNodes: { path: 'clusterNodes', envVar: 'LETTA_REDIS_CLUSTER_NODES' },
  db: { path: 'db', envVar: 'LETTA_REDIS_DB' },
  tls: { path: 'tls', envVar: 'LETTA_REDIS_TLS' },
} as const satisfies Record<string, OptionName>;

/** `db (LETTA_REDIS_DB)`, or the option's own label. */
export function labelOf(option: OptionName): string {
  return option.label ?? (option.envVar === undefined ? option.path : `${option.path} (${option.envVar})`);
}

/** The issue `message` describes, located at `option`. */
export function issueAt(option: OptionName, message: string): ConfigIssue {
  return option.envVar === undefined
    ? { path: option.path, message }
    : { path: option.path, envVar: option.envVar, message };
}

export function checkInteger(option: OptionName, value: unknown, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `from ${min} to ${max}`;
    invalid(option, `an integer ${range}`, value);
  }
}

export function checkHost(option: OptionName, value: unknown): void {
  if (typeof value !== 'string' || value.trim() === '') invalid(option, 'a host name or address', value);
}

export function invalid(option: OptionName, expected: string, found: unknown): never {
  const shown = typeof found === 'string' ? JSON.stringify(found) : String(found);
  throw new RedisOptionsError([
    issueAt(
      option,
      `Redis option ${labelOf(option)} must be ${expected}, but found ${shown}. ` +
        'Fix the value in the options passed to createRedisClient or in the environment variable named.',
    ),
  ]);
}
