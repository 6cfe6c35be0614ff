import { LettaError } from '@letta/core';

/**
 * The exporter a setting asks for is an optional peer dependency that is not installed. The message
 * names the package and the line that installs it.
 */
export class TelemetryExporterMissingError extends LettaError {
  override readonly name = 'TelemetryExporterMissingError';
  readonly code = 'ERR_TELEMETRY_EXPORTER_MISSING';

  constructor(
    /** The npm package to install, e.g. `@opentelemetry/exporter-trace-otlp-grpc`. */
    readonly packageName: string,
    purpose: string,
    options?: { cause?: unknown },
  ) {
    super(
      `${purpose} needs ${packageName}, an optional peer dependency of @letta/telemetry, and it is not installed. ` +
        `Install it with \`npm install ${packageName}\` (or \`pnpm add ${packageName}\`), the release line of your ` +
        'OpenTelemetry SDK: 0.3xx for SDK 3, ~0.223 for SDK 2 (Node.js 20).',
      options,
    );
  }
}
