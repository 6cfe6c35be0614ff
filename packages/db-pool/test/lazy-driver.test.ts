import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));

describe('loading the pg driver', () => {
  it('waits for the first connection: importing the package and creating a pool do not load it', () => {
    const script = `
      const { createPool } = await import(${JSON.stringify(dist)});
      const loaded = () => Object.keys(require.cache).some((path) => /[\\\\/]node_modules[\\\\/]pg[\\\\/]/.test(path));
      const before = loaded();
      const pool = createPool({ uri: 'postgresql://postgres@127.0.0.1:1/none', connectTimeoutMs: 200 });
      const afterCreate = loaded();
      await pool.connect().catch(() => {});
      await pool.end();
      console.log(JSON.stringify({ before, afterCreate, afterConnect: loaded() }));
    `;
    const result = spawnSync(
      process.execPath,
      ['--input-type=commonjs', '-e', `(async () => {${script}})()`],
      {
        encoding: 'utf8',
      },
    );
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({ before: false, afterCreate: false, afterConnect: true });
  });
});
