import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

// pino is CommonJS, so both builds load it into the require cache, where the script looks for it.
const SCRIPT = `
  const pinoLoaded = () => Object.keys(require.cache).some((path) => /[\\\\/]node_modules[\\\\/]pino[\\\\/]/.test(path));
  const imported = pinoLoaded();
  const logger = createLogger({ level: 'info', json: true, lettaDir: '.' });
  logger.info('first line');
  console.log(JSON.stringify({ imported, created: pinoLoaded() }));
`;

/** Runs SCRIPT after loading one build of the package; prints what the process saw. */
function run(build: 'index.js' | 'index.cjs'): { stdout: string[]; stderr: string } {
  const dist = `${packageDir}dist/${build}`;
  const args =
    build === 'index.js'
      ? [
          '--input-type=module',
          '-e',
          `import { createRequire } from 'node:module';
          const require = createRequire(${JSON.stringify(dist)});
          const { createLogger } = await import(${JSON.stringify(dist)});${SCRIPT}`,
        ]
      : [
          '--input-type=commonjs',
          '-e',
          `const { createLogger } = require(${JSON.stringify(dist)});${SCRIPT}`,
        ];
  const result = spawnSync(process.execPath, args, { cwd: packageDir, encoding: 'utf8' });
  return { stdout: result.stdout.trim().split('\n'), stderr: result.stderr };
}

describe('loading pino', () => {
  it.each(['index.js', 'index.cjs'] as const)('waits for the first logger (%s)', (build) => {
    const { stdout, stderr } = run(build);
    console.log(build, stdout);
    expect(stderr).toBe('');
    expect(stdout[0]).toMatch(/"message":"first line"/);
    expect(JSON.parse(stdout[1] ?? '')).toEqual({ imported: false, created: true });
  });
});
