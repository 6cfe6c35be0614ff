/**
 * The installed size of each package: its tarball installed with npm (with the peers a service needs
 * for it) into a scratch project, against its raw baseline, the libraries it wraps installed alone. The
 * ratio is the package's cost on top of what a service would install anyway. Also lists the packages in
 * each install that run an install script, and for @letta/telemetry the largest installed packages
 * (the OpenTelemetry SDK's own size is the floor). Needs the npm registry; run `pnpm build` first.
 *
 *   pnpm bench:install-size
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  npmInstall,
  packTarballs,
  type Tarball,
  writeScratchProject,
} from '../../test/consumers/scratch-project';

interface InstallSet {
  readonly name: string;
  readonly packages: readonly string[];
  readonly peers: readonly string[];
  readonly baseline: readonly string[];
  /** Print the largest installed packages. */
  readonly breakdown?: boolean;
}

const api = '@opentelemetry/api';
const otelSdk = ['sdk-metrics', 'sdk-trace', 'resources', 'core', 'context-async-hooks'].map(
  (name) => `@opentelemetry/${name}`,
);

const SETS: readonly InstallSet[] = [
  { name: '@letta/core', packages: ['@letta/core'], peers: [], baseline: [] },
  { name: '@letta/settings', packages: ['@letta/settings'], peers: ['zod'], baseline: ['zod', 'yaml'] },
  {
    name: '@letta/db-pool (Postgres)',
    packages: ['@letta/db-pool'],
    peers: ['kysely', api],
    baseline: ['kysely', 'pg', api],
  },
  { name: '@letta/redis', packages: ['@letta/redis'], peers: [api], baseline: ['ioredis', api] },
  {
    // OTLP/HTTP is built in: the SDK (required peers, which npm installs) is all it needs.
    name: '@letta/telemetry (OTLP/HTTP)',
    packages: ['@letta/telemetry'],
    peers: [api],
    baseline: [api, 'pino', ...otelSdk],
    breakdown: true,
  },
  {
    name: '@letta/telemetry (Prometheus)',
    packages: ['@letta/telemetry'],
    peers: [api, '@opentelemetry/exporter-prometheus'],
    baseline: [api, 'pino', ...otelSdk, '@opentelemetry/exporter-prometheus'],
    breakdown: true,
  },
];

/** Bytes of the files under `dir` (what `du --apparent-size` counts). */
function sizeOf(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isDirectory()) total += sizeOf(path);
    else if (entry.isFile()) total += statSync(path).size;
  }
  return total;
}

/** Every installed package's directory, scoped and nested ones (under another's node_modules) included. */
function* packageDirs(nodeModules: string): Generator<string> {
  for (const entry of readdirSync(nodeModules, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === '.bin') continue;
    const path = join(nodeModules, entry.name);
    if (entry.name.startsWith('@')) {
      yield* packageDirs(path);
      continue;
    }
    yield path;
    const nested = join(path, 'node_modules');
    if (existsSync(nested)) yield* packageDirs(nested);
  }
}

/** Each installed package's name and bytes (a nested node_modules counts as its own packages). */
function packageSizes(nodeModules: string): Array<{ name: string; bytes: number }> {
  const sizes = [...packageDirs(nodeModules)].map((path) => {
    const nested = join(path, 'node_modules');
    const bytes = sizeOf(path) - (existsSync(nested) ? sizeOf(nested) : 0);
    return { name: path.slice(nodeModules.length + 1), bytes };
  });
  return sizes.sort((a, b) => b.bytes - a.bytes);
}

/** The installed packages whose manifest has a preinstall, install or postinstall script. */
function installScripts(nodeModules: string): string[] {
  const found: string[] = [];
  for (const path of packageDirs(nodeModules)) {
    const manifestPath = join(path, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
      name: string;
      scripts?: Record<string, string>;
    };
    if (['preinstall', 'install', 'postinstall'].some((script) => manifest.scripts?.[script]))
      found.push(manifest.name);
  }
  return found;
}

async function installedSize(
  dir: string,
  tarballs: readonly Tarball[],
  direct: readonly string[],
  specs: readonly string[],
) {
  writeScratchProject(dir, tarballs, direct);
  await npmInstall(dir, dirname(process.execPath), specs);
  const nodeModules = join(dir, 'node_modules');
  return {
    bytes: sizeOf(nodeModules),
    scripts: installScripts(nodeModules),
    packages: packageSizes(nodeModules),
  };
}

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

const scratch = mkdtempSync(join(tmpdir(), 'letta-install-size-'));
try {
  const tarballs = await packTarballs(join(scratch, 'tarballs'));
  console.log(
    `Installed with npm on Node ${process.version}: node_modules of the package and its peers, against the baseline`,
  );
  for (const [i, set] of SETS.entries()) {
    const ours = await installedSize(join(scratch, `set-${i}`), tarballs, set.packages, set.peers);
    const line = `${set.name.padEnd(32)} ${megabytes(ours.bytes).padStart(9)}`;
    const scripts =
      ours.scripts.length > 0 ? `  install scripts: ${ours.scripts.join(', ')}` : '  no install script';
    if (set.baseline.length === 0) {
      console.log(`${line}${' '.repeat(32)}${scripts}`);
      continue;
    }
    const raw = await installedSize(join(scratch, `baseline-${i}`), [], [], set.baseline);
    console.log(
      `${line}   baseline ${megabytes(raw.bytes).padStart(9)}   ratio ${(ours.bytes / raw.bytes).toFixed(2)}${scripts}`,
    );
    if (!set.breakdown) continue;
    const largest = ours.packages.slice(0, 10);
    console.log(`  largest of ${ours.packages.length} packages:`);
    for (const { name, bytes } of largest)
      console.log(`    ${name.padEnd(50)} ${megabytes(bytes).padStart(9)}`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
