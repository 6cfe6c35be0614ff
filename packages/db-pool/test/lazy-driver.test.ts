import { fileURLToPath } from 'node:url';
import { runCommonJsProgram } from '@test/support';
import { describe, expect, it } from 'vitest';

const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));

describe('loading the pg driver', () => {
  it('waits for the first connection: importing the package and creating a pool do not load it', () => {
    const script = `
      const { createPool } = await import(${JSON.stringify(dist)});
      const before = loaded('pg');
      const pool = createPool({ uri: 'postgresql://postgres@127.0.0.1:1/none', connectTimeoutMs: 200 });
      const afterCreate = loaded('pg');
      await pool.connect().catch(() => {});
      await pool.end();
      console.log(JSON.stringify({ before, afterCreate, afterConnect: loaded('pg') }));
    `;
    const result = runCommonJsProgram(script);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({ before: false, afterCreate: false, afterConnect: true });
  });
});
