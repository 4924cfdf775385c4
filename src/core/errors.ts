// Errors: caller misuse is a TypeError or RangeError (code ERR_SIGV4_INVALID_OPTION) thrown before any crypto runs;
// failures caused by data (a signature that does not verify, an expired URL) are a SigV4Error with a stable `code`.
// No message ever contains a secret key, a derived key or an expected signature.

/** The closed set of codes a {@link SigV4Error} can carry. */
export type SigV4ErrorCode =
  | 'ERR_SIGV4_MALFORMED'
  | 'ERR_SIGV4_ALGORITHM'
  | 'ERR_SIGV4_CREDENTIAL'
  | 'ERR_SIGV4_UNKNOWN_ACCESS_KEY'
  | 'ERR_SIGV4_SCOPE'
  | 'ERR_SIGV4_REGION'
  | 'ERR_SIGV4_SERVICE'
  | 'ERR_SIGV4_DATE'
  | 'ERR_SIGV4_EXPIRES'
  | 'ERR_SIGV4_NOT_YET_VALID'
  | 'ERR_SIGV4_EXPIRED'
  | 'ERR_SIGV4_SIGNED_HEADERS'
  | 'ERR_SIGV4_METHOD'
  | 'ERR_SIGV4_AUTH_MECHANISM'
  | 'ERR_SIGV4_SESSION_TOKEN'
  | 'ERR_SIGV4_PAYLOAD_HASH'
  | 'ERR_SIGV4_SIGNATURE_MISMATCH'
  | 'ERR_SIGV4_POLICY'
  | 'ERR_SIGV4_POLICY_CONDITION'
  | 'ERR_SIGV4_ENTITY_TOO_SMALL'
  | 'ERR_SIGV4_ENTITY_TOO_LARGE'
  // A streaming (aws-chunked) body: a chunk's or the trailer's signature does not match; its framing is broken
  // (a bad hex size, an oversized or missing line, no final chunk, a truncated body, bytes after the trailer, a
  // trailer x-amz-trailer did not announce); a checksum or x-amz-decoded-content-length does not match the data.
  | 'ERR_SIGV4_CHUNK_SIGNATURE'
  | 'ERR_SIGV4_CHUNK_FRAMING'
  | 'ERR_SIGV4_CHECKSUM_MISMATCH'
  | 'ERR_SIGV4_LENGTH_MISMATCH';

/** A failure caused by the data being signed or verified, with a stable machine-readable `code`. */
export class SigV4Error extends Error {
  /** What failed, stable across versions: branch on this, not on the message. */
  readonly code: SigV4ErrorCode;
  /** Always `SigV4Error`, also for an error from another realm or copy of this library (see {@link isSigV4Error}). */
  override readonly name: 'SigV4Error' = 'SigV4Error';
  constructor(code: SigV4ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** True for a {@link SigV4Error}, including one from another realm or another copy of this library. */
export function isSigV4Error(value: unknown): value is SigV4Error {
  if (value instanceof SigV4Error) return true;
  const code = (value as { code?: unknown } | null)?.code;
  return (
    value instanceof Error && value.name === 'SigV4Error' && typeof code === 'string' && code.startsWith('ERR_SIGV4_')
  );
}

// Every control (Cc) and format (Cf) code point and the line and paragraph separators (Zl, Zp): C0 and C1
// controls, DEL, U+200E/U+200F, the bidi controls U+202A–U+202E and U+2066–U+2069, U+2028/U+2029, U+FEFF…
// JSON.stringify escapes only C0 controls; the others would reach a log or a terminal raw. (Linear: one class.)
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;
// Each UTF-16 code unit (an astral format character is two), as `\uXXXX`.
const escapeCodeUnits = (c: string): string =>
  c
    .split('')
    .map((unit) => '\\u' + unit.charCodeAt(0).toString(16).padStart(4, '0'))
    .join('');

/** JSON text with every control, format and separator code point that JSON.stringify left raw escaped as `\uXXXX`. */
export const escapeUnsafe = (json: string): string => json.replace(UNSAFE, escapeCodeUnits);

/** JSON string form of text, with every control, format and separator code point escaped as `\uXXXX`. */
export const quoteText = (text: string): string => escapeUnsafe(JSON.stringify(text));

/** Describes a received value for an error message without echoing long or secret content. */
export function describe(value: unknown): string {
  if (typeof value === 'string') {
    return value.length > 80 ? `${quoteText(value.slice(0, 80))}… (${value.length} characters)` : quoteText(value);
  }
  if (value === null || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'undefined')
    return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return `Date(${value.getTime()})`;
  return typeof value === 'object' ? `an object (${Object.prototype.toString.call(value).slice(8, -1)})` : typeof value;
}

/** Names the kind of a value without showing it: for secrets, and values that may hold one. */
export const kindOf = (value: unknown): string =>
  value === null || value === undefined
    ? String(value)
    : value === ''
      ? 'an empty string'
      : Array.isArray(value)
        ? 'an array'
        : /^[aeiou]/.test(typeof value)
          ? `an ${typeof value}`
          : `a ${typeof value}`;

/**
 * The `code` of every TypeError and RangeError this library throws for a caller's mistake: an option of the wrong
 * type or form (TypeError), or out of range (RangeError). The classes stay the built-in ones, so
 * `instanceof TypeError` still tells misuse apart; the code lets a handler that receives errors from many places
 * (a command line, a framework's error hook) recognise these without reading their messages.
 *
 * @example
 * try {
 *   return await presignUrl(options);
 * } catch (error) {
 *   if ((error as { code?: unknown }).code === INVALID_OPTION) return new Response((error as Error).message, { status: 400 });
 *   throw error;
 * }
 */
export const INVALID_OPTION = 'ERR_SIGV4_INVALID_OPTION';

/** The `code` of an option error: see {@link INVALID_OPTION}. */
export type OptionErrorCode = typeof INVALID_OPTION;

/**
 * How a check that the signers and the verifiers share fails on text it refuses: it throws an error with this
 * message (`"url" expected …, got …`). The check takes its fault from its caller, so the same bad text is a
 * caller's mistake for a signer (the default: a TypeError with the code {@link INVALID_OPTION}) and malformed
 * data for a verifier (a {@link SigV4Error} with the code `ERR_SIGV4_MALFORMED`), with one message. Anything
 * else thrown on the way, a bug, passes through as it is.
 */
export type Fault = (message: string) => never;

/** Throws the error of a caller's mistake: a TypeError, or a RangeError with `range`, with the code {@link INVALID_OPTION}. */
export function optionError(message: string, range?: boolean): never {
  throw Object.assign(range ? new RangeError(message) : new TypeError(message), { code: INVALID_OPTION });
}

/**
 * Throws `TypeError('"name" expected …, got …')` with the code {@link INVALID_OPTION}. With `secret`, the value
 * received is described by its kind only (see {@link kindOf}).
 */
export function invalidType(name: string, expected: string, got: unknown, secret = false): never {
  return optionError(`"${name}" expected ${expected}, got ${secret ? kindOf(got) : describe(got)}`);
}

/** Throws `RangeError('"name" expected …, got …')` with the code {@link INVALID_OPTION}. */
export function outOfRange(name: string, expected: string, got: unknown): never {
  return optionError(`"${name}" expected ${expected}, got ${describe(got)}`, true);
}

/** Throws a {@link SigV4Error}. */
export function fail(code: SigV4ErrorCode, message: string, cause?: unknown): never {
  throw new SigV4Error(code, message, cause === undefined ? undefined : { cause });
}
