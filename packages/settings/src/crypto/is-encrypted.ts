import { OVERHEAD_BYTES } from './letta-cipher';

/** Prefixes of well-known plaintext tokens, which Letta never takes for encrypted values. */
const PLAINTEXT_PREFIXES = [
  'sk-',
  'pk-',
  'api-',
  'key-',
  'token-',
  'Bearer ',
  'xoxb-',
  'xoxp-',
  'ghp_',
  'gho_',
  'ghu_',
  'ghs_',
  'ghr_',
  'AKIA',
  'ABIA',
  'ACCA',
  'ASIA',
];

const ALPHABET = /[A-Za-z0-9+/]/;
const NON_ASCII = /[^\p{ASCII}]/u;

/**
 * The number of bytes Python's `base64.b64decode` returns for a text, or `undefined` where it raises.
 * Like CPython's `binascii.a2b_base64` in its default, lenient mode, it skips characters outside the
 * alphabet, stops at a complete padding, and requires the data characters to fill whole groups of four
 * (or a group to be padded); a non-ASCII text fails before decoding.
 */
function lenientDecodedLength(text: string): number | undefined {
  if (NON_ASCII.test(text)) return undefined;
  let quad = 0;
  let pads = 0;
  let bytes = 0;
  for (const char of text) {
    if (char === '=') {
      if (quad >= 2 && quad + ++pads >= 4) return bytes;
      continue;
    }
    if (!ALPHABET.test(char)) continue;
    pads = 0;
    if (quad > 0) bytes++;
    quad = (quad + 1) % 4;
  }
  return quad === 0 ? bytes : undefined;
}

/**
 * Letta's guess at whether a stored value is encrypted: false for well-known token prefixes (`sk-`,
 * `Bearer `, `ghp_`, `AKIA`...), otherwise true when lenient base64 decoding gives more bytes than an
 * encrypted empty string (44). It misfires both ways: an encrypted empty string is not recognised, and
 * any plaintext of 60 or more base64 characters (a long hex or base64 key, a JWT) is taken for
 * encrypted.
 */
export function isEncrypted(value: string | null | undefined): boolean {
  if (!value) return false;
  if (PLAINTEXT_PREFIXES.some((prefix) => value.startsWith(prefix))) return false;
  const length = lenientDecodedLength(value);
  return length !== undefined && length > OVERHEAD_BYTES;
}
