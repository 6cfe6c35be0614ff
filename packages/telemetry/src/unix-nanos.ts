import type { HrTime } from '@opentelemetry/api';

const TWO_16 = 0x10000;
const TWO_32 = 0x100000000;

/**
 * A timestamp in nanoseconds since the Unix epoch, OTLP's `fixed64` time fields, computed from the SDK's
 * `[seconds, nanoseconds]` without BigInt (nanoseconds since 1970 pass 2^53, so a plain number would
 * round them): as the two 32-bit halves protobuf writes, and as the decimal string OTLP/JSON writes.
 */
export class UnixNanos {
  readonly low: number;
  readonly high: number;
  private readonly seconds: number;
  private readonly nanos: number;

  constructor([seconds, nanos]: HrTime) {
    this.seconds = Math.trunc(seconds);
    this.nanos = Math.trunc(nanos);
    // seconds * 1e9 + nanos in exact steps: every intermediate stays below 2^53.
    const secondsHigh = Math.floor(this.seconds / TWO_16);
    const high = secondsHigh * 1e9;
    const low = (this.seconds - secondsHigh * TWO_16) * 1e9 + this.nanos;
    const highHigh = Math.floor(high / TWO_16);
    const rest = (high - highHigh * TWO_16) * TWO_16 + low;
    const carry = Math.floor(rest / TWO_32);
    this.high = highHigh + carry;
    this.low = rest - carry * TWO_32;
  }

  toJSON(): string {
    if (this.seconds === 0) return String(this.nanos);
    return `${this.seconds}${String(this.nanos).padStart(9, '0')}`;
  }
}
