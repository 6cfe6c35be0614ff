import { TelemetryExporterMissingError } from './exporter-missing-error';

/**
 * Loads an exporter package on first use. `load` holds the literal `import()`, so bundlers and
 * tooling still see which module it is; a missing package becomes a `TelemetryExporterMissingError`.
 */
export async function loadExporter<T>(
  packageName: string,
  purpose: string,
  load: () => Promise<T>,
): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (isMissing(error, packageName))
      throw new TelemetryExporterMissingError(packageName, purpose, { cause: error });
    throw error;
  }
}

/** Node's "cannot find" error (ESM or CommonJS) for this package, not for something it imports. */
function isMissing(error: unknown, packageName: string): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    new RegExp(`['"]${packageName.replace(/[/.-]/g, '\\$&')}['"/]`).test(error.message)
  );
}
