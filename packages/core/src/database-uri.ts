import { DatabaseUriError, type DatabaseUriLocation } from './database-uri-error';
import { redactUri } from './redact-uri';
import { reveal, Secret, type SecretLike } from './secret';

/** The parts of a Postgres URI. Credentials are percent-decoded; the password stays a secret. */
export interface DatabaseUri {
  /** Always `postgresql`, also for `postgres://`. */
  readonly scheme: 'postgresql';
  /** The SQLAlchemy driver suffix (`asyncpg` in `postgresql+asyncpg://`), or null. It is ignored for connecting. */
  readonly driver: string | null;
  readonly user: string | null;
  readonly password: SecretLike | null;
  /** A host name, an IP address (IPv6 without brackets) or a Unix socket directory. */
  readonly host: string | null;
  readonly port: number | null;
  readonly database: string | null;
  /** The query parameters, except the credentials and connection parts taken into the fields above. */
  readonly params: Readonly<Record<string, string>>;
}

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;
const EXAMPLE = 'postgresql://user:password@host:5432/database';

/**
 * The URI as an error shows it. Until the URI has parsed, nothing tells its password from the rest
 * (`postgresql://u:secret` without an `@` reads as a host and a port), so only the scheme is shown.
 */
function shownUri(text: string, parsed: boolean): string {
  if (parsed) return ` ${redactUri(text)}`;
  const scheme = SCHEME.exec(text)?.[0];
  return scheme === undefined ? '' : ` ${scheme}…`;
}

function uriError(
  text: string,
  problem: string,
  location: DatabaseUriLocation,
  parsed = true,
): DatabaseUriError {
  const name = location.envVar ? ` (${location.path ?? 'uri'}, ${location.envVar})` : '';
  const shown = shownUri(text, parsed);
  return new DatabaseUriError(
    `The database URI${name}${shown} ${problem}. Expected ${EXAMPLE} ` +
      '(postgres://, postgresql+asyncpg:// and postgresql+pg8000:// are accepted too).',
    location,
  );
}

function decode(text: string, part: string, value: string, location: DatabaseUriLocation): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw uriError(text, `has a malformed percent-encoding in its ${part}`, location);
  }
}

/**
 * Parses a Postgres URI as Letta writes them: `postgresql://`, `postgres://` and SQLAlchemy's
 * driver-suffixed schemes (`postgresql+asyncpg://`, `postgresql+pg8000://`), percent-encoded
 * credentials, bracketed IPv6 hosts, and libpq's `host`, `port`, `user`, `password` and `dbname`
 * query parameters. Throws `DatabaseUriError`, with the password redacted, when it cannot; `location`
 * names the option and variable the URI came from in that error.
 */
export function parseDatabaseUri(uri: string | SecretLike, location: DatabaseUriLocation = {}): DatabaseUri {
  const text = reveal(uri).trim();
  const match = SCHEME.exec(text);
  if (!match?.[1]) throw uriError(text, 'has no scheme', location, false);
  const [base = '', driver = null, ...extra] = match[1].toLowerCase().split('+');
  if ((base !== 'postgresql' && base !== 'postgres') || extra.length > 0 || driver === '') {
    throw uriError(text, `has the scheme "${match[1]}", which is not a Postgres scheme`, location, false);
  }

  let url: URL;
  try {
    url = new URL(`postgresql://${text.slice(match[0].length)}`);
  } catch {
    throw uriError(
      text,
      'is not a valid URI (check the port, the brackets around an IPv6 host, and that special ' +
        'characters in the user name and password are percent-encoded, e.g. @ as %40)',
      location,
      false,
    );
  }
  if (url.hostname.includes(','))
    throw uriError(text, 'names several hosts, which is not supported', location);
  if (url.hash) throw uriError(text, 'has a #fragment, which a database URI cannot have', location);

  const path = url.pathname.replace(/^\//, '');
  if (path.includes('/'))
    throw uriError(text, 'has a path with more than one segment; the path is the database name', location);

  const params: Record<string, string> = {};
  for (const [key, value] of url.searchParams) params[key] = value;
  const {
    host: hostParam,
    port: portParam,
    user: userParam,
    password: passwordParam,
    dbname,
    ...rest
  } = params;

  const host = hostParam ?? (url.hostname.replace(/^\[(.*)\]$/, '$1') || null);
  const portText = portParam ?? url.port;
  const port = portText ? Number(portText) : null;
  if (port !== null && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    throw uriError(text, `has the port "${portText}", which is not a number from 1 to 65535`, location);
  }
  const user = userParam ?? (url.username ? decode(text, 'user name', url.username, location) : null);
  const password = passwordParam ?? (url.password ? decode(text, 'password', url.password, location) : null);
  const database = dbname ?? (path ? decode(text, 'database name', path, location) : null);

  return {
    scheme: 'postgresql',
    driver,
    user,
    password: password ? new Secret(password) : null,
    host,
    port,
    database,
    params: rest,
  };
}
