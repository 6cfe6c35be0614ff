import { fileURLToPath, pathToFileURL } from 'node:url';
import { requireService, runCommonJsProgram, runWithResolvedPackages, testPgUri } from '@test/support';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const esm = pathToFileURL(`${packageDir}dist/index.js`).href;
const cjs = `${packageDir}dist/index.cjs`;
// A Postgres engine: pg is plain JavaScript, so the child Node may be any version (the SQLite driver is
// a native addon built for the Node the workspace was installed with).
const engineOptions = JSON.stringify({ kind: 'postgres', uri: testPgUri(), monitoring: false });
const hasPg = await requireService('postgres');

describe.skipIf(!hasPg)('loading Kysely', () => {
  it('waits for createEngine, and the engine is built from the Kysely that the program imports', () => {
    // Run from the package, so that the script's own `import('kysely')` resolves the copy the package does.
    const { lines, stderr } = runWithResolvedPackages(
      `const { createEngine } = await import(${JSON.stringify(esm)});
      process.stdout.write('imported\\n');
      const engine = await createEngine(${engineOptions});
      await engine.ping();
      process.stdout.write('pinged\\n');
      const { Kysely } = await import('kysely');
      process.stdout.write('same Kysely ' + (engine.db instanceof Kysely) + '\\n');
      await engine.close();`,
      packageDir,
    );
    expect(stderr).toBe('');
    const loadedBy = (mark: string) => lines.slice(0, lines.indexOf(mark)).includes('resolved kysely');
    console.log(
      `ES module build: kysely loaded by import ${loadedBy('imported')}, by createEngine ${loadedBy('pinged')}`,
    );
    expect(lines).toContain('pinged');
    expect(loadedBy('imported')).toBe(false);
    expect(loadedBy('pinged')).toBe(true);
    expect(lines).toContain('same Kysely true');
  });

  it('is required by the CommonJS build, so a CommonJS program shares its copy', () => {
    const script = `
      const { createEngine } = require(${JSON.stringify(cjs)});
      const imported = loaded('kysely');
      const engine = await createEngine(${engineOptions});
      await engine.ping();
      const sameKysely = engine.db instanceof require('kysely').Kysely;
      await engine.close();
      console.log(JSON.stringify({ imported, created: loaded('kysely'), sameKysely }));
    `;
    const result = runCommonJsProgram(script, packageDir);
    expect(result.stderr).toBe('');
    console.log('CommonJS build:', result.stdout.trim());
    expect(JSON.parse(result.stdout)).toEqual({ imported: false, created: true, sameKysely: true });
  });
});
