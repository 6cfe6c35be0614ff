/** One log method: structured fields first, then the message (the shape pino's methods have). */
export type LogFn = (fields: object, message: string) => void;

/** The logger the pool and engine write to; a pino logger satisfies it. */
export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

const noop: LogFn = () => {};

/** The default: logs nothing. */
export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };
