import { join } from 'node:path';
import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import pino, { type DestinationStream, type Logger, type LoggerOptions as PinoOptions } from 'pino';
import { type LoggingConfig, loggingFromSettings } from './logging-config';
import { readableLines } from './readable-lines';
import { redactSecrets } from './redact-secrets';
import { type RotatingFileOptions, RotatingFileStream } from './rotating-file-stream';
import type { LoggingSettingsSource } from './settings-source';

export interface CreateLoggerOptions {
  /** The `logger` field of every line (default `Letta`, as Letta's root logger). */
  name?: string;
  /** Where console lines go (default stdout); any object with `write(line)`. */
  destination?: DestinationStream;
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
export function createLogger(
  source: LoggingSettingsSource | LoggingConfig,
  options: CreateLoggerOptions = {},
): Logger {
  const config = 'logging' in source ? loggingFromSettings(source) : source;
  const stdout = options.destination ?? pino.destination(1);
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

function openLogFile(config: LoggingConfig, file: true | Partial<RotatingFileOptions>): RotatingFileStream {
  const explicit = file === true ? {} : file;
  return new RotatingFileStream({
    ...explicit,
    path: explicit.path ?? join(config.lettaDir, 'logs', 'Letta.log'),
  });
}
