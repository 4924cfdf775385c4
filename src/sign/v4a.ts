// SigV4a signing (AWS4-ECDSA-P256-SHA256): presigned URLs and header-signed requests valid in a set of regions.
// The request is read and canonicalized exactly as for SigV4 (same options, same checks, same S3 rules); what
// differs is the algorithm, the scope (no region), the region set (a signed query parameter or header) and the
// signature (ECDSA P-256 with a key derived from the credentials, instead of HMAC).

import { ALGORITHM, ALGORITHM_V4A } from '../core/constants.js';
import { checkCredentials, type Credentials } from '../core/credentials.js';
import { uriEncode } from '../core/encoding.js';
import { invalidType, optionError } from '../core/errors.js';
import { checkRegionSet } from '../core/region-set.js';
import { v4aKeyFor } from '../core/sigv4a-key.js';
import { createCredentialScopeV4a, signCanonicalRequestV4a } from '../core/signature-v4a.js';
import { createCredentialScope } from '../core/string-to-sign.js';
import { sha256Hex } from '../core/webcrypto.js';
import { readRequest, type RequestParts } from './options.js';
import { draftFrom, finishPresign } from './presign.js';
import { draftSignRequest, finishSignRequest, readSignRequest } from './sign-request.js';
import type {
  PresignedUrlV4a,
  PresignOptions,
  PresignV4aOptions,
  SignedRequestV4a,
  SigningOptions,
  SignRequestOptions,
  SignRequestV4aOptions,
  WithRegionSet,
} from './types.js';

const REGION_SET = 'x-amz-region-set';

/**
 * Reads `regionSet` and turns the options into SigV4 ones for the shared reader: `region` becomes the set's first
 * entry, which the reader checks as a scope part (a region name or `*` is one) and which is never signed.
 */
function readV4a<T extends SigningOptions>(
  options: WithRegionSet<T>,
): { regionSet: string[]; v4: T; scope: (read: RequestParts) => string } {
  if (typeof options !== 'object' || options === null) invalidType('options', 'an object', options);
  if (options.region !== undefined)
    invalidType('region', 'no region with SigV4a (pass the regions as "regionSet")', options.region);
  const regionSet = checkRegionSet(options.regionSet);
  return {
    regionSet,
    v4: { ...options, region: regionSet[0] } as unknown as T,
    scope: (read) => createCredentialScopeV4a(read.amzDate.slice(0, 8), read.service),
  };
}

/** The caller may not set the region set as a header or query parameter: the signer writes it. */
function refuseRegionSet(read: RequestParts): void {
  if (read.headers.has(REGION_SET) || read.query.some(([key]) => key.toLowerCase() === REGION_SET))
    optionError(`"headers" and "query" expected no ${REGION_SET}, which the signer sets from "regionSet"`);
}

/**
 * Presigns a URL with SigV4a (`X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256`): valid in every region of `regionSet`,
 * which travels signed as `X-Amz-Region-Set`. Takes the options of {@link presignUrl}, with `regionSet` in place
 * of `region`, and returns the same result (stages included) with the algorithm and the region set. The signing
 * key is derived from the credentials once per access key (an HMAC KDF and a P-256 multiplication, a few
 * milliseconds) and cached; each URL then costs one SHA-256 and one ECDSA signature.
 *
 * @throws TypeError or RangeError (code `ERR_SIGV4_INVALID_OPTION`), before any crypto, for invalid options (as
 * {@link presignUrl}, and for a `regionSet` that is not region names or `*`).
 * @example
 * const { url } = await presignUrlV4a({
 *   url: 'https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com/photos/cat.jpg',
 *   service: 's3', regionSet: '*', credentials, expiresIn: 900,
 * });
 */
