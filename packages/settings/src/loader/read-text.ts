import { readFileSync } from 'node:fs';

export type ReadResult = { readonly text: string } | { readonly missing: true } | { readonly error: string };

/** Reads a text file; a missing file and an unreadable one are results, not exceptions. */
export function readText(path: string): ReadResult {
  try {
    return { text: readFileSync(path, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
    return code === 'ENOENT' ? { missing: true } : { error: code };
  }
}
