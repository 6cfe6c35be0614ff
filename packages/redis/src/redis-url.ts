import { reveal, type SecretLike } from '@letta/core';
import { issueAt, LETTA_OPTION } from './option-checks';
import { RedisOptionsError } from './redis-errors';
import type { RedisAddress } from './redis-options';

/** What a `redis://` or `rediss://` URL says besides the address. */
export interface RedisUrlParts {
  username: string | null;
  password: string | null;
  db: number | null;
  tls: boolean;
}

/** The parts of a `redis://` or `rediss://` URL; an error about it never shows the URL. */
export function parseRedisUrl(value: string | SecretLike): RedisAddress & RedisUrlParts {
  let url: URL;
  try {
    url = new URL(reveal(value));
  } catch {
    throw urlError('could not be parsed');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:')
    throw urlError(`has the scheme ${url.protocol}`);
  if (url.hostname === '') throw urlError('has no host');
  if (url.search !== '' || url.hash !== '') {
    throw urlError('has query parameters or a fragment, which are not read (pass them as options instead)');
  }
  const path = url.pathname;
  if (path !== '' && path !== '/' && !/^\/\d+$/.test(path)) {
    throw urlError('has a path that is not a database number such as /0');
  }
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port === '' ? 6379 : Number(url.port),
    username: decodeCredential(url.username),
    password: decodeCredential(url.password),
    db: path.length > 1 ? Number(path.slice(1)) : null,
    tls: url.protocol === 'rediss:',
  };
}

function decodeCredential(part: string): string | null {
  try {
    return part === '' ? null : decodeURIComponent(part);
  } catch {
    throw urlError('has a user name or password that is not valid percent-encoding');
  }
}

function urlError(problem: string): RedisOptionsError {
  return new RedisOptionsError([
    issueAt(
      LETTA_OPTION.url,
      'Redis option url (LETTA_REDIS_URL) must be a redis:// or rediss:// URL such as ' +
        `redis://user:password@host:6379/0, but it ${problem} (the URL is not shown: it may hold a password). ` +
        'Fix the URL.',
    ),
  ]);
}
