// The claim a request makes, checked: its signed headers, canonical request, credentials and signature, recomputed
// and compared in constant time, then its session token and payload hash.

import {
  canonicalHeaderValue,
  createCanonicalHeaders,
  createCanonicalQuery,
  createCanonicalRequest,
  readPath,
  toReceivedPath,
} from '../core/canonical-request.js';
import { checkPayloadHash } from '../core/check.js';
import { EMPTY_SHA256 } from '../core/constants.js';
import { describe, fail } from '../core/errors.js';
import { signCanonicalRequest } from '../core/signature.js';
import { createCredentialScope } from '../core/string-to-sign.js';
import { sha256Hex, timingSafeEqual } from '../core/webcrypto.js';
import { checkSessionToken, lookUpCredentials } from './common.js';
import type { Settings } from './options.js';
import type { CredentialParts } from '../core/authorization.js';
import { malformed, oneHeader, type ReceivedUrl } from './read.js';
import type { VerifiedRequest } from './types.js';
import { isStream, readBodyHeaders, verifiedBody } from './body.js';

// The methods a signature is tried with when it does not match the one received (with diagnoseMethod).
const OTHER_METHODS = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS'] as const;
const HEX_HASH = /^[0-9a-f]{64}$/;

/** Everything the request claims, read and checked before any lookup or crypto. */
export interface Claim extends CredentialParts {
  readonly amzDate: string;
  readonly signingDate: Date;
  readonly signature: string;
  readonly signedHeaders: readonly string[];
  readonly expiresIn: number | undefined;
  readonly expiresAt: Date;
  /** The canonical query pairs. */
  readonly query: readonly (readonly [string, string])[];
  readonly sessionToken: string | undefined;
}

/**
 * The stages both verifiers share once the claim is read: signed headers, canonical request, credential lookup,
 * signature, then the session token and the payload hash.
 */
export async function verifyClaim(
  settings: Settings,
  url: ReceivedUrl,
  claim: Claim,
  presigned: boolean,
): Promise<VerifiedRequest> {
  const { signedHeaders } = claim;
  if (!signedHeaders.includes('host')) {
    fail(
      'ERR_SIGV4_SIGNED_HEADERS',
      `the signed headers expected to include host, got ${describe(signedHeaders.join(';'))}`,
    );
  }
  const signed = new Map<string, string[]>();
  for (const name of signedHeaders) {
    const values = settings.headers.get(name) ?? (name === 'host' ? [url.host] : undefined);
    if (values === undefined)
      fail('ERR_SIGV4_SIGNED_HEADERS', `the signed header ${JSON.stringify(name)} expected in the request, got none`);
    signed.set(name, values);
  }
  const { canonicalHeaders } = createCanonicalHeaders(signed);
  const isS3 = claim.service === 's3';
  // signedPath: the path the signature covers (S3's key form, or the path as received, normalized where the rules say so).
  const { signedPath: path, canonicalUri } = readPath(
    url.rawPath,
    settings.uriEscapePath ?? !isS3,
    settings.normalizePath ?? !isS3,
    toReceivedPath,
    malformed,
  );
  const canonicalQuery = createCanonicalQuery(claim.query);

  const headerHash = oneHeader(settings.headers, 'x-amz-content-sha256');
  if (headerHash !== undefined) checkPayloadHash('the x-amz-content-sha256 header', headerHash, malformed);
  const { body } = settings;
  const stream = isStream(body);
  if (stream && headerHash === undefined && settings.payloadHash === undefined && !(presigned && isS3)) {
    fail(
      'ERR_SIGV4_PAYLOAD_HASH',
      'the request expected an x-amz-content-sha256 header with a stream body (its signature covers the hash of the whole body), got none: pass the body as bytes',
    );
  }
  const bodyHeaders = readBodyHeaders(settings, headerHash);

  const credentials = await lookUpCredentials(settings.getCredentials, claim.accessKeyId, settings.signal);

  // The body is hashed only now, for a known key (a stream body is checked as it is read).
  const serverHash =
    settings.payloadHash ??
    (body === undefined || stream || bodyHeaders?.streaming ? undefined : await sha256Hex(body));
  const payloadHash = headerHash ?? serverHash ?? (presigned && isS3 ? 'UNSIGNED-PAYLOAD' : EMPTY_SHA256);
  const signedHeaderList = signedHeaders.join(';');

  const credentialScope = createCredentialScope(claim.date, claim.region, claim.service);
  const sign = (method: string) => {
    const canonicalRequest = createCanonicalRequest(
      method,
      canonicalUri,
      canonicalQuery,
      canonicalHeaders,
      signedHeaderList,
      payloadHash,
    );
    return signCanonicalRequest(canonicalRequest, credentialScope, { ...claim, credentials }, settings.cache).then(
      (stages) => ({ ...stages, canonicalRequest }),
    );
  };
  const { method } = settings;
  const computed = await sign(method);
  if (!timingSafeEqual(claim.signature, computed.signature)) {
    // The method is part of the signature, not of the URL: the one way to tell "signed for another method" from
    // "tampered" is to try the others: six more signatures (in parallel), on failures only, when asked.
    if (settings.diagnoseMethod) {
      const others = OTHER_METHODS.filter((m) => m !== method);
      const tried = await Promise.all(others.map(sign));
      const match = tried.findIndex((t) => timingSafeEqual(claim.signature, t.signature));
      if (match >= 0) fail('ERR_SIGV4_METHOD', `the request was signed for ${others[match]}, got ${describe(method)}`);
    }
    fail(
      'ERR_SIGV4_SIGNATURE_MISMATCH',
      'the signature does not match the request (check the secret, the URL as sent, the signed headers and the payload hash)',
    );
  }

  checkSessionToken(credentials.sessionToken, claim.sessionToken, 'the request');
  if (
    headerHash !== undefined &&
    HEX_HASH.test(headerHash) &&
    serverHash !== undefined &&
    HEX_HASH.test(serverHash) &&
    serverHash !== headerHash
  ) {
    fail(
      'ERR_SIGV4_PAYLOAD_HASH',
      `the body's SHA-256 ${serverHash} does not match the signed x-amz-content-sha256 ${headerHash}`,
    );
  }

  const headers: Record<string, string> = {};
  for (const [name, values] of signed) headers[name] = values.map(canonicalHeaderValue).join(',');
  return {
    accessKeyId: claim.accessKeyId,
    credentialScope,
    region: claim.region,
    service: claim.service,
    signingDate: claim.signingDate,
    amzDate: claim.amzDate,
    expiresIn: claim.expiresIn,
    expiresAt: claim.expiresAt,
    method,
    path,
    signedHeaders,
    headers,
    payloadHash,
    sessionToken: claim.sessionToken,
    canonicalRequest: computed.canonicalRequest,
    stringToSign: computed.stringToSign,
    body: verifiedBody(settings, bodyHeaders, payloadHash, claim, credentialScope, credentials),
  };
}
