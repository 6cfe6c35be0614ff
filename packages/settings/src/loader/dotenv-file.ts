/** One `NAME=value` assignment of a `.env` file, with the line it starts on. */
export interface DotenvEntry {
  readonly name: string;
  readonly value: string;
  readonly line: number;
}

export interface ParsedDotenv {
  readonly entries: readonly DotenvEntry[];
  /** Lines that are not `NAME=value`, a comment or blank (their text is not kept: it may be a secret). */
  readonly badLines: readonly number[];
}

const ASSIGNMENT = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/;
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

function unescapeDoubleQuoted(text: string): string {
  return text.replace(/\\([nrt"\\])/g, (_, char: string) => ESCAPES[char] ?? char);
}

/** The index of the quote that closes a value opened with `quote`, or -1. */
function closingQuote(text: string, quote: string): number {
  for (let index = 0; index < text.length; index++) {
    if (quote === '"' && text[index] === '\\') index++;
    else if (text[index] === quote) return index;
  }
  return -1;
}

/**
 * Parses `.env` text: `NAME=value` lines with an optional `export`, `#` comments, single- or
 * double-quoted values (which may span lines; double quotes understand `\n`, `\t`, `\"` and `\\`), and
 * unquoted values that end at ` #`. There is no `${VAR}` expansion.
 */
export function parseDotenv(text: string): ParsedDotenv {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const entries: DotenvEntry[] = [];
  const badLines: number[] = [];
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const match = ASSIGNMENT.exec(line);
    if (!match) {
      badLines.push(index + 1);
      continue;
    }
    const [, name = '', rest = ''] = match;
    const start = index + 1;
    const quote = rest[0];
    if (quote !== '"' && quote !== "'" && quote !== '`') {
      entries.push({ name, value: rest.replace(/\s+#.*$/, '').trim(), line: start });
      continue;
    }
    let body = rest.slice(1);
    let end = closingQuote(body, quote);
    while (end === -1 && index + 1 < lines.length) {
      index++;
      body += `\n${lines[index]}`;
      end = closingQuote(body, quote);
    }
    const after = end === -1 ? '' : body.slice(end + 1).trim();
    if (end === -1 || (after !== '' && !after.startsWith('#'))) {
      badLines.push(start);
      continue;
    }
    const value = body.slice(0, end);
    entries.push({ name, value: quote === '"' ? unescapeDoubleQuoted(value) : value, line: start });
  }
  return { entries, badLines };
}
