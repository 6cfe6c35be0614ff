/** Protobuf wire types, as the low three bits of a field's tag carry them. */
export const WireType = { varint: 0, fixed64: 1, lengthDelimited: 2, fixed32: 5 } as const;

/**
 * Writes protobuf's wire format into a growing buffer: just the scalar encodings OTLP uses. A nested
 * message is written into its own writer and appended as length-delimited bytes.
 */
export class ProtobufWriter {
  private buffer = new Uint8Array(256);
  private view = new DataView(this.buffer.buffer);
  private length = 0;

  tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  /** A non-negative integer up to 2^53, or any 64-bit value as a bigint (negatives as two's complement). */
  varint(value: number | bigint): void {
    if (typeof value === 'number' && value >= 0 && value < 0x80000000) {
      this.reserve(5);
      let rest = value;
      while (rest > 0x7f) {
        this.buffer[this.length++] = (rest & 0x7f) | 0x80;
        rest >>>= 7;
      }
      this.buffer[this.length++] = rest;
      return;
    }
    this.reserve(10);
    let rest = BigInt.asUintN(64, BigInt(value));
    while (rest > 0x7fn) {
      this.buffer[this.length++] = Number(rest & 0x7fn) | 0x80;
      rest >>= 7n;
    }
    this.buffer[this.length++] = Number(rest);
  }

  /** protobuf's `sint32`: zigzag, so small negative numbers stay short. */
  zigzag32(value: number): void {
    this.varint(((value << 1) ^ (value >> 31)) >>> 0);
  }

  fixed32(value: number): void {
    this.reserve(4);
    this.view.setUint32(this.length, value, true);
    this.length += 4;
  }

  /** `fixed64` and `sfixed64`: eight little-endian bytes (negatives as two's complement). */
  fixed64(value: number | bigint): void {
    this.reserve(8);
    this.view.setBigUint64(this.length, BigInt.asUintN(64, BigInt(value)), true);
    this.length += 8;
  }

  double(value: number): void {
    this.reserve(8);
    this.view.setFloat64(this.length, value, true);
    this.length += 8;
  }

  /** A length-delimited field's body: its byte length, then the bytes. */
  bytes(value: Uint8Array): void {
    this.varint(value.length);
    this.reserve(value.length);
    this.buffer.set(value, this.length);
    this.length += value.length;
  }

  string(value: string): void {
    this.bytes(Buffer.from(value, 'utf8'));
  }

  finish(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + bytes));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
    this.view = new DataView(grown.buffer);
  }
}
