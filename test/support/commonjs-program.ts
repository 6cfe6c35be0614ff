import { spawnSync } from 'node:child_process';

/**
 * Runs `body` as a CommonJS program in a fresh Node, inside an async function so it may `await`; returns
 * what it printed. `body` can call `loaded(name)`: whether `require.cache` holds a file of that package.
 */
export function runCommonJsProgram(body: string, cwd?: string): { stdout: string; stderr: string } {
  const loaded = `const loaded = (name) => Object.keys(require.cache).some((path) => path.includes(\`/node_modules/\${name}/\`));`;
  const result = spawnSync(
    process.execPath,
    ['--input-type=commonjs', '-e', `${loaded}(async () => {${body}})()`],
    {
      cwd,
      encoding: 'utf8',
    },
  );
  return { stdout: result.stdout.trim(), stderr: result.stderr };
}