export async function presignUrlV4a(options: PresignV4aOptions): Promise<PresignedUrlV4a> {
  const { regionSet, v4, scope } = readV4a<PresignOptions>(options);
  const read = readRequest(v4);
  refuseRegionSet(read);
  // The SigV4 draft, with the region set among the query parameters (it sorts with them), then its two
  // parameters that name the algorithm and the scope rewritten. Each is one whole `key=value` pair of the canonical
  // query: the signer's own names, which the caller may not use, and encoded values, so no other pair can match.
  const draft = draftFrom(
    { ...read, query: [...read.query, ['X-Amz-Region-Set', uriEncode(regionSet.join(','))]] },
    v4,
  );
  const { accessKeyId } = read.credentials;
  const credentialScope = scope(read);
  const v4Scope = createCredentialScope(read.amzDate.slice(0, 8), read.region, read.service);
  const pairs = new Map([
    [`X-Amz-Algorithm=${ALGORITHM}`, `X-Amz-Algorithm=${ALGORITHM_V4A}`],
    [
      `X-Amz-Credential=${uriEncode(`${accessKeyId}/${v4Scope}`)}`,
      `X-Amz-Credential=${uriEncode(`${accessKeyId}/${credentialScope}`)}`,
    ],
  ]);
  const rewrite = (query: string): string =>
    query
      .split('&')
      .map((pair) => pairs.get(pair) ?? pair)
      .join('&');
  const lines = draft.stages.canonicalRequest.split('\n'); // no header value or path holds a line break
  lines[2] = rewrite(lines[2]!);
  const q = draft.unsignedUrl.indexOf('?'); // the path holds none: the query starts here
  const canonicalRequest = lines.join('\n');
  const { stringToSign, signature } = await signCanonicalRequestV4a(
    canonicalRequest,
    credentialScope,
    read,
    read.cache,
  );
  return {
    ...finishPresign(
      {
        stages: { ...draft.stages, canonicalRequest, credentialScope },
        unsignedUrl: draft.unsignedUrl.slice(0, q + 1) + rewrite(draft.unsignedUrl.slice(q + 1)),
        urlSuffix: draft.urlSuffix,
      },
      stringToSign,
      signature,
    ),
    algorithm: ALGORITHM_V4A,
    regionSet,
  };
}

/**
 * Signs a request with SigV4a in the Authorization header (`AWS4-ECDSA-P256-SHA256 Credential=…`), adding a
 * signed `x-amz-region-set` header. Takes the options of {@link signRequest}, with `regionSet` in place of
 * `region`, and returns the same result with the algorithm and the region set.
 *
 * @throws TypeError or RangeError (code `ERR_SIGV4_INVALID_OPTION`), before any crypto, for invalid options.
 * @example
 * const { url, headers } = await signRequestV4a({
 *   url: 'https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com/report.csv', method: 'PUT',
 *   service: 's3', regionSet: '*', credentials, body,
 * });
 * await fetch(url, { method: 'PUT', headers, body });
 */
export async function signRequestV4a(options: SignRequestV4aOptions): Promise<SignedRequestV4a> {
  const { regionSet, v4, scope } = readV4a<SignRequestOptions>(options);
  const input = readSignRequest(v4);
  const { read } = input;
  refuseRegionSet(read);
  read.headers.set(REGION_SET, [regionSet.join(',')]); // sent and signed like the caller's headers
  const draft = draftSignRequest(input, read.payloadHash ?? (await sha256Hex(input.body ?? '')));
  // The scope is not part of the canonical request: only of the string to sign and the Authorization header.
  const credentialScope = scope(read);
  const { stringToSign, signature } = await signCanonicalRequestV4a(
    draft.stages.canonicalRequest,
    credentialScope,
    read,
    read.cache,
  );
  const signed = finishSignRequest(
    read,
    { sent: draft.sent, stages: { ...draft.stages, credentialScope } },
    stringToSign,
    signature,
  );
  const authorization = ALGORITHM_V4A + signed.authorization.slice(ALGORITHM.length);
  return {
    ...signed,
    headers: { ...signed.headers, authorization },
    authorization,
    algorithm: ALGORITHM_V4A,
    regionSet,
  };
}

/** A SigV4a public key: the P-256 point's coordinates as 64 lowercase hex digits each. */
export interface V4aPublicKey {
  /** The x coordinate: 64 lowercase hex digits (public-key.json's `X`). */
  readonly x: string;
  /** The y coordinate: 64 lowercase hex digits (public-key.json's `Y`). */
  readonly y: string;
}

/**
 * The SigV4a public key of an access key, derived as AWS derives it (the same x and y as aws-c-auth's
 * `public-key.json`), for a server that verifies SigV4a signatures with another library. Cached like the signing
 * key. To import it into Web Crypto: `crypto.subtle.importKey('raw', bytesOfHex('04' + x + y), { name: 'ECDSA',
 * namedCurve: 'P-256' }, true, ['verify'])`.
 *
 * @throws TypeError (code `ERR_SIGV4_INVALID_OPTION`) for invalid credentials.
 * @example
 * const { x, y } = await deriveV4aPublicKey({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey });
 */
export async function deriveV4aPublicKey(credentials: Credentials): Promise<V4aPublicKey> {
  const { x, y } = await v4aKeyFor(checkCredentials(credentials), undefined);
  return { x, y };
}
