// Load time of a config file of 1,000, 10,000 and 100,000 keys, against a bare YAML parse of the same
// text (without the parser's duplicate-key check, which compares each key with every earlier one). The
// loader checks duplicates with a set per mapping, so its time grows linearly: about 10x per 10x keys.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';

// The built package, as users get it; resolved at run time so type-checking does not need a build.
const dist = new URL('../../packages/settings/dist/index.js', import.meta.url).href;
const { loadSettings }: typeof import('@letta/settings') = await import(dist);

const SIZES = [1_000, 10_000, 100_000];
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const dir = mkdtempSync(join(tmpdir(), 'letta-settings-bench-'));

/** A conf.yaml with a few Letta settings and `keys` model settings, as a large shared file has. */
function configText(keys: number): string {
  const lines = ['letta:', '  pg_pool_size: 10', '  debug: true', 'model:'];
  for (let index = 0; index < keys; index++)
    lines.push(`  provider_${index}_api_base: https://llm-${index}.internal/v1`);
  return `${lines.join('\n')}\n`;
}

function median(load: () => void): number {
  load();
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    load();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? 0;
}

try {
  console.log(`settings load time by file size (median of ${RUNS})`);
  let previous: number | undefined;
  for (const keys of SIZES) {
    const text = configText(keys);
    const file = join(dir, `conf-${keys}.yaml`);
    writeFileSync(file, text);
    const loaded = median(() => {
      loadSettings({
        env: {},
        cwd: dir,
        home: dir,
        dotenv: false,
        configFiles: [file],
        limits: { maxFileBytes: 64 * 1024 * 1024 },
      });
    });
    const bare = median(() => {
      parseDocument(text, { uniqueKeys: false }).toJS();
    });
    const growth = previous === undefined ? '' : `, ${(loaded / previous).toFixed(1)}x the previous size`;
    console.log(
      `${String(keys).padStart(7)} keys (${(text.length / 1024).toFixed(0)} KiB): loadSettings ${loaded.toFixed(1)} ms, bare yaml ${bare.toFixed(1)} ms, ratio ${(loaded / bare).toFixed(2)}${growth}`,
    );
    previous = loaded;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
