import { ConfigError } from './config-error';

/** Where a database URI came from, named in the error: the option and the Letta variable that feed it. */
export interface DatabaseUriLocation {
  /** The option or setting that holds the URI, e.g. `uri` or `lettaPgUri`. @default 'uri' */
  readonly path?: string;
  /** The environment variable that supplies it, e.g. `LETTA_PG_URI`. */
  readonly envVar?: string;
}

/** A database URI that cannot be used; the message shows the URI with its password redacted. */
export class DatabaseUriError extends ConfigError {
  override readonly name = 'DatabaseUriError';
  readonly code = 'ERR_DB_URI';

  constructor(message: string, location: DatabaseUriLocation = {}) {
    const { path = 'uri', envVar } = location;
    super('The database URI cannot be used', [{ path, ...(envVar && { envVar }), message }]);
  }
}
