import { createHash, timingSafeEqual } from 'node:crypto';

/** Paths that answer without the password, as in Letta: load balancers probe them unauthenticated. */
const EXEMPT = new Set(['/v1/health', '/v1/health/', '/v1/ready', '/v1/ready/']);

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Letta's password mode: a request passes with `Authorization: Bearer <password>` or
 * `X-BARE-PASSWORD: password <password>`; health and readiness are exempt. Compared in constant time.
 */
export function passwordCheck(password: string): (path: string, headers: Record<string, unknown>) => boolean {
  const expected = digest(password);
  const matches = (candidate: string | undefined) =>
    candidate !== undefined && timingSafeEqual(digest(candidate), expected);
  return (path, headers) => {
    if (EXEMPT.has(path)) return true;
    const authorization = headers.authorization;
    const bare = headers['x-bare-password'];
    return (
      matches(typeof authorization === 'string' ? afterPrefix(authorization, 'Bearer ') : undefined) ||
      matches(typeof bare === 'string' ? afterPrefix(bare, 'password ') : undefined)
    );
  };
}

function afterPrefix(value: string, prefix: string): string | undefined {
  return value.slice(0, prefix.length).toLowerCase() === prefix.toLowerCase()
    ? value.slice(prefix.length)
    : undefined;
}
