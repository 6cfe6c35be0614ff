import { fileURLToPath, pathToFileURL } from 'node:url';
import { runCommonJsProgram, runWithResolvedPackages } from '@test/support';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const esm = pathToFileURL(`${packageDir}dist/index.js`).href;
const cjs = `${packageDir}dist/index.cjs`;
const redis = { host: '127.0.0.1', port: 6379, fallback: 'throw' } as const;

describe('loading ioredis', () => {
  it('waits for the first configured client: importing the package and a no-op client load none of it', () => {
    const { lines, stderr } = runWithResolvedPackages(
      `const { createRedisClient } = await import(${JSON.stringify(esm)});
      process.stdout.write('imported\\n');
      const noop = await createRedisClient({ host: null });
      process.stdout.write('no-op client ' + noop.isNoop + '\\n');
      const client = await createRedisClient(${JSON.stringify(redis)});
      process.stdout.write('ping ' + (await client.ping()) + '\\n');
      await client.close();`,
      packageDir,
    );
    expect(stderr).toBe('');
    const loadedBy = (prefix: string) =>
      lines
        .slice(
          0,
          lines.findIndex((line) => line.startsWith(prefix)),
        )
        .includes('resolved ioredis');
    console.log(
      `ES module build: ioredis loaded by import ${loadedBy('imported')}, by a no-op client ` +
        `${loadedBy('no-op client')}, by a connected client ${loadedBy('ping')}`,
    );
    expect(lines).toContain('no-op client true');
    expect(lines).toContain('ping true');
    expect(loadedBy('no-op client')).toBe(false);
    expect(loadedBy('ping')).toBe(true);
  });

  it('is required by the CommonJS build, once a configured client is created', () => {
    const script = `
      const { createRedisClient } = require(${JSON.stringify(cjs)});
      const imported = loaded('ioredis');
      const client = await createRedisClient(${JSON.stringify(redis)});
      const ping = await client.ping();
      await client.close();
      console.log(JSON.stringify({ imported, created: loaded('ioredis'), ping }));
    `;
    const result = runCommonJsProgram(script, packageDir);
    expect(result.stderr).toBe('');
    console.log('CommonJS build:', result.stdout.trim());
    expect(JSON.parse(result.stdout)).toEqual({ imported: false, created: true, ping: true });
  });
});
