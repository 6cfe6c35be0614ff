import { type MessageName, otlpSchema, type PackedType, type ScalarType } from './otlp-schema';
import { ProtobufWriter, WireType } from './protobuf-writer';
import { UnixNanos } from './unix-nanos';

/**
 * An OTLP message as a plain object with OTLP/JSON field names. 64-bit integers are numbers (bigints
 * beyond 2^53), timestamps `UnixNanos`, trace and span ids hex strings, bytes `Uint8Array`s; an absent
 * field is `undefined`.
 */
export interface OtlpMessage {
  readonly [field: string]: OtlpValue;
}

export type OtlpValue =
  | string
  | number
  | bigint
  | UnixNanos
  | boolean
  | Uint8Array
  | OtlpMessage
  | readonly OtlpValue[]
  | undefined;

/** The OTLP/HTTP body encodings, named as `OTEL_EXPORTER_OTLP_PROTOCOL` names them. */
export type OtlpEncoding = 'http/protobuf' | 'http/json';

export const contentTypes: Record<OtlpEncoding, string> = {
  'http/protobuf': 'application/x-protobuf',
  'http/json': 'application/json',
};

export function encodeOtlp(message: OtlpMessage, type: MessageName, encoding: OtlpEncoding): Uint8Array {
  if (encoding === 'http/json') return Buffer.from(JSON.stringify(message, jsonValue));
  return encodeMessage(message, type);
}

/** The fields that hold 64-bit integers, which OTLP/JSON writes as decimal strings. */
const int64Fields = new Set(
  Object.values(otlpSchema).flatMap((fields) =>
    Object.entries(fields)
      .filter(([, [, type]]) => ['int64', 'fixed64', 'packed fixed64', 'packed uint64'].includes(type))
      .map(([name]) => name),
  ),
);

const decimal = (value: unknown) =>
  typeof value === 'number' ? BigInt(value).toString() : value === undefined ? undefined : String(value);

/**
 * The OTLP/JSON mapping of what `JSON.stringify` cannot write as is: 64-bit integers as decimal
 * strings, bytes as base64, and the non-finite doubles as proto3 JSON names them.
 */
function jsonValue(key: string, value: unknown): unknown {
  if (int64Fields.has(key)) return Array.isArray(value) ? value.map(decimal) : decimal(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (typeof value === 'number' && !Number.isFinite(value))
    return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  return value;
}

function encodeMessage(message: OtlpMessage, type: MessageName): Uint8Array {
  const writer = new ProtobufWriter();
  writeMessage(writer, message, type);
  return writer.finish();
}

function writeMessage(writer: ProtobufWriter, message: OtlpMessage, type: MessageName): void {
  const fields: Readonly<Record<string, readonly [number, string]>> = otlpSchema[type];
  for (const name in message) {
    const value = message[name];
    const field = fields[name];
    if (value === undefined || field === undefined) continue;
    const [number, fieldType] = field;
    if (fieldType.startsWith('packed '))
      writePacked(writer, number, fieldType as PackedType, value as readonly OtlpValue[]);
    else if (Array.isArray(value)) for (const item of value) writeField(writer, number, fieldType, item);
    else writeField(writer, number, fieldType, value);
  }
}

type ScalarWriter = readonly [wireType: number, write: (writer: ProtobufWriter, value: OtlpValue) => void];

const { varint, fixed64, lengthDelimited, fixed32 } = WireType;

/** How each scalar type of `otlpSchema` is written; any other type names a message. */
const scalarWriters: Readonly<Record<ScalarType, ScalarWriter>> = {
  string: [lengthDelimited, (writer, value) => writer.string(value as string)],
  bytes: [lengthDelimited, (writer, value) => writer.bytes(value as Uint8Array)],
  id: [lengthDelimited, (writer, value) => writer.bytes(Buffer.from(value as string, 'hex'))],
  bool: [varint, (writer, value) => writer.varint(value ? 1 : 0)],
  uint32: [varint, (writer, value) => writer.varint(value as number)],
  int64: [varint, (writer, value) => writer.varint(value as number | bigint)],
  sint32: [varint, (writer, value) => writer.zigzag32(value as number)],
  fixed32: [fixed32, (writer, value) => writer.fixed32(value as number)],
  fixed64: [
    fixed64,
    (writer, value) => {
      if (value instanceof UnixNanos) {
        writer.fixed32(value.low);
        writer.fixed32(value.high);
      } else writer.fixed64(value as number | bigint);
    },
  ],
  double: [fixed64, (writer, value) => writer.double(value as number)],
};

function writeField(writer: ProtobufWriter, field: number, type: string, value: OtlpValue): void {
  const scalar = type in scalarWriters ? scalarWriters[type as ScalarType] : undefined;
  if (scalar) {
    writer.tag(field, scalar[0]);
    scalar[1](writer, value);
    return;
  }
  writer.tag(field, lengthDelimited);
  const start = writer.fork();
  writeMessage(writer, value as OtlpMessage, type as MessageName);
  writer.join(start);
}

function writePacked(
  writer: ProtobufWriter,
  field: number,
  type: PackedType,
  values: readonly OtlpValue[],
): void {
  if (values.length === 0) return;
  writer.tag(field, lengthDelimited);
  const start = writer.fork();
  for (const value of values) {
    if (type === 'packed double') writer.double(value as number);
    else if (type === 'packed fixed64') writer.fixed64(value as number);
    else writer.varint(value as number);
  }
  writer.join(start);
}
