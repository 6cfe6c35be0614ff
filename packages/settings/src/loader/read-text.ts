import { closeSync, constants, fstatSync, openSync, readSync, type Stats, statSync } from 'node:fs';
import { overLimit } from './file-limits';

export type ReadResult = { readonly text: string } | { readonly missing: true } | { readonly error: string };

/** What a path that is not a regular file is, in words. */
function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

function refused(stats: Stats, maxBytes: number): string | undefined {
  if (!stats.isFile()) return `is ${kindOf(stats)}, not a regular file; name a file`;
  if (stats.size > maxBytes)
    return overLimit('maxFileBytes', `is ${stats.size} bytes, more than the limit of ${maxBytes}`);
  return undefined;
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? 'EIO';
}

/**
 * Reads a regular text file of at most `maxBytes`. A missing file and one that cannot be read are
 * results, not exceptions. The path is checked before it is opened, so a FIFO or a device is never
 * opened for reading (which could block forever); it is opened non-blocking and checked again, in case
 * it was replaced in between.
 */
export function readText(path: string, maxBytes: number): ReadResult {
  let fd: number | undefined;
  try {
    const problem = refused(statSync(path), maxBytes);
    if (problem !== undefined) return { error: problem };
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const stats = fstatSync(fd);
    const again = refused(stats, maxBytes);
    if (again !== undefined) return { error: again };
    const buffer = Buffer.alloc(stats.size + 1);
    let length = 0;
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length > stats.size) return { error: 'changed while it was read; try again' };
    }
    return { text: buffer.toString('utf8', 0, length) };
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') return { missing: true };
    return {
      error: code === 'ELOOP' ? 'cannot be read: its symbolic links form a loop' : `cannot be read (${code})`,
    };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
