/** Text styles for terminal output; each is the identity when colour is off. */
export interface Style {
  readonly bold: (text: string) => string;
  readonly red: (text: string) => string;
  readonly yellow: (text: string) => string;
  readonly green: (text: string) => string;
}

const sgr = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;
const plain = (text: string) => text;

/**
 * Colour only on a terminal, never when `NO_COLOR` is set (https://no-color.org), and on any stream when
 * `FORCE_COLOR` is set to something other than `0`.
 */
export function styleFor(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv): Style {
  const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0';
  const color = !env.NO_COLOR && (forced || stream.isTTY === true);
  return color
    ? { bold: sgr(1, 22), red: sgr(31, 39), yellow: sgr(33, 39), green: sgr(32, 39) }
    : { bold: plain, red: plain, yellow: plain, green: plain };
}
