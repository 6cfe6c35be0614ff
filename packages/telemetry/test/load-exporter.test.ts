import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { TelemetryExporterMissingError } from '../src/exporter-missing-error';
import { loadExporter } from '../src/load-exporter';

const MISSING = '@opentelemetry/exporter-that-is-not-installed';
const require = createRequire(import.meta.url);

/** The error Node's ES module loader gives for a missing package, taken from a plain Node process. */
function nodeImportError(specifier: string): Error {
  const script = `import(${JSON.stringify(specifier)}).catch((e) => console.log(JSON.stringify({ code: e.code, message: e.message })))`;
  const { code, message } = JSON.parse(
    execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: tmpdir(),
      encoding: 'utf8',
    }),
  ) as { code: string; message: string };
  return Object.assign(new Error(message), { code });
}

describe('loadExporter', () => {
  it.each([
    ['an ES module import', () => Promise.reject(nodeImportError(MISSING))],
    ['a CommonJS require', async () => require(MISSING) as unknown],
  ])(
    'turns a missing package into ERR_TELEMETRY_EXPORTER_MISSING with the install line (%s)',
    async (_, load) => {
      const error = (await loadExporter(MISSING, 'Exporting traces over OTLP grpc', load).catch(
        (caught: unknown) => caught,
      )) as Error;
      expect(error).toBeInstanceOf(TelemetryExporterMissingError);
      expect(error).toMatchObject({
        code: 'ERR_TELEMETRY_EXPORTER_MISSING',
        packageName: MISSING,
        retryable: false,
      });
      expect(error.message).toBe(
        `Exporting traces over OTLP grpc needs ${MISSING}, an optional peer dependency of @letta/telemetry, ` +
          `and it is not installed. Install it with \`npm install ${MISSING}\` (or \`pnpm add ${MISSING}\`), the ` +
          'release line of your OpenTelemetry SDK: 0.3xx for SDK 3, ~0.223 for SDK 2 (Node.js 20).',
      );
      expect(error.cause).toBeInstanceOf(Error);
    },
  );

  it('passes on a missing module that the exporter itself imports', async () => {
    const inner = Object.assign(
      new Error("Cannot find package 'protobufjs' imported from /app/exporter.js"),
      {
        code: 'ERR_MODULE_NOT_FOUND',
      },
    );
    await expect(loadExporter(MISSING, 'Exporting', () => Promise.reject(inner))).rejects.toBe(inner);
  });

  it('returns the module when it is installed', async () => {
    const loaded = await loadExporter(
      '@opentelemetry/exporter-prometheus',
      'The Prometheus page',
      () => import('@opentelemetry/exporter-prometheus'),
    );
    expect(typeof loaded.PrometheusExporter).toBe('function');
  });
});
