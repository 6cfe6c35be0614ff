import type { Sampler } from '@opentelemetry/sdk-trace';
import { TelemetryOptionsError, type ValueOrigin } from './telemetry-options-error';

/** The samplers `OTEL_TRACES_SAMPLER` names, by the same names. */
export type TraceSamplerName =
  | 'always_on'
  | 'always_off'
  | 'traceidratio'
  | 'parentbased_always_on'
  | 'parentbased_always_off'
  | 'parentbased_traceidratio';

/** Which traces are recorded; `ratio` (0..1) applies to the two `traceidratio` samplers. */
export interface TraceSampler {
  name: TraceSamplerName;
  ratio?: number;
}

const samplerNames: readonly string[] = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] satisfies TraceSamplerName[];

/**
 * The sampler `OTEL_TRACES_SAMPLER` and `OTEL_TRACES_SAMPLER_ARG` select, or `null` when unset (the SDK's
 * default, `parentbased_always_on`). A value the SDK would ignore with a diagnostic is an error here.
 */
export function traceSamplerFromEnv(env: Readonly<Record<string, string | undefined>>): TraceSampler | null {
  const name = env.OTEL_TRACES_SAMPLER?.trim().toLowerCase();
  if (!name) return null;
  const arg = env.OTEL_TRACES_SAMPLER_ARG?.trim();
  return checkTraceSampler(
    { name: name as TraceSamplerName, ...(arg ? { ratio: Number(arg) } : {}) },
    {
      name: { path: 'sampler.name', envVar: 'OTEL_TRACES_SAMPLER' },
      ratio: { path: 'sampler.ratio', envVar: 'OTEL_TRACES_SAMPLER_ARG' },
    },
  );
}

/** Checks a sampler once, naming the option or variable a bad value came from. */
export function checkTraceSampler(
  sampler: TraceSampler,
  origins: { name: ValueOrigin; ratio: ValueOrigin } = {
    name: { path: 'sampler.name' },
    ratio: { path: 'sampler.ratio' },
  },
): TraceSampler {
  if (!samplerNames.includes(sampler.name)) {
    throw TelemetryOptionsError.forValue(
      origins.name,
      (name) =>
        `${name} is "${sampler.name}", which is not a sampler; use one of ${samplerNames.join(', ')}.`,
    );
  }
  const { ratio } = sampler;
  if (ratio !== undefined && !(Number.isFinite(ratio) && ratio >= 0 && ratio <= 1)) {
    throw TelemetryOptionsError.forValue(
      origins.ratio,
      (name) => `${name} must be a sampling ratio from 0 to 1, such as 0.1, but it is ${ratio}.`,
    );
  }
  return sampler;
}

/**
 * The SDK sampler for a checked `TraceSampler`; a ratio sampler without a ratio samples everything. The
 * SDK module is passed in, so importing this package loads no SDK.
 */
export function createSampler(
  { name, ratio = 1 }: TraceSampler,
  sdk: typeof import('@opentelemetry/sdk-trace'),
): Sampler {
  const { AlwaysOffSampler, AlwaysOnSampler, ParentBasedSampler, TraceIdRatioBasedSampler } = sdk;
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
  }
}
