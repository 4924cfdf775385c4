// Reading the verifiers' options: caller misuse is a TypeError or RangeError, thrown before the request is read.

import { checkPayloadHash } from '../core/check.js';
import { describe, fail, invalidType, outOfRange } from '../core/errors.js';
import { checkCache, type SigningKeyCache } from '../core/key-cache.js';
import { forEachPair } from '../core/pairs.js';
import { STANDARD_METHODS, TOKEN } from '../core/rules.js';
import { MAX_CHUNK_SIZE } from '../stream/framing.js';
import { isStream } from './body.js';
import { checkAccepted, checkSignal, readClock } from './common.js';
import type { CredentialLookup, VerifyOptions } from './types.js';

/** The verifiers' options, validated. */
export interface Settings {
  readonly url: string | URL;
  readonly method: string;
  readonly headers: Map<string, string[]>;
  readonly getCredentials: CredentialLookup;
  readonly regions: readonly string[];
  readonly services: readonly string[];
  readonly now: number;
  readonly clockSkew: number;
  readonly uriEscapePath: boolean | undefined;
  readonly normalizePath: boolean | undefined;
  readonly payloadHash: string | undefined;
  readonly body: string | Uint8Array | ArrayBuffer | ReadableStream<Uint8Array> | undefined;
  /** The largest signed chunk of an aws-chunked body accepted. */
  readonly maxChunkSize: number;
  readonly signSessionToken: boolean;
  readonly cache: SigningKeyCache | false | undefined;
  readonly signal: AbortSignal | undefined;
  readonly diagnoseMethod: boolean;
}

function checkOptional<T>(name: string, value: unknown, ok: (v: unknown) => boolean, expected: string): T | undefined {
  if (value !== undefined && !ok(value)) invalidType(name, expected, value);
  return value as T | undefined;
}

const isBoolean = (v: unknown): boolean => typeof v === 'boolean';

/** Validates the options (caller misuse is a TypeError or RangeError) and reads the received headers. */
export function readOptions(options: VerifyOptions, headersRequired: boolean): Settings {
  if (typeof options !== 'object' || options === null) invalidType('options', 'an object', options);
  const { url, method, getCredentials } = options;
  if (typeof url !== 'string' && !(url instanceof URL))
    invalidType('url', 'the absolute URL received, as a string or URL', url);
  if (typeof method !== 'string') invalidType('method', 'the HTTP method the request used, as a string', method);
  if (typeof getCredentials !== 'function')
    invalidType('getCredentials', 'a function (accessKeyId) => credentials | undefined', getCredentials);
  const regions = checkAccepted('region', options.region);
  const services = checkAccepted('service', options.service);

  const { now, clockSkew } = readClock(options);

  const payloadHash =
    options.payloadHash === undefined ? undefined : checkPayloadHash('payloadHash', options.payloadHash);
  const isBody = (v: unknown): boolean =>
    typeof v === 'string' || v instanceof Uint8Array || v instanceof ArrayBuffer || isStream(v);
  const body = checkOptional<string | Uint8Array | ArrayBuffer | ReadableStream<Uint8Array>>(
    'body',
    options.body,
    isBody,
    'a string, Uint8Array, ArrayBuffer or ReadableStream',
  );
  const maxChunkSize = options.maxChunkSize ?? MAX_CHUNK_SIZE;
  if (typeof maxChunkSize !== 'number' || !Number.isInteger(maxChunkSize) || maxChunkSize < 1 || maxChunkSize > 2 ** 30)
    outOfRange('maxChunkSize', 'an integer from 1 to 2^30 (bytes)', options.maxChunkSize);
  const cache = checkCache(options.cache);

  if (headersRequired && (options.headers === undefined || options.headers === null)) {
    invalidType('headers', 'the headers received (they carry the signature)', options.headers);
  }
  const headers = new Map<string, string[]>();
  forEachPair('headers', options.headers, (name, value) => {
    const key = name.toLowerCase();
    const values = headers.get(key);
    if (values) values.push(value);
    else headers.set(key, [value]);
  });

  if (!TOKEN.test(method))
    fail('ERR_SIGV4_MALFORMED', `the method expected an HTTP token such as "GET", got ${describe(method)}`);
  return {
    url,
    // As the signer (and fetch) does: the standard methods are upper-cased, others are case-sensitive.
    method: STANDARD_METHODS.test(method) ? method.toUpperCase() : method,
    headers,
    getCredentials,
    regions,
    services,
    now,
    clockSkew,
    uriEscapePath: checkOptional<boolean>('uriEscapePath', options.uriEscapePath, isBoolean, 'a boolean'),
    normalizePath: checkOptional<boolean>('normalizePath', options.normalizePath, isBoolean, 'a boolean'),
    payloadHash,
    body,
    maxChunkSize,
    signSessionToken:
      checkOptional<boolean>('signSessionToken', options.signSessionToken, isBoolean, 'a boolean') ?? true,
    cache,
    signal: checkSignal(options.signal),
    diagnoseMethod: checkOptional<boolean>('diagnoseMethod', options.diagnoseMethod, isBoolean, 'a boolean') ?? false,
  };
}
