/** Replies by which Redis refuses a client's credentials, not its address. */
const CREDENTIAL_REFUSALS = /WRONGPASS|NOAUTH|invalid username-password|invalid password|AUTH failed/i;

/**
 * What to fix when Redis was not ready: the credentials settings when the server refused them (the
 * address works: it answered), otherwise the address settings of the topology.
 */
export function whatToFix(reason: string, addressEnvVars: string): string {
  return CREDENTIAL_REFUSALS.test(reason)
    ? 'the credentials: LETTA_REDIS_PASSWORD (and LETTA_REDIS_USERNAME for an ACL user), or the user and ' +
        'password in LETTA_REDIS_URL'
    : addressEnvVars;
}
