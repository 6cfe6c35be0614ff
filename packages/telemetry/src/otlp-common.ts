import type { Attributes, AttributeValue, HrTime } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { OtlpMessage } from './otlp-encoding';
import { UnixNanos } from './unix-nanos';

// The OTLP messages that traces and metrics share: attributes, resource, scope and timestamps.

export function unixNanos(time: HrTime): UnixNanos {
  return new UnixNanos(time);
}

export function otlpAttributes(attributes: Attributes | undefined): OtlpMessage[] {
  return Object.entries(attributes ?? {}).map(([key, value]) => ({ key, value: anyValue(value) }));
}

const INT64_MIN = -(2 ** 63);
const INT64_LIMIT = 2 ** 63;

/** An attribute value as an `AnyValue`; an integral number in the int64 range is an `intValue`. */
function anyValue(value: AttributeValue | Uint8Array | null | undefined): OtlpMessage {
  switch (typeof value) {
    case 'string':
      return { stringValue: value };
    case 'boolean':
      return { boolValue: value };
    case 'number':
      return Number.isInteger(value) && value >= INT64_MIN && value < INT64_LIMIT
        ? { intValue: value }
        : { doubleValue: value };
  }
  if (value instanceof Uint8Array) return { bytesValue: value };
  if (Array.isArray(value)) return { arrayValue: { values: value.map(anyValue) } };
  return {};
}

export function otlpResource(resource: Resource): OtlpMessage {
  return { attributes: otlpAttributes(resource.attributes), droppedAttributesCount: 0 };
}

export function otlpScope({ name, version }: InstrumentationScope): OtlpMessage {
  return { name, version: version || undefined };
}

/** A schema URL, left out when empty. */
export function schemaUrl(url: string | undefined): string | undefined {
  return url || undefined;
}
