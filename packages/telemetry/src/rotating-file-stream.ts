import { closeSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export interface RotatingFileOptions {
  /** The live log file; backups are `<path>.1` (newest) to `<path>.<backups>`. */
  path: string;
  /** Rotate before a write would take the file past this many bytes (default 10 MiB). */
  maxBytes?: number;
  /** How many rotated files to keep (default 3). */
  backups?: number;
}

/**
 * A size-rotating log file with Python's `RotatingFileHandler` behaviour and naming (`Letta.log`,
 * `Letta.log.1`, ...). Writes are synchronous, as Python's are, so nothing is lost on a crash.
 */
export class RotatingFileStream {
  private readonly path: string;
  private readonly maxBytes: number;
  private readonly backups: number;
  private fd: number;
  private size: number;

  constructor({ path, maxBytes = 10 * 1024 * 1024, backups = 3 }: RotatingFileOptions) {
    this.path = path;
    this.maxBytes = maxBytes;
    this.backups = backups;
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'a');
    this.size = fstatSync(this.fd).size;
  }

  write(chunk: string): boolean {
    const bytes = Buffer.byteLength(chunk);
    if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
    writeSync(this.fd, chunk);
    this.size += bytes;
    return true;
  }

  private rotate(): void {
    closeSync(this.fd);
    if (this.backups > 0) {
      rmSync(`${this.path}.${this.backups}`, { force: true });
      for (let index = this.backups - 1; index >= 1; index--)
        renameIfPresent(`${this.path}.${index}`, `${this.path}.${index + 1}`);
      renameSync(this.path, `${this.path}.1`);
    }
    this.fd = openSync(this.path, this.backups > 0 ? 'a' : 'w');
    this.size = 0;
  }
}

function renameIfPresent(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
