import { join } from 'node:path';
import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import type { DestinationStream, Logger, LoggerOptions as PinoOptions } from 'pino';
import type { LoggerOptions } from './logger-options';
import { loadPino } from './pino-module';
import { readableLines } from './readable-lines';
import { redactSecrets } from './redact-secrets';
import { type RotatingFileOptions, RotatingFileStream } from './rotating-file-stream';

export interface CreateLoggerOptions {
  /** The `logger` field of every line (default `Letta`, as Letta's root logger). */
  name?: string;
  /** Where console lines go (default stdout); any object with `write(line)`. */
  destination?: DestinationStream;
  /**
   * How the default stdout destination writes (ignored with `destination`). `true` (the default): each
   * line is written before the call returns, so log lines and `console.log` output appear in the order
   * they were made and nothing is lost at `process.exit`. `false`: lines are written in the background,
   * for throughput when nothing else writes to stdout; lines in flight can then be overtaken by
   * synchronous writes, and are flushed at a normal exit.
   */
  sync?: boolean;
  /**
   * Also write to a size-rotating file: `true` for `<lettaDir>/logs/Letta.log` at 10 MiB x 3 backups,
   * or explicit options. Off by default (Letta always writes the file).
   */
  file?: boolean | Partial<RotatingFileOptions>;
}

const pythonLevelNames: Record<string, string> = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARNING',
  error: 'ERROR',
  fatal: 'CRITICAL',
};

const noSpan = {};

/**
 * Creates the pino logger Letta's settings describe. Lines carry Letta's JSON field names
 * (`timestamp`, `level` as a Python level name, `logger`, `message`), the active span's `trace_id` and
 * `span_id`, and never a secret: secret-named fields, `Secret` values and URI passwords are redacted.
 */
export function createLogger(config: LoggerOptions, options: CreateLoggerOptions = {}): Logger {
  const pino = loadPino();
  const stdout =
    options.destination ?? pino.destination({ dest: 1, sync: options.sync ?? true, minLength: 0 });
  const file = options.file ? openLogFile(config, options.file) : undefined;

  const destination = !config.json
    ? readableLines(stdout, file)
    : file
      ? pino.multistream([
          { stream: stdout, level: 'trace' },
          { stream: file, level: 'trace' },
        ])
      : stdout;

  const pinoOptions: PinoOptions = {
    level: config.level,
    base: { logger: options.name ?? 'Letta' },
    messageKey: 'message',
    timestamp: isoTimestamp,
    formatters: {
      level: (label) => ({ level: pythonLevelNames[label] ?? label.toUpperCase() }),
      log: redactSecrets,
    },
    mixin: activeSpanIds,
    // The default strategy writes into the mixin's object; keeping `noSpan` shared needs a copy-free merge.
    mixinMergeStrategy: (fields, ids) => (ids === noSpan ? fields : Object.assign(ids, fields)),
  };
  const logger = pino(pinoOptions, destination);
  // pino applies `formatters.bindings` to the root bindings only, so child bindings are redacted here;
  // children inherit this `child` through their prototype.
  const child = logger.child;
  logger.child = function redactedChild(this: Logger, bindings, childOptions) {
    return child.call(this, redactSecrets(bindings), childOptions);
  } as Logger['child'];
  return logger;
}

let lastMillis = 0;
let lastTimestamp = '';

/** Letta's `timestamp` field; formatting a date costs more than a whole log line, so once per millisecond. */
function isoTimestamp(): string {
  const now = Date.now();
  if (now !== lastMillis) {
    lastMillis = now;
    lastTimestamp = `,"timestamp":"${new Date(now).toISOString()}"`;
  }
  return lastTimestamp;
}

function activeSpanIds(): object {
  const span = trace.getSpan(context.active());
  if (!span) return noSpan;
  const spanContext = span.spanContext();
  if (!isSpanContextValid(spanContext)) return noSpan;
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}

function openLogFile(config: LoggerOptions, file: true | Partial<RotatingFileOptions>): RotatingFileStream {
  const explicit = file === true ? {} : file;
  return new RotatingFileStream({
    ...explicit,
    path: explicit.path ?? join(config.lettaDir, 'logs', 'Letta.log'),
  });
}
