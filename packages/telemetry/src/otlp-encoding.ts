import { type MessageName, otlpSchema } from './otlp-schema';
import { ProtobufWriter, WireType } from './protobuf-writer';

/**
 * An OTLP message as a plain object with OTLP/JSON field names. 64-bit integers are bigints, trace and
 * span ids hex strings, bytes `Uint8Array`s; an absent field is `undefined`.
 */
export interface OtlpMessage {
  readonly [field: string]: OtlpValue;
}

export type OtlpValue =
  | string
  | number
  | bigint
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

/**
 * The OTLP/JSON mapping of what `JSON.stringify` cannot write as is: 64-bit integers as decimal
 * strings, bytes as base64, and the non-finite doubles as proto3 JSON names them.
 */
function jsonValue(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (typeof value === 'number' && !Number.isFinite(value))
    return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  return value;
}

function encodeMessage(message: OtlpMessage, type: MessageName): Uint8Array {
  const writer = new ProtobufWriter();
  const fields: Readonly<Record<string, readonly [number, string]>> = otlpSchema[type];
  for (const [name, value] of Object.entries(message)) {
    const field = fields[name];
    if (value === undefined || field === undefined) continue;
    const [number, fieldType] = field;
    if (fieldType.startsWith('packed '))
      writePacked(writer, number, fieldType, value as readonly OtlpValue[]);
    else if (Array.isArray(value)) for (const item of value) writeField(writer, number, fieldType, item);
    else writeField(writer, number, fieldType, value);
  }
  return writer.finish();
}

type ScalarWriter = readonly [wireType: number, write: (writer: ProtobufWriter, value: OtlpValue) => void];

const { varint, fixed64, lengthDelimited, fixed32 } = WireType;

/** How each scalar type of `otlpSchema` is written; any other type names a message. */
const scalarWriters: Readonly<Record<string, ScalarWriter>> = {
  string: [lengthDelimited, (writer, value) => writer.string(value as string)],
  bytes: [lengthDelimited, (writer, value) => writer.bytes(value as Uint8Array)],
  id: [lengthDelimited, (writer, value) => writer.bytes(Buffer.from(value as string, 'hex'))],
  bool: [varint, (writer, value) => writer.varint(value ? 1 : 0)],
  uint32: [varint, (writer, value) => writer.varint(value as number)],
  int64: [varint, (writer, value) => writer.varint(value as bigint)],
  sint32: [varint, (writer, value) => writer.zigzag32(value as number)],
  fixed32: [fixed32, (writer, value) => writer.fixed32(value as number)],
  fixed64: [fixed64, (writer, value) => writer.fixed64(value as bigint)],
  double: [fixed64, (writer, value) => writer.double(value as number)],
};

function writeField(writer: ProtobufWriter, field: number, type: string, value: OtlpValue): void {
  const scalar = scalarWriters[type];
  if (scalar) {
    writer.tag(field, scalar[0]);
    scalar[1](writer, value);
    return;
  }
  writer.tag(field, lengthDelimited);
  writer.bytes(encodeMessage(value as OtlpMessage, type as MessageName));
}

function writePacked(
  writer: ProtobufWriter,
  field: number,
  type: string,
  values: readonly OtlpValue[],
): void {
  if (values.length === 0) return;
  const packed = new ProtobufWriter();
  for (const value of values) {
    if (type === 'packed double') packed.double(value as number);
    else if (type === 'packed fixed64') packed.fixed64(value as bigint);
    else packed.varint(value as bigint);
  }
  writer.tag(field, lengthDelimited);
  writer.bytes(packed.finish());
}
