import type { LevelWithSilent } from 'pino';
import type { LoggerSettingsInput } from './settings-input';
import { TelemetryOptionsError } from './telemetry-options-error';

/** What `createLogger` takes; `loggerOptionsFromSettings(settings)` builds it from Letta's settings. */
export interface LoggerOptions {
  /** pino level name. */
  level: LevelWithSilent;
  /** One JSON object per line (Letta's JSON shape) instead of readable lines. */
  json: boolean;
  /** Letta's data directory; the optional log file is `<lettaDir>/logs/Letta.log`. */
  lettaDir: string;
}

const pythonLevels: Record<string, LevelWithSilent> = {
  CRITICAL: 'fatal',
  FATAL: 'fatal',
  ERROR: 'error',
  WARNING: 'warn',
  WARN: 'warn',
  INFO: 'info',
  DEBUG: 'debug',
  NOTSET: 'trace',
  TRACE: 'trace',
  SILENT: 'silent',
};

/**
 * Builds `createLogger`'s options from Letta's settings. The level is debug when `LETTA_DEBUG` is true,
 * else `LETTA_LOGGING_LOG_LEVEL` (default `WARNING`). Letta itself ignores that variable and logs at
 * INFO; honouring it is a deliberate difference.
 */
export function loggerOptionsFromSettings(settings: LoggerSettingsInput): LoggerOptions {
  return {
    level: settings.debug ? 'debug' : pythonLevel(settings.logging.logLevel ?? 'WARNING'),
    json: settings.logging.jsonLogging,
    lettaDir: settings.lettaDir,
  };
}

/** A Python logging level name (any case) as a pino level. */
function pythonLevel(name: string): LevelWithSilent {
  const level = pythonLevels[name.trim().toUpperCase()];
  if (level) return level;
  throw TelemetryOptionsError.forValue(
    { path: 'logging.logLevel', envVar: 'LETTA_LOGGING_LOG_LEVEL' },
    (setting) =>
      `${setting} must be a Python level name (DEBUG, INFO, WARNING, ERROR or CRITICAL), but it is ` +
      `"${name}". Set one of those, or unset it for WARNING.`,
  );
}
