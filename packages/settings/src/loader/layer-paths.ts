import { homedir } from 'node:os';
import { isAbsolute, relative, resolve } from 'node:path';
import { DEFAULT_FILE_LIMITS, type FileLimits } from './file-limits';
import type { LoadOptions } from './load-options';

/**
 * How one load turns the paths it is given into files, files into the names its messages show, and how
 * much of a file it reads.
 */
export interface LayerPaths {
  readonly cwd: string;
  readonly home: string;
  /** A path as an absolute file: a leading `~` is the home directory, a relative path starts at `cwd`. */
  readonly absolute: (path: string) => string;
  /** A file as messages show it: relative to `cwd` when it lies inside it, else absolute. */
  readonly display: (file: string) => string;
  readonly limits: FileLimits;
}

export function layerPaths(options: LoadOptions<unknown>): LayerPaths {
  const cwd = resolve(options.cwd ?? process.cwd());
  const home = options.home ?? homedir();
  return {
    cwd,
    home,
    limits: { ...DEFAULT_FILE_LIMITS, ...options.limits },
    absolute: (path) => resolve(cwd, path.replace(/^~(?=$|[/\\])/, home)),
    display: (file) => {
      const rel = relative(cwd, file);
      return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
    },
  };
}
