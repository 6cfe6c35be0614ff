// Installs the packages as a user does and runs them: every package packed with `pnpm pack`, the tarballs
// installed with npm into a scratch project on the oldest and on the newest peer versions the packages
// accept, the examples compiled with `tsc --strict` as ES modules (`nodenext`), as CommonJS (`node10`) and
// for bundlers (`bundler`), then run against the real PostgreSQL and Redis. Everything lives in one
// temporary directory, removed at the end. Run `pnpm build` first.
//
//   pnpm test:consumers                 the newest peers run on the `node` of CONSUMER_NODE_DIR/bin
//                                       (Node 22 or later), else on this Node
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { npmInstall, packTarballs, ROOT, run, type Tarball, writeScratchProject } from './scratch-project';

const EXAMPLES = fileURLToPath(new URL('./examples/', import.meta.url));
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

interface Profile {
  readonly name: string;
  /** The directory whose `bin/node` runs npm and the examples. */
  readonly nodeBin: string;
  /** Peer versions to install beside the tarballs. */
  readonly peers: readonly string[];
}

const otelSdk = ['context-async-hooks', 'core', 'resources', 'sdk-metrics', 'sdk-trace'];
const otelExporters = ['exporter-prometheus'];

const PROFILES: readonly Profile[] = [
  {
    name: 'oldest peers',
    nodeBin: join(process.execPath, '..'),
    peers: [
      '@opentelemetry/api@1.9.0',
      ...otelSdk.map((name) => `@opentelemetry/${name}@2.12.0`),
      ...otelExporters.map((name) => `@opentelemetry/${name}@0.223.0`),
      'kysely@0.28.0',
      'zod@4.0.0',
    ],
  },
  {
    name: 'newest peers',
    nodeBin: process.env.CONSUMER_NODE_DIR
      ? join(process.env.CONSUMER_NODE_DIR, 'bin')
      : join(process.execPath, '..'),
    peers: [
      '@opentelemetry/api@^1',
      ...otelSdk.map((name) => `@opentelemetry/${name}@^3`),
      ...otelExporters.map((name) => `@opentelemetry/${name}@>=0.300 <0.400`),
      'kysely@^0.29',
      'zod@^4',
    ],
  },
];

interface Variant {
  readonly name: string;
  readonly type: 'module' | 'commonjs';
  readonly compilerOptions: Record<string, string | boolean>;
}

// Declarations of every installed package are checked once, under nodenext; the other variants check
// how the user's code resolves and compiles (attw checks each resolution mode of the declarations).
// CommonJS takes `esModuleInterop`, as `tsc --init` writes it: pino's own types need it.
const VARIANTS: readonly Variant[] = [
  {
    name: 'esm-nodenext',
    type: 'module',
    compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext' },
  },
  {
    name: 'cjs-node10',
    type: 'commonjs',
    compilerOptions: { module: 'commonjs', esModuleInterop: true, skipLibCheck: true },
  },
  {
    name: 'esm-bundler',
    type: 'module',
    compilerOptions: { module: 'esnext', moduleResolution: 'bundler', skipLibCheck: true },
  },
];

const results: { name: string; error?: string }[] = [];

async function check(name: string, body: () => Promise<void>): Promise<boolean> {
  const started = performance.now();
  try {
    await body();
    results.push({ name });
    console.log(`✓ ${name} (${Math.round(performance.now() - started)} ms)`);
    return true;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    results.push({ name, error: message });
    console.log(`✗ ${name}\n${message.split('\n').slice(0, 20).join('\n').replace(/^/gm, '    ')}`);
    return false;
  }
}

async function consumeWith(profile: Profile, tarballs: readonly Tarball[], scratch: string): Promise<void> {
  const project = join(scratch, profile.name.replace(/\W+/g, '-'));
  writeScratchProject(
    project,
    tarballs,
    tarballs.map(({ name }) => name),
  );
  const installed = await check(`${profile.name}: npm install of every tarball`, () =>
    npmInstall(project, profile.nodeBin, profile.peers),
  );
  if (!installed) return;
  const node = join(profile.nodeBin, 'node');
  const { stdout: version } = await run(node, ['--version']);
  console.log(`  ${profile.name} on Node ${version.trim()}`);

  const compiled = await Promise.all(VARIANTS.map((variant) => compile(profile, project, variant)));
  for (const [i, variant] of VARIANTS.entries()) {
    if (!compiled[i]) continue;
    const dir = join(project, variant.name);
    for (const example of readdirSync(EXAMPLES).map((file) => file.replace(/\.ts$/, ''))) {
      await check(`${profile.name}: ${example} runs (${variant.name})`, async () => {
        const { stdout } = await run(node, [join(dir, 'dist', `${example}.js`)], {
          cwd: dir,
          timeout: 30_000,
        });
        if (!stdout.startsWith(`ok ${example}`)) throw new Error(`unexpected output: ${stdout}`);
      });
    }
  }

  await check(`${profile.name}: the letta-settings bin`, async () => {
    const env = { ...process.env, PATH: `${profile.nodeBin}:${process.env.PATH}` };
    const bin = join(project, 'node_modules/.bin/letta-settings');
    const { stdout } = await run(bin, ['--version'], { env });
    if (!/^\d+\.\d+\.\d+/.test(stdout)) throw new Error(`unexpected output: ${stdout}`);
    // A YAML file loads the yaml the bin ships beside it.
    writeFileSync(join(project, 'conf.yaml'), 'letta:\n  pg:\n    pool_size: 7\n');
    const { stdout: report } = await run(bin, ['validate', 'conf.yaml'], { cwd: project, env });
    if (report.trim() !== 'conf.yaml: valid.') throw new Error(`unexpected output: ${report}`);
  });
}

function compile(profile: Profile, project: string, variant: Variant): Promise<boolean> {
  const dir = join(project, variant.name);
  cpSync(EXAMPLES, join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: variant.type }));
  const compilerOptions = {
    target: 'es2022',
    strict: true,
    outDir: 'dist',
    rootDir: 'src',
    types: ['node'],
    typeRoots: [join(ROOT, 'node_modules/@types')],
    ...variant.compilerOptions,
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['src'] }, null, 2));
  return check(`${profile.name}: tsc --strict (${variant.name})`, async () => {
    await run(process.execPath, [TSC, '-p', dir]).catch((error: { stdout?: string; message: string }) => {
      throw new Error(error.stdout || error.message);
    });
  });
}

const scratch = mkdtempSync(join(tmpdir(), 'letta-consumers-'));
try {
  const tarballs = await packTarballs(join(scratch, 'tarballs'));
  for (const profile of PROFILES) await consumeWith(profile, tarballs, scratch);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
const failed = results.filter((result) => result.error !== undefined).length;
console.log(`\nconsumers: ${results.length - failed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
