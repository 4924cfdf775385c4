// Reading an absolute http(s) URL as written: origin, host, and the raw path and query, without resolving the path
// (the URL parser would turn "//", "." and ".." into something else than what was signed).

import { hasLoneSurrogate } from './encoding.js';
import { describe, invalidType } from './errors.js';
import { ABSOLUTE_URL, CONTROL } from './rules.js';

// A host (RFC 3986 section 3.2.2: at most 255 characters) and a port. Also keeps the URL parser's IDN step, which
// is quadratic in the number of distinct non-ASCII characters, to a short host.
export const MAX_AUTHORITY_LENGTH = 261;
// A DNS name whose last label starts with a letter, and an optional port without leading zeros (see parseUrl).
const HOST_SPACE_OR_BACKSLASH = /[\\\s]/;
const PLAIN_HOST = /^((?:[a-z0-9-]+\.)*[a-z][a-z0-9-]*)(?::([1-9]\d{0,4}))?$/i;

// The last `scheme://authority` read with a plain host, and its origin and host: a run of URLs on one host reads it once.
let lastAuthority = ['', '', ''];

/** Reads an absolute http(s) URL without resolving its path, so `//`, `.` and `..` stay part of it. */
export function parseUrl(input: unknown): { origin: string; host: string; rawPath: string; rawQuery: string | undefined } {
  const text = input instanceof URL ? input.href : input;
  if (typeof text !== 'string') return invalidType('url', 'an absolute http(s) URL as a string or URL', input);
  // Control characters first, before any pattern runs on the text (a TAB can come in a Host header).
  const control = CONTROL.exec(text);
  if (control) throw new TypeError(`"url" expected no control characters, got ${describe(control[0])} at index ${control.index}`);
  const m = ABSOLUTE_URL.exec(text);
  if (m && `${m[1]}://${m[2]}` === lastAuthority[0] && !hasLoneSurrogate(text)) {
    return { origin: lastAuthority[1]!, host: lastAuthority[2]!, rawPath: m[3]!, rawQuery: m[4] };
  }
  if (hasLoneSurrogate(text)) throw new TypeError('"url" expected well-formed Unicode, got a lone UTF-16 surrogate');
  if (!m) invalidType('url', 'an absolute http(s) URL', text);
  const authority = m[2]!;
  if (authority.length > MAX_AUTHORITY_LENGTH) {
    throw new TypeError(`"url" expected a host[:port] of at most ${MAX_AUTHORITY_LENGTH} characters (a host of 255 and a port), got ${authority.length}`);
  }
  if (authority.includes('@')) {
    // Not echoed: user info is a password more often than not.
    throw new TypeError('"url" expected a host[:port] without user info (user:password@), got a URL with user info');
  }
  if (HOST_SPACE_OR_BACKSLASH.test(authority)) invalidType('url', 'a host[:port] without spaces or backslashes', authority);
  const scheme = m[1]!.toLowerCase();
  // The common host, a DNS name whose last label starts with a letter (so never an IPv4 number such as 0x7f.1),
  // with an optional port without leading zeros, is already in the form the URL parser would give: lower-case it
  // and drop the scheme's default port. Every other host (IDN, IPv4, IPv6, odd ports) goes through URL.
  const plain = PLAIN_HOST.exec(authority);
  if (plain && !(plain[2] && +plain[2] > 65535)) {
    const port = plain[2] && plain[2] !== (scheme === 'https' ? '443' : '80') ? ':' + plain[2] : '';
    const host = plain[1]!.toLowerCase() + port;
    lastAuthority = [`${m[1]}://${authority}`, `${scheme}://${host}`, host];
    return { origin: lastAuthority[1]!, host, rawPath: m[3]!, rawQuery: m[4] };
  }
  let parsed: URL;
  try {
    parsed = new URL(`${scheme}://${authority}/`);
  } catch {
    return invalidType('url', 'a valid host[:port]', authority);
  }
  return { origin: parsed.origin, host: parsed.host, rawPath: m[3]!, rawQuery: m[4] };
}
