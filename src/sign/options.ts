// Reading the caller's request: every option is validated here, before any crypto runs, and turned into the
// encoded parts the canonical request is built from.

import { checkBoolean, checkPayloadHash, checkScopePart } from '../core/check.js';
import { parseQuery, readPath, toWirePath } from '../core/canonical-request.js';
import { checkCredentials, type Credentials } from '../core/credentials.js';
import { toAmzDate, toSigningDate } from '../core/date.js';
import { hasLoneSurrogate, uriEncode } from '../core/encoding.js';
import { describe, invalidType, optionError } from '../core/errors.js';
import { checkCache, type SigningKeyCache } from '../core/key-cache.js';
import { forEachPair } from '../core/pairs.js';
import { HEADER_VALUE, SIGNER_HEADERS, SIGNER_PARAMS, STANDARD_METHODS, TOKEN } from '../core/rules.js';
import { parseUrl } from '../core/url.js';
import type { SigningOptions } from './types.js';

/** A request, validated and encoded, ready for the canonical request. */
export interface RequestParts {
  readonly method: string;
  /** `scheme://host[:port]` */
  readonly origin: string;
  /** host[:port] as the Host header carries it (default ports left out). */
  readonly host: string;
  /** The path as it goes on the wire: S3's canonical encoded form, or the caller's path as fetch sends it. */
  readonly path: string;
  /** CanonicalURI: the path, normalized and encoded a second time where the service's rules say so. */
  readonly canonicalUri: string;
  /** Encoded query pairs, in the order given. */
  readonly query: (readonly [string, string])[];
  /** The caller's headers: lowercase names to their values, in the order given. */
  readonly headers: Map<string, string[]>;
  readonly credentials: Credentials;
  readonly region: string;
  readonly service: string;
  readonly signingDate: Date;
  /** `YYYYMMDD'T'HHMMSS'Z'` */
  readonly amzDate: string;
  /** The `payloadHash` option, or the `x-amz-content-sha256` header when only that was given. */
  readonly payloadHash: string | undefined;
  readonly signSessionToken: boolean;
  /** The `cache` option, validated: where the signing key is looked up. */
  readonly cache: SigningKeyCache | false | undefined;
}

/** Validates the options shared by presigning and header signing, and encodes the request. */
export function readRequest(options: SigningOptions): RequestParts {
  if (typeof options !== 'object' || options === null) invalidType('options', 'an object', options);
  const service = checkScopePart('service', options.service);
  const region = checkScopePart('region', options.region);
  const credentials = checkCredentials(options.credentials);
  const isS3 = service === 's3';
  let method = options.method === undefined ? 'GET' : options.method;
  if (method !== 'GET') {
    if (typeof method !== 'string' || !TOKEN.test(method))
      invalidType('method', 'an HTTP method token such as "GET"', method);
    // Like fetch, standard methods are upper-cased (a server sees "GET" for "get"); others are case-sensitive.
    if (STANDARD_METHODS.test(method)) method = method.toUpperCase();
  }

  const { origin, host, rawPath, rawQuery } = parseUrl(options.url);
  const { path, canonicalUri } = readPath(
    rawPath,
    checkBoolean('uriEscapePath', options.uriEscapePath, !isS3),
    checkBoolean('normalizePath', options.normalizePath, !isS3),
    toWirePath,
  );

  const query = parseQuery(rawQuery ?? '');
  for (const [key] of query) {
    if (SIGNER_PARAMS.test(key))
      optionError(`"url" expected no ${JSON.stringify(key)} query parameter, which the signer sets`);
  }
  forEachPair('query', options.query, (key, value) => {
    if (hasLoneSurrogate(key) || hasLoneSurrogate(value)) {
      optionError(`"query" expected well-formed Unicode, got a lone UTF-16 surrogate in ${describe(key)}`);
    }
    if (SIGNER_PARAMS.test(key))
      optionError(`"query" expected no ${JSON.stringify(key)} query parameter, which the signer sets`);
    query.push([uriEncode(key), uriEncode(value)]);
  });

  const headers = new Map<string, string[]>();
  forEachPair('headers', options.headers, (rawName, value) => {
    // Checked before lower-casing: "\u212A" (Kelvin sign) would become an ASCII "k".
    if (!TOKEN.test(rawName)) invalidType('headers name', "an HTTP token (letters, digits, !#$%&'*+-.^_`|~)", rawName);
    const name = rawName.toLowerCase();
    if (!HEADER_VALUE.test(value)) {
      invalidType(
        `headers[${JSON.stringify(rawName)}]`,
        'printable US-ASCII without CR, LF or NUL (encode other text first)',
        value,
      );
    }
    if (SIGNER_HEADERS.has(name)) {
      optionError(
        `"headers" expected no ${JSON.stringify(rawName)} header, which the signer sets (use signingDate and credentials.sessionToken)`,
      );
    }
    const values = headers.get(name);
    if (values) values.push(value);
    else headers.set(name, [value]);
  });

  let payloadHash =
    options.payloadHash === undefined ? undefined : checkPayloadHash('payloadHash', options.payloadHash);
  const contentSha256 = headers.get('x-amz-content-sha256');
  if (contentSha256) {
    const fromHeader = checkPayloadHash('headers["x-amz-content-sha256"]', contentSha256.join(','));
    if (payloadHash !== undefined && payloadHash !== fromHeader) {
      optionError(
        `"payloadHash" expected to equal the x-amz-content-sha256 header ${describe(fromHeader)}, got ${describe(payloadHash)}`,
      );
    }
    payloadHash = fromHeader;
  }

  const cache = checkCache(options.cache);
  const signingDate = toSigningDate(options.signingDate);
  return {
    method,
    origin,
    host,
    path,
    canonicalUri,
    query,
    headers,
    credentials,
    region,
    service,
    signingDate,
    amzDate: toAmzDate(signingDate),
    payloadHash,
    signSessionToken: checkBoolean('signSessionToken', options.signSessionToken, true),
    cache,
  };
}
