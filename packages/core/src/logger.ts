/** One log method: structured fields first, then the message (the shape pino's methods have). */
export type LogFn = (fields: object, message: string) => void;

/** The logger every package writes to; a pino logger satisfies it. */
export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

const ignore: LogFn = () => {};

/** The default logger: writes nothing. */
export const silentLogger: Logger = Object.freeze({
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: ignore,
});
