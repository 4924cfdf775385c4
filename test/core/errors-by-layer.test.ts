// Errors by layer: the checks the signers and the verifiers share (URL, path, query, payload hash) take the way to
// fail from their caller. The same bad text is an option error (TypeError, ERR_SIGV4_INVALID_OPTION) for a signer
// and malformed data (SigV4Error, ERR_SIGV4_MALFORMED) for a verifier, with the same message; anything else thrown
// on the way, a bug, passes through as it is instead of being reported as a malformed request.

import { describe, expect, it } from 'vitest';
import { encodePath, parseQuery, readPath, toReceivedPath, toWirePath } from '../../src/core/canonical-request.js';
import { checkPayloadHash } from '../../src/core/check.js';
import { normalizeEscapes } from '../../src/core/encoding.js';
import { isSigV4Error, optionError, type Fault } from '../../src/core/errors.js';
import { parseUrl } from '../../src/core/url.js';
import { malformed, readReceivedQuery, readReceivedUrl } from '../../src/verify/read.js';
import { verifyPresignedUrl } from '../../src/index.js';

const caught = (call: () => unknown): unknown => {
  try {
    call();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
};

// Each shared check, called with a fault, on text it refuses.
const checks: [name: string, call: (fault?: Fault) => unknown, message: string][] = [
  [
    'parseUrl: a control character',
    (f) => parseUrl('https://h/a\tb', f),
    '"url" expected no control characters, got "\\t" at index 11',
  ],
  [
    'parseUrl: user info',
    (f) => parseUrl('https://u:p@h/', f),
    '"url" expected a host[:port] without user info (user:password@), got a URL with user info',
  ],
  ['parseUrl: not a URL', (f) => parseUrl('ftp://h/', f), '"url" expected an absolute http(s) URL, got "ftp://h/"'],
  ['parseUrl: a bad host', (f) => parseUrl('https://h:99999/', f), '"url" expected a valid host[:port], got "h:99999"'],
  ['parseUrl: not text', (f) => parseUrl(42, f), '"url" expected an absolute http(s) URL as a string or URL, got 42'],
  [
    'parseUrl: a lone surrogate',
    (f) => parseUrl('https://h/\uD800', f),
    '"url" expected well-formed Unicode, got a lone UTF-16 surrogate',
  ],
  [
    'encodePath',
    (f) => encodePath('/a/%zz', false, f),
    '"url" expected "%" to start an escape of two hex digits (write a literal "%" as %25), got "%zz" at index 0',
  ],
  [
    'toWirePath',
    (f) => toWirePath('/a%', f),
    '"url" expected "%" to start an escape of two hex digits (write a literal "%" as %25), got "%" at index 2',
  ],
  [
    'toReceivedPath',
    (f) => toReceivedPath('/%1', f),
    '"url" expected "%" to start an escape of two hex digits (write a literal "%" as %25), got "%1" at index 1',
  ],
  [
    'normalizeEscapes',
    (f) => normalizeEscapes('%FF%', 'key', f),
    '"key" expected "%" to start an escape of two hex digits (write a literal "%" as %25), got "%" at index 3',
  ],
  [
    'parseQuery',
    (f) => parseQuery('a=1&b=%G0', f),
    '"url" expected "%" to start an escape of two hex digits (write a literal "%" as %25), got "%G0" at index 0',
  ],
  [
    'readPath (S3)',
    (f) => readPath('/%', false, false, toReceivedPath, f),
    '"url" expected "%" to start an escape of two hex digits (write a literal "%" as %25), got "%" at index 0',
  ],
  [
    'readPath (as received)',
    (f) => readPath('/%', true, true, toReceivedPath, f),
    '"url" expected "%" to start an escape of two hex digits (write a literal "%" as %25), got "%" at index 1',
  ],
  [
    'checkPayloadHash',
    (f) => checkPayloadHash('the x-amz-content-sha256 header', 'abc', f),
    '"the x-amz-content-sha256 header" expected a lowercase hex SHA-256 (64 characters), "UNSIGNED-PAYLOAD" or "STREAMING-…", got "abc"',
  ],
];

describe('a shared check fails the way its caller says', () => {
  it.each(checks)('%s: an option error by default, malformed data for a verifier, one message', (_, call, message) => {
    const asOption = caught(() => call());
    expect(asOption).toBeInstanceOf(TypeError);
    expect(asOption).toMatchObject({ message, code: 'ERR_SIGV4_INVALID_OPTION' });
    expect(caught(() => call(optionError))).toEqual(asOption);

    const asData = caught(() => call(malformed));
    expect(isSigV4Error(asData)).toBe(true);
    expect(asData).toMatchObject({ name: 'SigV4Error', message, code: 'ERR_SIGV4_MALFORMED' });

    const seen: string[] = [];
    const recording: Fault = (text) => {
      seen.push(text);
      throw new Error('stop');
    };
    expect(() => call(recording)).toThrow('stop');
    expect(seen).toEqual([message]);
  });

  it('the verifiers report these as ERR_SIGV4_MALFORMED with the same message', async () => {
    await expect(
      verifyPresignedUrl({
        url: 'https://examplebucket.s3.amazonaws.com/100%.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404',
        method: 'GET',
        region: 'us-east-1',
        service: 's3',
        now: Date.UTC(2013, 4, 24, 0, 1),
        getCredentials: () => ({ secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }),
      }),
    ).rejects.toMatchObject({
      name: 'SigV4Error',
      code: 'ERR_SIGV4_MALFORMED',
      message:
        '"url" expected "%" to start an escape of two hex digits (write a literal "%" as %25), got "%.j" at index 3',
    });
  });
});

describe('a bug in a shared check is not a malformed request', () => {
  // What asData did: every TypeError thrown while reading received text became ERR_SIGV4_MALFORMED, a null
  // dereference included, so a bug looked like a bad request. Now only the fault turns into MALFORMED.
  it('a TypeError thrown on the way (here by the path rule readPath is given) passes through as it is', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'length')");
    const asSent = (): string => {
      throw bug;
    };
    expect(caught(() => readPath('/a b', true, true, asSent, malformed))).toBe(bug);
  });

  it('a query reader called with something that is not text throws the engine TypeError, not ERR_SIGV4_MALFORMED', () => {
    const error = caught(() => readReceivedQuery(null as unknown as string));
    expect(error).toBeInstanceOf(TypeError);
    expect(isSigV4Error(error)).toBe(false);
    expect((error as { code?: unknown }).code).toBeUndefined();
  });

  it('a URL object whose href getter is broken: its TypeError passes through', () => {
    const bug = new TypeError('broken href');
    const url = new (class extends URL {
      override get href(): string {
        throw bug;
      }
    })('https://examplebucket.s3.amazonaws.com/k');
    expect(caught(() => readReceivedUrl(url))).toBe(bug);
    expect(caught(() => parseUrl(url, malformed))).toBe(bug);
  });
});
