import { setupTelemetry, type Telemetry, telemetryOptionsFromSettings } from '@letta/telemetry';
import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it } from 'vitest';
import { lettaSettings } from './fixtures';

let telemetry: Telemetry | undefined;
afterEach(async () => {
  await telemetry?.close();
  telemetry = undefined;
});

describe('the standard OpenTelemetry variables', () => {
  it('turns OTLP on with OTEL_EXPORTER_OTLP_ENDPOINT alone', () => {
    const options = telemetryOptionsFromSettings(lettaSettings(), {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
    });
    expect(options.otlpEndpoint).toBe('http://collector:4318');
  });

  it('lets LETTA_OTEL_EXPORTER_OTLP_ENDPOINT win when both are set', () => {
    const options = telemetryOptionsFromSettings(
      lettaSettings({ otelExporterOtlpEndpoint: 'http://letta-collector:4317' }),
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' },
    );
    expect(options.otlpEndpoint).toBe('http://letta-collector:4317');
  });

  it('names OTEL_EXPORTER_OTLP_ENDPOINT when its value is unusable, without its password', () => {
    const build = () =>
      telemetryOptionsFromSettings(lettaSettings(), {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'ftp://otel:hunter2@collector:4317',
      });
    expect(build).toThrow(
      /^Telemetry cannot start[\s\S]*OTEL_EXPORTER_OTLP_ENDPOINT must be an http\(s\) URL/,
    );
    expect(build).not.toThrow(/LETTA_OTEL/);
    expect(build).not.toThrow(/hunter2/);
  });

  it('keeps LETTA_DISABLE_TRACING above the standard endpoint', () => {
    const options = telemetryOptionsFromSettings(lettaSettings({ disableTracing: true }), {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
    });
    expect(options).toMatchObject({ otlpEndpoint: 'http://collector:4318', disableTracing: true });
  });

  it('reads the sampler from OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG', () => {
    expect(telemetryOptionsFromSettings(lettaSettings(), {}).sampler).toBeNull();
    expect(
      telemetryOptionsFromSettings(lettaSettings(), {
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.25',
      }).sampler,
    ).toEqual({ name: 'parentbased_traceidratio', ratio: 0.25 });
  });

  it('rejects an unknown sampler and an out-of-range ratio, naming the variable', () => {
    expect(() => telemetryOptionsFromSettings(lettaSettings(), { OTEL_TRACES_SAMPLER: 'sometimes' })).toThrow(
      /OTEL_TRACES_SAMPLER is "sometimes", which is not a sampler; use one of always_on, always_off/,
    );
    expect(() =>
      telemetryOptionsFromSettings(lettaSettings(), {
        OTEL_TRACES_SAMPLER: 'traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '1.5',
      }),
    ).toThrow(/OTEL_TRACES_SAMPLER_ARG must be a sampling ratio from 0 to 1, such as 0.1, but it is 1.5/);
  });

  it('records no span with always_off and every span with always_on', async () => {
    const record = async (name: 'always_on' | 'always_off') => {
      const exporter = new InMemorySpanExporter();
      telemetry = await setupTelemetry(
        { ...telemetryOptionsFromSettings(lettaSettings(), {}), sampler: { name } },
        { spanProcessors: [new SimpleSpanProcessor({ exporter })], registerGlobal: false },
      );
      telemetry.tracerProvider.getTracer('test').startSpan('sampled?').end();
      // Read before close: shutting the in-memory exporter down empties it.
      const recorded = exporter.getFinishedSpans().length;
      await telemetry.close();
      return recorded;
    };
    expect(await record('always_off')).toBe(0);
    expect(await record('always_on')).toBe(1);
    expect(trace.getActiveSpan()).toBeUndefined();
  });
});
