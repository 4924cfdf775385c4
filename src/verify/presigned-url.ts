// Verifying a presigned URL (query-string authentication).

import {
  checkSignatureForm,
  failSigV2,
  parseCredential,
  parseCredentialV4a,
  readAlgorithm,
  readAmzDate,
} from '../core/authorization.js';
import { ALGORITHM_V4A, MAX_EXPIRES_IN } from '../core/constants.js';
import { rsFromDer } from '../core/der.js';
import { fail } from '../core/errors.js';
import { readRegionSet } from '../core/region-set.js';
import { verifyClaim } from './claim.js';
import { checkNotExpired, checkNotYetValid, checkScope, iso, regionInSet } from './common.js';
import { readOptions } from './options.js';
import {
  findAuthParams,
  malformed,
  readExpires,
  readReceivedQuery,
  readReceivedUrl,
  readSignedHeaders,
  scanAuthParams,
} from './read.js';
import type { VerifiedRequest, VerifyPresignedUrlOptions } from './types.js';

const REQUIRED_PARAMS = [
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-SignedHeaders',
  'X-Amz-Signature',
] as const;

/**
 * Verifies a presigned URL (SigV4 query-string authentication) as a server received it: the algorithm, the
 * credential scope against the accepted regions and services, the date and expiry against `now`, the signed
 * headers, the method, the access key and the signature (compared in constant time).
 *
 * Every query parameter except `X-Amz-Signature` is covered by the signature (and `X-Amz-Security-Token`,
 * unless `signSessionToken: false`).
 *
 * @returns who signed, the scope, the signing time, the expiry and the signed headers, to authorize the request.
 * @throws TypeError or RangeError (code `ERR_SIGV4_INVALID_OPTION`) for invalid options, before reading the request.
 * @throws SigV4Error with a `code` for a request that does not verify: `ERR_SIGV4_MALFORMED`,
 * `ERR_SIGV4_ALGORITHM`, `ERR_SIGV4_CREDENTIAL`, `ERR_SIGV4_SCOPE`, `ERR_SIGV4_DATE`, `ERR_SIGV4_REGION`,
 * `ERR_SIGV4_SERVICE`, `ERR_SIGV4_EXPIRES`, `ERR_SIGV4_NOT_YET_VALID`, `ERR_SIGV4_EXPIRED`,
 * `ERR_SIGV4_SIGNED_HEADERS`, `ERR_SIGV4_UNKNOWN_ACCESS_KEY`, `ERR_SIGV4_METHOD`, `ERR_SIGV4_SIGNATURE_MISMATCH`,
 * `ERR_SIGV4_SESSION_TOKEN`, `ERR_SIGV4_PAYLOAD_HASH`, `ERR_SIGV4_AUTH_MECHANISM` (an `Authorization` header
 * too: one auth mechanism per request). A SigV2 URL is `ERR_SIGV4_ALGORITHM`. No message holds a secret, a
 * derived key or the expected signature.
 * @example
 * const verified = await verifyPresignedUrl({
 *   url: `https://${req.headers.host}${req.url}`, method: req.method, headers: req.headersDistinct,
 *   service: 's3', region: 'us-east-1', getCredentials: (id) => keys.get(id),
 * });
 * // verified.accessKeyId, verified.path, verified.expiresAt …
 */
export async function verifyPresignedUrl(options: VerifyPresignedUrlOptions): Promise<VerifiedRequest> {
  const settings = readOptions(options, false);
  const url = readReceivedUrl(settings.url);
  // One auth mechanism per request, as S3 requires ("Only one auth mechanism allowed").
  if (settings.headers.has('authorization')) {
    fail(
      'ERR_SIGV4_AUTH_MECHANISM',
      'a presigned URL expected no authorization header, got one (one auth mechanism per request)',
    );
  }
  // The auth parameters first, without reading the rest of the query: every check that needs no secret runs on them.
  const scanned = scanAuthParams(url.rawQuery);
  const params = findAuthParams(scanned);
  if (
    !params.has('X-Amz-Algorithm') &&
    scanned.some(({ key }) => key === 'AWSAccessKeyId') &&
    scanned.some(({ key }) => key === 'Signature')
  ) {
    failSigV2('AWSAccessKeyId/Signature in the query');
  }
  // SigV4a (AWS4-ECDSA-P256-SHA256) also needs its region set.
  const v4a = params.get('X-Amz-Algorithm')?.value === ALGORITHM_V4A;
  const missing = [...REQUIRED_PARAMS, ...(v4a ? (['X-Amz-Region-Set'] as const) : [])].filter(
    (name) => !params.has(name),
  );
  if (missing.length > 0) {
    fail(
      'ERR_SIGV4_MALFORMED',
      `the URL expected the query parameters ${missing.join(', ')}, got none (is it a presigned URL?)`,
    );
  }
  const param = (name: (typeof REQUIRED_PARAMS)[number] | 'X-Amz-Region-Set'): string => params.get(name)!.value;

  readAlgorithm(param('X-Amz-Algorithm'));
  const amzDate = param('X-Amz-Date');
  const signingDate = readAmzDate('X-Amz-Date', amzDate);
  const credential = (v4a ? parseCredentialV4a : parseCredential)(
    'X-Amz-Credential',
    param('X-Amz-Credential'),
    amzDate,
  );
  const regionSet = v4a ? readRegionSet('X-Amz-Region-Set', param('X-Amz-Region-Set'), malformed) : undefined;
  const region = regionSet ? regionInSet(settings, regionSet) : credential.region;
  checkScope(settings, { ...credential, region });
  const expiresIn = readExpires(param('X-Amz-Expires'), MAX_EXPIRES_IN);
  if (v4a) rsFromDer('X-Amz-Signature', param('X-Amz-Signature'), malformed);
  else checkSignatureForm('X-Amz-Signature', param('X-Amz-Signature'));
  const signedHeaders = readSignedHeaders('X-Amz-SignedHeaders', param('X-Amz-SignedHeaders'));
  const expiresAt = signingDate.getTime() + expiresIn * 1000;
  checkNotYetValid(settings, signingDate, 'the request');
  checkNotExpired(settings.now, expiresAt, `the URL expired at ${iso(expiresAt)} (X-Amz-Date + ${expiresIn} s)`);

  // Now the whole query. Its auth parameters must be the ones read above: one written another way (X-Amz-%53ignature)
  // is one more, and malformed.
  const query = readReceivedQuery(url.rawQuery);
  if (findAuthParams(query).size !== params.size) {
    fail(
      'ERR_SIGV4_MALFORMED',
      'the URL expected its X-Amz-* query parameter names written as they are, got one with escapes',
    );
  }
  // The canonical query is every parameter received but the signature (and an unsigned token).
  const token = params.get('X-Amz-Security-Token');
  const unsigned = (key: string): boolean =>
    key === 'X-Amz-Signature' || (key === 'X-Amz-Security-Token' && !settings.signSessionToken);
  return verifyClaim(
    settings,
    url,
    {
      ...credential,
      region,
      regionSet,
      amzDate,
      signingDate,
      signature: param('X-Amz-Signature'),
      signedHeaders,
      expiresIn,
      expiresAt: new Date(expiresAt),
      query: query.filter(({ key }) => !unsigned(key)).map(({ key, value }) => [key, value] as const),
      sessionToken: token?.value,
    },
    true,
  );
}
