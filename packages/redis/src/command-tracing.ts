import {
  type Attributes,
  context,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';
import type { RedisTopology } from './redis-topology';

const TRACER_NAME = '@letta/redis';

/**
 * A client span per Redis command, named after the command (`GET`, `EVALSHA`), with
 * `db.system.name`, `db.operation.name`, `db.namespace` (the database index) and, on a single server,
 * `server.address` and `server.port`. Keys, values and arguments are never recorded.
 */
export class CommandTracing {
  readonly #tracer: Tracer;
  readonly #base: Attributes;

  /** `null` without a tracer provider: the client then makes no span object at all. */
  static create(
    tracerProvider: TracerProvider | undefined,
    topology: RedisTopology,
    db: number,
  ): CommandTracing | null {
    return tracerProvider ? new CommandTracing(tracerProvider.getTracer(TRACER_NAME), topology, db) : null;
  }

  private constructor(tracer: Tracer, topology: RedisTopology, db: number) {
    this.#tracer = tracer;
    this.#base = { 'db.system.name': 'redis', 'db.namespace': String(db) };
    if (topology.kind === 'standalone') {
      this.#base['server.address'] = topology.host;
      this.#base['server.port'] = topology.port;
    }
  }

  /** Runs `send` inside a client span for `command`, a child of the caller's active span. */
  async span<T>(command: string, send: () => Promise<T>): Promise<T> {
    const span = this.#tracer.startSpan(
      command,
      { kind: SpanKind.CLIENT, attributes: { ...this.#base, 'db.operation.name': command } },
      context.active(),
    );
    try {
      return await send();
    } catch (error) {
      span.setAttribute('error.type', error instanceof Error ? error.name : typeof error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  }
}
