import type { DatabaseUri } from '@letta/core';

/** `host:port/database`, the default pool name and the target named in connection errors. */
export function describeTarget(uri: DatabaseUri): string {
  const host = uri.host?.includes(':') ? `[${uri.host}]` : (uri.host ?? 'localhost');
  return `${host}:${uri.port ?? 5432}/${uri.database ?? uri.user ?? ''}`;
}
