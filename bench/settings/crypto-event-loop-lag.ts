// Event-loop delay while 100 decrypts of distinct values (each deriving its key) run at once, against
// the same decrypts done with the blocking decryptSecretSync. Target: p99 under 20 ms.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { decryptSecret, decryptSecretSync } from '../../packages/settings/src/crypto/index';
import { BENCH_KEY, coldValues } from './crypto-fixture';

const values = await coldValues(200);

async function lag(run: () => Promise<unknown>): Promise<{ p99: number; max: number; elapsed: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  // A timer keeps the loop ticking, so that the histogram sees every gap.
  const ticker = setInterval(() => {}, 1);
  histogram.enable();
  const started = performance.now();
  await run();
  const elapsed = performance.now() - started;
  histogram.disable();
  clearInterval(ticker);
  return { p99: histogram.percentile(99) / 1e6, max: histogram.max / 1e6, elapsed };
}

const concurrent = await lag(() =>
  Promise.all(values.slice(0, 100).map((value) => decryptSecret(value, BENCH_KEY))),
);
const blocking = await lag(async () => {
  for (const value of values.slice(100)) {
    decryptSecretSync(value, BENCH_KEY);
    await new Promise((resolve) => setImmediate(resolve));
  }
});
for (const [name, result] of [
  ['decryptSecret x100 at once', concurrent],
  ['decryptSecretSync x100', blocking],
] as const) {
  console.log(
    `${name.padEnd(28)} event-loop delay p99 ${result.p99.toFixed(1).padStart(6)} ms, max ${result.max.toFixed(1).padStart(6)} ms (${result.elapsed.toFixed(0)} ms in all)`,
  );
}
console.log(
  `p99 ratio blocking / async: ${(blocking.p99 / concurrent.p99).toFixed(1)}x (target: async p99 < 20 ms)`,
);
