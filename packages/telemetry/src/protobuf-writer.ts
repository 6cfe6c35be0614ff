/** Protobuf wire types, as the low three bits of a field's tag carry them. */
export const WireType = { varint: 0, fixed64: 1, lengthDelimited: 2, fixed32: 5 } as const;

/**
 * Writes protobuf's wire format into one growing buffer: just the scalar encodings OTLP uses. A
 * length-delimited value (a string, bytes, a nested message) is written in place between `fork` and
 * `join`, which then puts its length in front of it, so nothing is encoded twice.
 */
export class ProtobufWriter {
  private buffer = Buffer.allocUnsafe(4096);
  private length = 0;

  tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  /** A non-negative integer up to 2^53, or any 64-bit value as a bigint (negatives as two's complement). */
  varint(value: number | bigint): void {
    if (value >= 0 && value < 0x80000000) {
      this.reserve(5);
      let rest = Number(value);
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
    this.length = this.buffer.writeUInt32LE(value, this.length);
  }

  /** `fixed64` and `sfixed64`: eight little-endian bytes (negatives as two's complement). */
  fixed64(value: number | bigint): void {
    this.reserve(8);
    if (typeof value === 'number' && value >= 0 && value <= Number.MAX_SAFE_INTEGER) {
      this.buffer.writeUInt32LE(value % 0x100000000, this.length);
      this.length = this.buffer.writeUInt32LE(Math.floor(value / 0x100000000), this.length + 4);
      return;
    }
    this.length = this.buffer.writeBigUInt64LE(BigInt.asUintN(64, BigInt(value)), this.length);
  }

  double(value: number): void {
    this.reserve(8);
    this.length = this.buffer.writeDoubleLE(value, this.length);
  }

  bytes(value: Uint8Array): void {
    this.varint(value.length);
    this.reserve(value.length);
    this.buffer.set(value, this.length);
    this.length += value.length;
  }

  string(value: string): void {
    const start = this.fork();
    this.reserve(value.length * 3);
    this.length += this.buffer.write(value, this.length, 'utf8');
    this.join(start);
  }

  /** Starts a length-delimited value; returns where its length goes. */
  fork(): number {
    this.reserve(1);
    return this.length++;
  }

  /** Ends the value `fork` started: writes its length there, moving the value when that takes more than a byte. */
  join(start: number): void {
    const valueLength = this.length - start - 1;
    if (valueLength < 0x80) {
      this.buffer[start] = valueLength;
      return;
    }
    let prefixLength = 1;
    for (let rest = valueLength; rest > 0x7f; rest >>>= 7) prefixLength++;
    this.reserve(prefixLength - 1);
    this.buffer.copyWithin(start + prefixLength, start + 1, this.length);
    this.length = start;
    this.varint(valueLength);
    this.length = start + prefixLength + valueLength;
  }

  finish(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + bytes));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }
}
