import { describe, expect, it } from 'vitest';
import { UnixNanos } from '../src/unix-nanos';

const exact = (seconds: number, nanos: number) => BigInt(seconds) * 1_000_000_000n + BigInt(nanos);

describe('UnixNanos', () => {
  it.each([
    [0, 0],
    [0, 5],
    [1, 0],
    [1_700_000_000, 123_456_789],
    [4_294_967_295, 999_999_999],
    [17_179_869_183, 1],
  ])('writes [%d s, %d ns] exactly as 32-bit halves and as a decimal string', (seconds, nanos) => {
    const time = new UnixNanos([seconds, nanos]);
    expect((BigInt(time.high) << 32n) + BigInt(time.low)).toBe(exact(seconds, nanos));
    expect(time.low).toBeLessThan(2 ** 32);
    expect(JSON.stringify({ time })).toBe(`{"time":"${exact(seconds, nanos)}"}`);
  });
});
