// Encoding helpers: RFC 3986 percent-encoding as SigV4 defines UriEncode(), hex and UTF-8.

import { optionError, quoteText, type Fault } from './errors.js';

const utf8Encoder = /* @__PURE__ */ new TextEncoder();

/** UTF-8 bytes of a string. */
export const utf8 = (text: string): Uint8Array => utf8Encoder.encode(text);

/** The two lowercase hex digits of each byte value. */
export const HEX: readonly string[] = /* @__PURE__ */ Array.from(
  { length: 256 },
  (_, i) => (i < 16 ? '0' : '') + i.toString(16),
);

/** Lowercase hex of bytes. */
export function toHex(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let out = '';
  for (let i = 0; i < view.length; i++) out += HEX[view[i]!];
  return out;
}

/** Bytes of a hex string of even length (already checked to be hex). */
export const fromHex = (hex: string): Uint8Array =>
  Uint8Array.from({ length: hex.length >> 1 }, (_, i) => parseInt(hex.slice(2 * i, 2 * i + 2), 16));

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when the string holds a UTF-16 surrogate without its pair, which has no UTF-8 form. */
export const hasLoneSurrogate = (text: string): boolean =>
  // String.prototype.isWellFormed (ES2024) where the runtime has it: much faster than the pattern.
  (text as { isWellFormed?: () => boolean }).isWellFormed?.() === false ||
  (!('isWellFormed' in String.prototype) && LONE_SURROGATE.test(text));

const escapeSubDelim = (c: string): string => '%' + c.charCodeAt(0).toString(16).toUpperCase();

/**
 * SigV4's UriEncode(): every byte of the UTF-8 form except the RFC 3986 unreserved set (A-Z a-z 0-9 - . _ ~)
 * becomes %XX with uppercase hex. `/` is encoded too; paths are encoded one segment at a time.
 * The caller has checked that `text` has no lone surrogate.
 */
export function uriEncode(text: string): string {
  if (UNRESERVED.test(text)) return text; // the common case, and the cheapest test
  // encodeURIComponent keeps ! ' ( ) * as they are; RFC 3986 (section 2.2) counts them as reserved.
  return encodeURIComponent(text).replace(SUB_DELIMS, escapeSubDelim);
}

const UNRESERVED = /^[\w.~-]*$/;
const SUB_DELIMS = /[!'()*]/g;
const HEX_PAIR = /^[0-9A-Fa-f]{2}$/;
const ESCAPED_HIGH_BYTE = /%[89A-Fa-f]/;

/** Fails, through `fault`, for a `%` at `index` of `text` that does not start an escape. */
export function badEscape(name: string, text: string, index: number, fault: Fault): never {
  return fault(
    `"${name}" expected "%" to start an escape of two hex digits (write a literal "%" as %25), got ${quoteText(text.slice(index, index + 3))} at index ${index}`,
  );
}

/**
 * Brings URL text that may already hold %XX escapes to its one canonical encoded form: each escape stands for
 * its byte, every other character for its UTF-8 bytes, and the bytes are encoded again with {@link uriEncode}'s
 * rules. So `a b` and `a%20b` both give `a%20b`, `%7e` gives `~`, `%2f` gives `%2F`, and `+` gives `%2B`
 * (RFC 3986 text, not HTML form encoding). Bytes that are not UTF-8 (`%FF`) are kept as they are.
 * A `%` that is not followed by two hex digits fails through `fault` (by default a TypeError with the code
 * ERR_SIGV4_INVALID_OPTION, whose message names the value `name`).
 */
export function normalizeEscapes(text: string, name: string, fault: Fault = optionError): string {
  if (!text.includes('%')) return uriEncode(text);
  // Escapes of ASCII only: one native call. An escaped byte from 0x80 may not be UTF-8, and a failed decode costs
  // an exception (a URL of "a=%FF&" pieces would throw thousands), so those go byte by byte, which gives the same
  // text.
  if (!ESCAPED_HIGH_BYTE.test(text)) {
    try {
      return uriEncode(decodeURIComponent(text));
    } catch {
      // A malformed escape: the loop below says where.
    }
  }
  let out = '';
  for (let i = 0; i < text.length;) {
    if (text.charCodeAt(i) === 0x25) {
      const hex = text.slice(i + 1, i + 3);
      if (!HEX_PAIR.test(hex)) badEscape(name, text, i, fault);
      // An unreserved character stands for itself (UNRESERVED has no u flag: \w is ASCII only); a byte from 0x80
      // (hex from "8"), the common escape here, never is, and skips the test.
      const char = String.fromCharCode(parseInt(hex, 16));
      out += hex < '8' && UNRESERVED.test(char) ? char : '%' + hex.toUpperCase();
      i += 3;
    } else {
      const next = text.indexOf('%', i);
      const end = next < 0 ? text.length : next;
      out += uriEncode(text.slice(i, end));
      i = end;
    }
  }
  return out;
}

/** Trims HTTP's optional whitespace (spaces and tabs) and nothing else, in one pass. */
export function trimOws(text: string): string {
  const ows = (i: number): boolean => text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09;
  let start = 0;
  let end = text.length;
  while (start < end && ows(start)) start++;
  while (end > start && ows(end - 1)) end--;
  return text.slice(start, end);
}
