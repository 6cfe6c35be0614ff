import type { DestinationStream } from 'pino';

/**
 * Turns the JSON lines the logger writes into Letta's readable format, parsing each line once:
 * `logger - LEVEL - message` on the console, with the timestamp in front in the file. Fields beyond
 * those follow as compact JSON so nothing logged is lost.
 */
export function readableLines(
  consoleTarget: DestinationStream,
  fileTarget?: DestinationStream,
): DestinationStream {
  return {
    write(line: string) {
      const { timestamp, level, logger, message, ...fields } = JSON.parse(line) as Record<string, unknown>;
      const extra = Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
      const body = `${logger} - ${level} - ${message ?? ''}${extra}\n`;
      consoleTarget.write(body);
      fileTarget?.write(`${timestamp} - ${body}`);
    },
  };
}
