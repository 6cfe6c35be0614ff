import { join } from 'node:path';
import type { Settings } from '@letta/settings';
import type { FastifyInstance } from 'fastify';
import type { ServerArgs } from './server-args';

/** Where the server listens, as a URL (an IPv6 host in brackets). */
export function serverUrl(app: FastifyInstance, args: ServerArgs): string {
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : args.port;
  const host = args.host.includes(':') ? `[${args.host}]` : args.host;
  return `http://${host}:${port}`;
}

/** What the server uses, in one line without secrets. */
export interface ServerParts {
  readonly databaseKind: 'postgres' | 'sqlite';
  readonly redisIsNoop: boolean;
  readonly lockKind: string;
}

/** One line naming the database, Redis, lock, telemetry and password check the server uses. */
export function serverSummary(settings: Settings, args: ServerArgs, parts: ServerParts): string {
  const database =
    parts.databaseKind === 'sqlite' ? `sqlite (${join(settings.lettaDir, 'sqlite.db')})` : 'postgres';
  const redisTarget = settings.redisHost ? `${settings.redisHost}:${settings.redisPort}` : 'connected';
  return [
    `database: ${database}`,
    `redis: ${parts.redisIsNoop ? 'no-op' : redisTarget}`,
    `writes: ${parts.lockKind} lock`,
    `otlp: ${settings.otelExporterOtlpEndpoint && !settings.disableTracing ? 'on' : 'off'}`,
    `password: ${args.password === null ? 'off' : 'on'}`,
  ].join(', ');
}
