import { createRequire } from 'node:module';
import type Pino from 'pino';

let pino: typeof Pino | undefined;

/** pino, loaded with the first logger: importing the package does not load it. */
export function loadPino(): typeof Pino {
  pino ??= createRequire(import.meta.url)('pino') as typeof Pino;
  return pino;
}
