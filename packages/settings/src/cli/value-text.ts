/**
 * A value written as an environment variable. A list of strings is a JSON array, the only list Letta's
 * settings read (`LETTA_CORS_ORIGINS='["a","b"]'`); other lists are comma-separated (JSON when an item
 * has a comma).
 */
export function envText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return JSON.stringify(value);
  if (Array.isArray(value)) {
    const items = value.map((item) => (typeof item === 'object' ? JSON.stringify(item) : String(item)));
    return items.some((item) => item.includes(',')) ? JSON.stringify(value) : items.join(',');
  }
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** A value as the right-hand side of a `.env` line: quoted when it has spaces, quotes, `#` or newlines. */
export function dotenvValue(text: string): string {
  return /[\s"'`#\\]/.test(text) ? JSON.stringify(text) : text;
}

/** A description as a sentence that ends in a full stop, for generated docs. */
export function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
