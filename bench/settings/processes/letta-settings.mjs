// One cold process: import the built @letta/settings and load every Letta setting.
import { loadSettings } from '../../../packages/settings/dist/index.js';

const settings = loadSettings({ cwd: process.env.BENCH_DIR, dotenv: false });
if (settings.pgPoolSize !== 20 || settings.telemetry.datadogServiceName !== 'letta-prod') {
  throw new Error('letta-settings process loaded unexpected values');
}
