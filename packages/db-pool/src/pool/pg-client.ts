import type pg from 'pg';
import type { PgConnectionConfig } from '../uri/pg-config';
import { ConnectTimeoutError } from './pool-errors';
import { openWithTlsFallback } from './tls-fallback';

/** The driver, loaded with the first connection: importing the package does not load it. */
let driver: Promise<typeof pg> | undefined;
const loadDriver = () => {
  driver ??= import('pg').then((module) => module.default);
  return driver;
};

/** How long a polite `end()` may take before the socket is destroyed. */
const END_TIMEOUT_MS = 5_000;

/** Clients being ended on purpose, whose `end` event is therefore not a loss. */
const ending = new WeakSet<pg.Client>();

export interface OpenPgClientOptions {
  connectTimeoutMs: number;
  /** Named in a timeout error; must not hold credentials (`host:port/database`). */
  target: string;
  /**
   * Called once if the connection fails after it opened: the backend was terminated, the socket closed
   * or errored (not when `endPgClient` ends it). The listener behind it stays attached for the client's
   * whole life, so such a failure can never become an unhandled `'error'` event that crashes the process.
   */
  onLost(error: Error): void;
}

/**
 * Opens one `pg.Client` from a configuration, bounded by `connectTimeoutMs`; at the deadline the socket is
 * destroyed, so a late connection is never leaked. This is the one place a connection is opened, for the
 * pool and for anything that needs a dedicated connection outside it.
 */
export function openPgClient(config: PgConnectionConfig, options: OpenPgClientOptions): Promise<pg.Client> {
  return openWithTlsFallback(config, (attempt) => openOneClient(attempt, options));
}

/** One connection attempt, with one TLS setting. */
async function openOneClient(config: PgConnectionConfig, options: OpenPgClientOptions): Promise<pg.Client> {
  const timeoutMs = Math.min(
    options.connectTimeoutMs,
    config.connectionTimeoutMillis ?? Number.POSITIVE_INFINITY,
  );
  // The deadline below is the only connect timeout, so that it always reports the same error.
  const { Client } = await loadDriver();
  const client = new Client({ ...config, connectionTimeoutMillis: 0 });
  let lost = false;
  const onLost = (error: Error) => {
    if (lost) return;
    lost = true;
    options.onLost(error);
  };
  client.on('error', onLost);
  client.on('end', () => {
    if (!ending.has(client)) onLost(new Error('Connection terminated'));
  });

  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      lost = true;
      client.connection.stream.destroy();
      reject(new ConnectTimeoutError(options.target, timeoutMs));
    }, timeoutMs);
  });
  try {
    await Promise.race([client.connect(), deadline]);
    return client;
  } catch (error) {
    lost = true;
    void endPgClient(client);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Ends a client: a polite Terminate when the socket is healthy, bounded so that a server that stopped
 * answering cannot hold a shutdown; after the bound the socket is destroyed.
 */
export async function endPgClient(client: pg.Client, timeoutMs = END_TIMEOUT_MS): Promise<void> {
  ending.add(client);
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      client.connection.stream.destroy();
      resolve();
    }, timeoutMs);
  });
  try {
    await Promise.race([client.end().catch(() => {}), bound]);
  } finally {
    clearTimeout(timer);
  }
}
