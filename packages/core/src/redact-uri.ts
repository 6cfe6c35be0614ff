import { REDACTED, reveal, type SecretLike } from './secret';

const credentialsInText = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)[^@/?#\s]+@/gi;
const passwordParameter = /([?&]password=)[^&#\s]*/gi;

/**
 * The URI with its password replaced by `[redacted]`, in the user-info part and in a `password=`
 * parameter. It works on malformed URIs too, erring towards hiding more, so it is safe for messages.
 */
export function redactUri(uri: string | SecretLike): string {
  const text = reveal(uri);
  const scheme = text.indexOf('://');
  const authority = scheme >= 0 ? scheme + 3 : 0;
  const at = text.lastIndexOf('@');
  const colon = text.indexOf(':', authority);
  const withoutUserPassword =
    at > authority && colon >= 0 && colon < at
      ? `${text.slice(0, colon + 1)}${REDACTED}${text.slice(at)}`
      : text;
  return withoutUserPassword.replace(passwordParameter, `$1${REDACTED}`);
}

/** Redacts the password of every `scheme://user:password@host` and `password=` found in free text. */
export function redactCredentials(text: string): string {
  if (!text.includes('://') && !text.includes('password=')) return text;
  return text.replace(credentialsInText, `$1${REDACTED}@`).replace(passwordParameter, `$1${REDACTED}`);
}
