import {
  type Attributes,
  context,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';
import type { CompiledQuery, DatabaseConnection, Dialect, Driver } from 'kysely';

/** Whether and how the engine records a client span for each statement. */
export interface DatabaseTracingOptions {
  /**
   * Records one client span per statement (semantic-convention `db.*` attributes) through this
   * provider, e.g. `telemetry.tracerProvider` or `trace.getTracerProvider()`. Absent: no tracing, and
   * no cost on the query path.
   */
  tracerProvider?: TracerProvider;
  /**
   * Adds `db.query.text`: the statement as Kysely compiled it. Query-builder statements carry `$1`
   * placeholders, never values; text written with `sql.raw` or `sql.lit` carries what it contains.
   * @default false
   */
  traceQueryText?: boolean;
}

/** The database a span's statements run against. */
export interface TracedDatabase {
  /** `db.system.name`. */
  system: 'postgresql' | 'sqlite';
  /** `db.namespace`: the database name, or the SQLite file. */
  namespace: string | null;
  /** `server.address` and `server.port`; none for SQLite. */
  host?: string | null;
  port?: number | null;
}

const TRACER_NAME = '@letta/db-pool';
const leadingKeyword = /^\s*([a-z]+)/i;

/**
 * Wraps a Kysely dialect so every statement it runs is a client span, a child of the span active when
 * the query was awaited (the request's). Without a tracer provider the dialect is returned unchanged.
 */
export function tracingDialect(
  dialect: Dialect,
  database: TracedDatabase,
  { tracerProvider, traceQueryText = false }: DatabaseTracingOptions,
): Dialect {
  if (!tracerProvider) return dialect;
  const tracer = tracerProvider.getTracer(TRACER_NAME);
  const base = baseAttributes(database);
  const traced = new WeakSet<DatabaseConnection>();
  const trace = (connection: DatabaseConnection) => {
    if (traced.has(connection)) return;
    traced.add(connection);
    const execute = connection.executeQuery.bind(connection);
    connection.executeQuery = (query) =>
      traceStatement(tracer, base, query, traceQueryText, () => execute(query));
  };
  return {
    createAdapter: () => dialect.createAdapter(),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createDriver: () => traceConnections(dialect.createDriver(), trace),
  };
}

/** Patches the driver's checkout so each connection (the driver reuses them) is traced once. */
function traceConnections(driver: Driver, trace: (connection: DatabaseConnection) => void): Driver {
  const acquire = driver.acquireConnection.bind(driver);
  driver.acquireConnection = async () => {
    const connection = await acquire();
    trace(connection);
    return connection;
  };
  return driver;
}

function baseAttributes({ system, namespace, host, port }: TracedDatabase): Attributes {
  const attributes: Attributes = { 'db.system.name': system };
  if (namespace) attributes['db.namespace'] = namespace;
  if (host) attributes['server.address'] = host;
  if (port) attributes['server.port'] = port;
  return attributes;
}

async function traceStatement<R>(
  tracer: Tracer,
  base: Attributes,
  query: CompiledQuery,
  withText: boolean,
  run: () => Promise<R>,
): Promise<R> {
  const operation = leadingKeyword.exec(query.sql)?.[1]?.toUpperCase();
  const attributes: Attributes = { ...base };
  if (operation) attributes['db.operation.name'] = operation;
  if (withText) attributes['db.query.text'] = query.sql;
  const namespace = base['db.namespace'];
  const name = operation
    ? namespace
      ? `${operation} ${namespace}`
      : operation
    : String(base['db.system.name']);
  const span = tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes }, context.active());
  try {
    return await run();
  } catch (error) {
    markFailed(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/**
 * The error's class and SQLSTATE, never its message: Postgres messages can quote row values
 * (`Key (email)=(...) already exists`).
 */
function markFailed(span: Span, error: unknown): void {
  const code = (error as { code?: unknown } | null)?.code;
  const type = error instanceof Error ? error.name : typeof error;
  span.setAttribute('error.type', typeof code === 'string' ? code : type);
  if (typeof code === 'string') span.setAttribute('db.response.status_code', code);
  span.setStatus({ code: SpanStatusCode.ERROR });
}
