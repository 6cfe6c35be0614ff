import { isSecretLike, REDACTED, redactCredentials } from '@letta/core';

const secretKey =
  /(?:pass(?:word|wd)?|secret|token|api[-_]?key|access[-_]?key|private[-_]?key|encryption[-_]?key|authorization|cookie|credentials?)$/i;
const maxDepth = 6;
// Field names repeat from line to line, so each name's verdict is remembered (up to a bound).
const keyVerdicts = new Map<string, boolean>();
const maxRememberedKeys = 4096;

function isSecretKey(key: string): boolean {
  let verdict = keyVerdicts.get(key);
  if (verdict === undefined) {
    verdict = secretKey.test(key);
    if (keyVerdicts.size < maxRememberedKeys) keyVerdicts.set(key, verdict);
  }
  return verdict;
}

/**
 * Returns `fields` with secrets replaced: values under secret-sounding keys (`password`, `apiKey`,
 * `authorization`, `cookie`, ...), `Secret`-like objects (anything with `reveal()`), and passwords
 * inside URIs. Copies only what it changes, so a line without secrets allocates nothing.
 */
export function redactSecrets<T extends object>(fields: T): T {
  if (isSecretLike(fields)) return {} as T;
  return scrub(fields, 0) as T;
}

function scrub(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return redactCredentials(value);
  if (typeof value !== 'object' || value === null || depth > maxDepth) return value;
  if (isSecretLike(value)) return REDACTED;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const next = scrub(value[i], depth + 1);
      if (next !== value[i]) {
        copy ??= value.slice();
        copy[i] = next;
      }
    }
    return copy ?? value;
  }
  if (!isPlainObject(value)) return value;
  let copy: Record<string, unknown> | undefined;
  for (const key in value) {
    const current = (value as Record<string, unknown>)[key];
    const next =
      current !== undefined && current !== null && isSecretKey(key) ? REDACTED : scrub(current, depth + 1);
    if (next !== current) {
      copy ??= { ...value };
      copy[key] = next;
    }
  }
  return copy ?? value;
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
