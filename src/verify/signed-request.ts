// Verifying a request signed in the Authorization header.

import {
  checkSignatureForm,
  parseCredential,
  parseCredentialV4a,
  readAmzDate,
  readAuthorization,
} from '../core/authorization.js';
import { toAmzDate } from '../core/date.js';
import { rsFromDer } from '../core/der.js';
import { describe, fail } from '../core/errors.js';
import { readRegionSet } from '../core/region-set.js';
import { BODIES } from './body.js';
import { verifyClaim } from './claim.js';
import { checkNotExpired, checkNotYetValid, checkScope, regionInSet } from './common.js';
import { readOptions } from './options.js';
import {
  isAuthParam,
  malformed,
  oneHeader,
  readHttpDate,
  readReceivedQuery,
  readReceivedUrl,
  readSignedHeaders,
  scanAuthParams,
  type QueryParam,
} from './read.js';
import type { VerifiedRequest, VerifyRequestOptions } from './types.js';

/** A header-signed request's query must carry no SigV4 auth parameter (see {@link verifyRequest}). */
function checkOneMechanism(query: readonly QueryParam[]): void {
  const queryAuth = query.filter(({ key }) => isAuthParam(key)).map(({ key }) => key);
  if (queryAuth.length === 0) return;
  const names = [...new Set(queryAuth)]
    .slice(0, 3)
    .map((key) => describe(key))
    .join(', ');
  fail(
    'ERR_SIGV4_AUTH_MECHANISM',
    `a header-signed request expected no SigV4 query parameters, got ${names} (one auth mechanism per request)`,
  );
}

/**
 * Verifies a request signed in the `Authorization` header (`AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…,
 * Signature=…`): the same checks as {@link verifyPresignedUrl}, with the date from `x-amz-date` (or `date`)
 * required within ± `clockSkew` of `now`. The payload hash is the `x-amz-content-sha256` header, else
 * `payloadHash`, else the hash of `body` (empty by default): pass the body, or its hash, for requests that have
 * one.
 *
 * @throws TypeError or RangeError (code `ERR_SIGV4_INVALID_OPTION`) for invalid options; SigV4Error with a `code`
 * for a request that does not verify (the codes of {@link verifyPresignedUrl}; `ERR_SIGV4_AUTH_MECHANISM` when the
 * query carries SigV4 auth parameters too, which is a presigned URL replayed as a header-signed request).
 * @example
 * const body = new Uint8Array(await request.arrayBuffer());
 * const verified = await verifyRequest({
 *   url: request.url, method: request.method, headers: request.headers, body,
 *   service: 'execute-api', region: 'eu-west-1', getCredentials: lookUpKey,
 * });
 */
export async function verifyRequest(options: VerifyRequestOptions): Promise<VerifiedRequest> {
  const settings = readOptions(options, true);
  const url = readReceivedUrl(settings.url);
  // One auth mechanism per request: a presigned URL's parameters moved into headers must not verify here, where
  // the URL's X-Amz-Expires would not apply. Every SigV4 query parameter counts, in any case (the signer never
  // writes one into a header-signed request); other query parameters are fine, and covered by the signature.
  checkOneMechanism(scanAuthParams(url.rawQuery));
  const { headers } = settings;
  const authorization = oneHeader(headers, 'authorization');
  if (authorization === undefined)
    fail('ERR_SIGV4_MALFORMED', 'the request expected an authorization header, got none');
  const auth = readAuthorization(authorization);

  const xAmzDate = oneHeader(headers, 'x-amz-date');
  const httpDate = xAmzDate === undefined ? oneHeader(headers, 'date') : undefined;
  if (xAmzDate === undefined && httpDate === undefined)
    fail('ERR_SIGV4_MALFORMED', 'the request expected an x-amz-date or date header, got neither');
  const signingDate = xAmzDate !== undefined ? readAmzDate('the x-amz-date header', xAmzDate) : readHttpDate(httpDate!);
  const amzDate = xAmzDate ?? toAmzDate(signingDate);
  const credential = (auth.v4a ? parseCredentialV4a : parseCredential)(
    'the Credential field',
    auth.credential,
    amzDate,
  );
  // SigV4a: the region set, a signed header, names the regions instead of the scope.
  const regionSetHeader = auth.v4a ? oneHeader(headers, 'x-amz-region-set') : undefined;
  if (auth.v4a && regionSetHeader === undefined)
    fail('ERR_SIGV4_MALFORMED', 'the SigV4a request expected an x-amz-region-set header, got none');
  const regionSet =
    regionSetHeader === undefined
      ? undefined
      : readRegionSet('the x-amz-region-set header', regionSetHeader, malformed);
  const region = regionSet ? regionInSet(settings, regionSet) : credential.region;
  checkScope(settings, { ...credential, region });
  if (auth.v4a) rsFromDer('the Signature field', auth.signature, malformed);
  else checkSignatureForm('the Signature field', auth.signature);
  const signedHeaders = readSignedHeaders('the SignedHeaders field', auth.signedHeaders);
  if (auth.v4a && !signedHeaders.includes('x-amz-region-set'))
    fail('ERR_SIGV4_SIGNED_HEADERS', 'the x-amz-region-set header expected to be signed, got it unsigned');
  const expiresAt = signingDate.getTime() + settings.clockSkew * 1000;
  checkNotYetValid(settings, signingDate, 'the request');
  checkNotExpired(settings.now, expiresAt, `the request is dated ${amzDate}, more than ${settings.clockSkew} s ago`);

  const sessionToken = oneHeader(headers, 'x-amz-security-token');
  if (sessionToken !== undefined && settings.signSessionToken && !signedHeaders.includes('x-amz-security-token')) {
    fail(
      'ERR_SIGV4_SIGNED_HEADERS',
      'the x-amz-security-token header expected to be signed, got it unsigned (pass signSessionToken: false to accept that)',
    );
  }
  // Now the whole query (and again no auth parameter, however its name is written).
  const query = readReceivedQuery(url.rawQuery);
  checkOneMechanism(query);
  return verifyClaim(
    settings,
    url,
    {
      ...credential,
      region,
      regionSet,
      amzDate,
      signingDate,
      signature: auth.signature,
      signedHeaders,
      expiresIn: undefined,
      expiresAt: new Date(expiresAt),
      query: query.map(({ key, value }) => [key, value] as const),
      sessionToken,
    },
    false,
    BODIES,
  );
}
