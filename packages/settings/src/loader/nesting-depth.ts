/** A line where a YAML text nests deeper than allowed, found before the parser (which recurses) runs. */
export interface TooDeep {
  readonly line: number;
  readonly column: number;
}

const BLOCK_SCALAR = /[|>][0-9+-]*\s*(?:#.*)?$/;

interface Scan {
  /** Indentation of each open block level. */
  readonly indents: number[];
  flow: number;
  quote: string | undefined;
}

/** Scans one line's flow brackets and quotes; returns the deepest flow level seen and the column. */
function scanLine(
  line: string,
  from: number,
  scan: Scan,
): { deepest: number; column: number; blockScalar: boolean } {
  let deepest = scan.flow;
  let column = from + 1;
  for (let index = from; index < line.length; index++) {
    const char = line[index];
    if (scan.quote !== undefined) {
      if (char === '\\' && scan.quote === '"') index++;
      else if (char === scan.quote) scan.quote = undefined;
      continue;
    }
    if (char === '"' || char === "'") {
      const before = line[index - 1];
      if (before === undefined || /[\s[{,:-]/.test(before)) scan.quote = char;
    } else if (char === '#' && (index === 0 || /\s/.test(line[index - 1] ?? ''))) {
      break;
    } else if (char === '[' || char === '{') {
      scan.flow++;
      if (scan.flow > deepest) {
        deepest = scan.flow;
        column = index + 1;
      }
    } else if ((char === ']' || char === '}') && scan.flow > 0) {
      scan.flow--;
    }
  }
  const blockScalar = scan.quote === undefined && scan.flow === 0 && BLOCK_SCALAR.test(line.slice(from));
  return { deepest, column, blockScalar };
}

/**
 * The first line of a YAML (or JSON) text where mappings and lists nest more than `maxDepth` levels
 * deep, counting indentation, `- ` items and `[`/`{` brackets. One pass over the text, so a deeply
 * nested file is refused in linear time, before the parser could exhaust the stack.
 */
export function tooDeep(text: string, maxDepth: number): TooDeep | undefined {
  const lines = text.split('\n');
  const scan: Scan = { indents: [], flow: 0, quote: undefined };
  let scalarIndent: number | undefined;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    const indent = line.length - line.trimStart().length;
    const rest = line.slice(indent);
    if (scalarIndent !== undefined) {
      if (rest === '' || indent > scalarIndent) continue;
      scalarIndent = undefined;
    }
    let block = scan.indents.length;
    let from = indent;
    if (scan.quote === undefined && scan.flow === 0 && rest !== '' && !rest.startsWith('#')) {
      while (scan.indents.length > 0 && (scan.indents.at(-1) ?? 0) > indent) scan.indents.pop();
      if (scan.indents.at(-1) !== indent) scan.indents.push(indent);
      block = scan.indents.length;
      while (/^-(?:\s|$)/.test(line.slice(from))) {
        block++;
        from += line.slice(from).match(/^-\s*/)?.[0].length ?? 1;
      }
    }
    const { deepest, column, blockScalar } = scanLine(line, from, scan);
    if (block + deepest > maxDepth) return { line: index + 1, column };
    if (blockScalar) scalarIndent = indent;
  }
  return undefined;
}
