// Reading an absolute http(s) URL as written: origin, host, and the raw path and query, without resolving the path
// (the URL parser would turn "//", "." and ".." into something else than what was signed).

import { hasLoneSurrogate } from './encoding.js';
import { describe, optionError, type Fault } from './errors.js';
import { memoLast } from './memo.js';
import { ABSOLUTE_URL, CONTROL } from './rules.js';

// A host (RFC 3986 section 3.2.2: at most 255 characters) and a port. Also keeps the URL parser's IDN step, which
// is quadratic in the number of distinct non-ASCII characters, to a short host.
export const MAX_AUTHORITY_LENGTH = 261;
const HOST_SPACE_OR_BACKSLASH = /[\\\s]/;
// A DNS name whose last label starts with a letter, and an optional port without leading zeros (see readOrigin).
const PLAIN_HOST = /^((?:[a-z0-9-]+\.)*[a-z][a-z0-9-]*)(?::([1-9]\d{0,4}))?$/i;

// `scheme://host[:port]` as written → the origin and the host as the URL parser writes them, or the message for a
// host[:port] that is not one. The common host, a DNS name whose last label starts with a letter (so never an IPv4
// number such as 0x7f.1), with an optional port without leading zeros, is already in that form: lower-case it and
// drop the scheme's default port. Every other host (IDN, IPv4, IPv6, odd ports) goes through URL. A run of URLs on
// one host reads and checks it once.
const readOrigin = memoLast(
  (schemeAndAuthority: string): { readonly origin: string; readonly host: string } | string => {
    const start = schemeAndAuthority.indexOf('/') + 2; // 7 for http, 8 for https
    const authority = schemeAndAuthority.slice(start);
    if (authority.length > MAX_AUTHORITY_LENGTH) {
      return `"url" expected a host[:port] of at most ${MAX_AUTHORITY_LENGTH} characters (a host of 255 and a port), got ${authority.length}`;
    }
    // Not echoed: user info is a password more often than not.
    if (authority.includes('@'))
      return '"url" expected a host[:port] without user info (user:password@), got a URL with user info';
    if (HOST_SPACE_OR_BACKSLASH.test(authority))
      return `"url" expected a host[:port] without spaces or backslashes, got ${describe(authority)}`;
    const plain = PLAIN_HOST.exec(authority);
    if (plain && !(plain[2] && +plain[2] > 65535)) {
      const host =
        plain[1]!.toLowerCase() + (plain[2] && plain[2] !== (start > 7 ? '443' : '80') ? ':' + plain[2] : '');
      return { origin: schemeAndAuthority.slice(0, start).toLowerCase() + host, host };
    }
    try {
      return new URL(schemeAndAuthority + '/');
    } catch {
      return `"url" expected a valid host[:port], got ${describe(authority)}`;
    }
  },
);

/**
 * Reads an absolute http(s) URL without resolving its path, so `//`, `.` and `..` stay part of it. Text that is not
 * one fails through `fault` (by default a TypeError with the code ERR_SIGV4_INVALID_OPTION) with a message about `"url"`.
 */
export function parseUrl(
  input: unknown,
  fault: Fault = optionError,
): { origin: string; host: string; rawPath: string; rawQuery: string | undefined } {
  const text = input instanceof URL ? input.href : input;
  if (typeof text !== 'string')
    return fault(`"url" expected an absolute http(s) URL as a string or URL, got ${describe(input)}`);
  // Control characters first, before any pattern runs on the text (a TAB can come in a Host header).
  const control = CONTROL.exec(text);
  if (control) fault(`"url" expected no control characters, got ${describe(control[0])} at index ${control.index}`);
  if (hasLoneSurrogate(text)) fault('"url" expected well-formed Unicode, got a lone UTF-16 surrogate');
  const m = ABSOLUTE_URL.exec(text);
  if (!m) return fault(`"url" expected an absolute http(s) URL, got ${describe(text)}`);
  const read = readOrigin(`${m[1]}://${m[2]}`);
  if (typeof read === 'string') return fault(read);
  return { origin: read.origin, host: read.host, rawPath: m[3]!, rawQuery: m[4] };
}
