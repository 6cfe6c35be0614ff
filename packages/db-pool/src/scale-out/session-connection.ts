import type { DatabaseUri } from '@letta/core';
import type pg from 'pg';
import { openPgClient } from '../pool/pg-client';
import { describeTarget } from '../uri/describe-target';
import { type PgConnectionConfig, toPgConfig } from '../uri/pg-config';

/** Where a dedicated connection, one that lives outside the pool, is opened. */
export interface SessionTarget {
  readonly config: PgConnectionConfig;
  /** `host:port/database`, for errors and logs. */
  readonly target: string;
  readonly connectTimeoutMs: number;
  /** Where its URI came from, for error text. */
  readonly origin: SessionOrigin;
}

/** The engine's `uri`, its `directUri`, or a URI passed to a helper as its argument. */
export type SessionOrigin = 'uri' | 'directUri' | 'argument';

export function sessionTarget(
  uri: DatabaseUri,
  connectTimeoutMs: number,
  origin: SessionOrigin,
): SessionTarget {
  return { config: toPgConfig(uri), target: describeTarget(uri), connectTimeoutMs, origin };
}

/** Opens a dedicated connection; `onLost` is called once if it fails after opening. */
export function openSession(target: SessionTarget, onLost: (error: Error) => void): Promise<pg.Client> {
  return openPgClient(target.config, {
    connectTimeoutMs: target.connectTimeoutMs,
    target: target.target,
    onLost,
  });
}

/**
 * Whether the connection reaches PostgreSQL through a pooler such as PgBouncer: a pooler announces a
 * made-up backend pid at connect, so it differs from the pid of the server process that answers.
 */
export async function throughPooler(client: pg.Client): Promise<boolean> {
  const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
  return rows[0]?.pid !== announcedPid(client);
}

/** The backend pid announced at connect (BackendKeyData), which pg keeps but its type definitions omit. */
export function announcedPid(client: pg.Client): number | null {
  return (client as pg.Client & { processID: number | null }).processID;
}
