// encryptSecret / decryptSecret per second, cold (a key derived per value) and with the key cached,
// against the same work written directly with node:crypto, in alternating rounds.
import { createDecipheriv } from 'node:crypto';
import { decryptSecret, encryptSecret } from '../../packages/settings/src/crypto/index';
import { BENCH_KEY, BENCH_PLAINTEXT, coldValues, deriveRaw, encryptRaw } from './crypto-fixture';

const COUNT = Number(process.env.BENCH_COUNT ?? 64);
const ROUNDS = 3;
const CONCURRENCY = 8;

function decryptRaw(stored: string, key: Buffer): string {
  const data = Buffer.from(stored, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(16, 28));
  decipher.setAuthTag(data.subarray(data.length - 16));
  return Buffer.concat([decipher.update(data.subarray(28, data.length - 16)), decipher.final()]).toString(
    'utf8',
  );
}

/** Operations per second, `CONCURRENCY` at a time. */
async function perSecond(
  count: number,
  operation: (index: number) => Promise<unknown> | unknown,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (let index = next++; index < count; index = next++) await operation(index);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return count / ((performance.now() - started) / 1000);
}

const one = await encryptRaw();
const oneKey = await deriveRaw(Buffer.from(one, 'base64').subarray(0, 16));
await decryptSecret(one, BENCH_KEY);
const cold = await coldValues(COUNT * ROUNDS);

const scenarios: Record<string, { ours: (round: number) => Promise<number>; raw: () => Promise<number> }> = {
  'encrypt (a key per value)': {
    ours: () => perSecond(COUNT, () => encryptSecret(BENCH_PLAINTEXT, BENCH_KEY)),
    raw: () => perSecond(COUNT, () => encryptRaw()),
  },
  'decrypt, cold key': {
    ours: (round) => perSecond(COUNT, (i) => decryptSecret(cold[round * COUNT + i] ?? '', BENCH_KEY)),
    raw: () =>
      perSecond(COUNT, async (i) => {
        const data = Buffer.from(cold[i] ?? '', 'base64');
        return decryptRaw(cold[i] ?? '', await deriveRaw(data.subarray(0, 16)));
      }),
  },
  'decrypt, cached key': {
    ours: () => perSecond(COUNT * 500, () => decryptSecret(one, BENCH_KEY)),
    raw: () => perSecond(COUNT * 500, () => decryptRaw(one, oneKey)),
  },
};

console.log(
  `libuv thread pool: ${process.env.UV_THREADPOOL_SIZE ?? 4} threads, ${CONCURRENCY} operations at a time`,
);
for (const [name, scenario] of Object.entries(scenarios)) {
  let [ours, raw] = [0, 0];
  for (let round = 0; round < ROUNDS; round++) {
    ours = Math.max(ours, await scenario.ours(round));
    raw = Math.max(raw, await scenario.raw());
  }
  console.log(
    `${name.padEnd(26)} ${ours.toFixed(0).padStart(7)}/s   node:crypto ${raw.toFixed(0).padStart(7)}/s   ratio ${(raw / ours).toFixed(2)}x`,
  );
}
