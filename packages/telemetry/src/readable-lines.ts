import type { DestinationStream } from 'pino';

/**
 * Turns the JSON lines the logger writes into Letta's readable format:
 * `logger - LEVEL - message` on the console, with the timestamp in front for files. Fields beyond
 * those follow as compact JSON so nothing logged is lost.
 */
export function readableLines(target: DestinationStream, withTimestamp: boolean): DestinationStream {
  return {
    write(line: string) {
      const { timestamp, level, logger, message, ...fields } = JSON.parse(line) as Record<string, unknown>;
      const extra = Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
      const prefix = withTimestamp ? `${timestamp} - ` : '';
      target.write(`${prefix}${logger} - ${level} - ${message ?? ''}${extra}\n`);
    },
  };
}
