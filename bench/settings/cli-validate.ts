// `letta-settings validate one-file.yaml` against `node -e 0`, as processes. Target: under 1.5x.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { timeProcesses } from './time-processes';

const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const bin = fileURLToPath(new URL('../../packages/settings/dist/cli/letta-settings.cjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'letta-settings-bench-'));
writeFileSync(
  join(dir, 'conf.yaml'),
  `letta:
  pg:
    uri: postgresql://letta:s3cret@db.internal:5432/letta
    pool_size: 20
    pool_timeout: 10
  redis:
    host: redis.internal
    port: 6380
  cors_origins: [https://app.example.com, https://admin.example.com]
  telemetry:
    enable_datadog: true
    datadog_agent_port: 8126
  logging:
    json_logging: true
`,
);

const medians = timeProcesses(
  {
    'node -e 0': ['-e', '0'],
    'letta-settings --version': [bin, '--version'],
    'letta-settings validate': [bin, 'validate', 'conf.yaml'],
  },
  { runs: RUNS, cwd: dir },
);
rmSync(dir, { recursive: true, force: true });

for (const [name, median] of Object.entries(medians))
  console.log(`${name.padEnd(26)} ${median.toFixed(1)} ms median of ${RUNS}`);
const ratio = (medians['letta-settings validate'] ?? 0) / (medians['node -e 0'] ?? 1);
console.log(`validate ratio letta-settings validate / node -e 0: ${ratio.toFixed(2)}x (target < 1.5x)`);
