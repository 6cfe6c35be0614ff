import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runWithResolvedPackages } from '@test/support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const dist = pathToFileURL(join(import.meta.dirname, '../dist/index.js')).href;
const SDK = [
  'resolved @opentelemetry/sdk-metrics',
  'resolved @opentelemetry/sdk-trace',
  'resolved @opentelemetry/resources',
];

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'letta-lazy-sdk-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('loading the OpenTelemetry SDK', () => {
  it('waits for setupTelemetry: importing the package and using the logger and registry load none of it', () => {
    const { lines, stderr } = runWithResolvedPackages(
      `const { createLogger, createMetricRegistry, setupTelemetry } = await import(${JSON.stringify(dist)});
      createMetricRegistry().userMessageCounter.add(1);
      createLogger({ level: 'warn', json: true, lettaDir: '.' });
      process.stdout.write('imported\\n');
      const telemetry = await setupTelemetry(
        { otlpEndpoint: null, disableTracing: false, preferredTemporality: 1, environment: null, datadog: null },
        { prometheus: true, registerGlobal: false },
      );
      await telemetry.close();`,
      dir,
    );
    expect(stderr).toBe('');
    const imported = lines.indexOf('imported');
    expect(imported).toBeGreaterThan(-1);
    expect(lines.slice(0, imported)).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/sdk|resources/)]),
    );
    expect(lines.slice(imported)).toEqual(expect.arrayContaining(SDK));
  });
});
