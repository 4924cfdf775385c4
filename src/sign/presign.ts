// Query-string signing (presigned URLs): the signature and its parameters travel in the URL.

import {
  createCanonicalHeaders,
  createCanonicalQuery,
  createCanonicalRequest,
  headerValueToSend,
} from '../core/canonical-request.js';
import { checkBoolean } from '../core/check.js';
import { ALGORITHM, EMPTY_SHA256, MAX_EXPIRES_IN } from '../core/constants.js';
import { uriEncode } from '../core/encoding.js';
import { optionError, outOfRange } from '../core/errors.js';
import { memoLast } from '../core/memo.js';
import { SIGNER_PARAMS } from '../core/rules.js';
import { signCanonicalRequest } from '../core/signature.js';
import { createCredentialScope } from '../core/string-to-sign.js';
import { readRequest, type RequestParts } from './options.js';
import type { PresignedUrl, PresignOptions } from './types.js';

// x-amz-* headers that S3 needs as headers even in a presigned request.
const UNHOISTABLE = /^x-amz-(?:content-sha256$|server-side-encryption-customer-)/;

/**
 * A presigned request up to its signature ({@link draftPresign}): everything but the crypto. It holds no
 * credentials: sign `stages` with them, then {@link finishPresign}.
 */
export interface PresignDraft {
  /** The stages of the signature so far: the canonical request, the scope, the signed headers, the date, the expiry. */
  readonly stages: Omit<PresignedUrl, 'url' | 'stringToSign' | 'signature'>;
  /** The URL without `X-Amz-Signature` (and without an unsigned session token). */
  readonly unsignedUrl: string;
  /** `&X-Amz-Security-Token=…` when the token is added after signing, else empty. */
  readonly urlSuffix: string;
}

// The X-Amz-Credential value, encoded: a run of URLs for one scope encodes it once.
const encodeCredential = memoLast(uriEncode);

/** Validates the options and builds the canonical request of a presigned URL. Runs no crypto. */
export function draftPresign(options: PresignOptions): PresignDraft {
  return draftFrom(readRequest(options), options);
}

/** {@link draftPresign} from the request already read: the signers keep `read`, which holds the credentials, to sign with. */
export function draftFrom(read: RequestParts, options: PresignOptions): PresignDraft {
  const expiresIn = options.expiresIn === undefined ? 3600 : options.expiresIn;
  if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > MAX_EXPIRES_IN) {
    outOfRange('expiresIn', `an integer 1..${MAX_EXPIRES_IN} (seconds)`, expiresIn);
  }
  const { credentials, amzDate, region, service } = read;
  const query = read.query.slice();
  const hoist = checkBoolean('hoistAmzHeaders', options.hoistAmzHeaders, false);

  // With no header given (the common case), only host is signed and no header need be sent.
  let canonicalHeaders = `host:${read.host}\n`;
  let signedHeaders = ['host'];
  const mustSend: Record<string, string> = {};
  if (read.headers.size > 0) {
    const headers = new Map(read.headers);
    if (!headers.has('host')) headers.set('host', [read.host]);
    if (hoist) {
      for (const [name, values] of headers) {
        if (name.startsWith('x-amz-') && !UNHOISTABLE.test(name)) {
          if (SIGNER_PARAMS.test(name))
            optionError(`"headers" expected no ${JSON.stringify(name)} header, which the signer sets`);
          query.push([name, uriEncode(values.join(','))]);
          headers.delete(name);
        }
      }
    }
    ({ canonicalHeaders, signedHeaders } = createCanonicalHeaders(headers));
    for (const [name, values] of headers)
      if (name !== 'host' || read.headers.has('host')) mustSend[name] = headerValueToSend(values);
  }
  const signedHeaderList = signedHeaders.join(';');
  const credentialScope = createCredentialScope(amzDate.slice(0, 8), region, service);
  query.push(
    ['X-Amz-Algorithm', ALGORITHM],
    ['X-Amz-Credential', encodeCredential(`${credentials.accessKeyId}/${credentialScope}`)],
    ['X-Amz-Date', amzDate],
    ['X-Amz-Expires', String(expiresIn)],
    ['X-Amz-SignedHeaders', signedHeaders.map(uriEncode).join('%3B')],
  );
  const token = credentials.sessionToken;
  let urlSuffix = '';
  if (token !== undefined) {
    if (read.signSessionToken) query.push(['X-Amz-Security-Token', uriEncode(token)]);
    else urlSuffix = `&X-Amz-Security-Token=${uriEncode(token)}`;
  }
  const canonicalQuery = createCanonicalQuery(query);
  const payloadHash = read.payloadHash ?? (service === 's3' ? 'UNSIGNED-PAYLOAD' : EMPTY_SHA256);
  const canonicalRequest = createCanonicalRequest(
    read.method,
    read.canonicalUri,
    canonicalQuery,
    canonicalHeaders,
    signedHeaderList,
    payloadHash,
  );

  return {
    stages: {
      method: read.method,
      headers: mustSend,
      signedHeaders,
      credentialScope,
      amzDate,
      canonicalRequest,
      expiresAt: new Date(Math.floor(read.signingDate.getTime() / 1000) * 1000 + expiresIn * 1000),
    },
    // The URL carries the query in canonical order: it is encoded exactly as it was signed.
    unsignedUrl: `${read.origin}${read.path}?${canonicalQuery}`,
    urlSuffix,
  };
}

/** Completes a draft with its string to sign and signature. */
export function finishPresign(draft: PresignDraft, stringToSign: string, signature: string): PresignedUrl {
  const s = draft.stages;
  // Spelled out rather than spread: this runs once per URL, and a literal of known shape is cheaper.
  return {
    url: `${draft.unsignedUrl}${draft.urlSuffix}&X-Amz-Signature=${signature}`,
    method: s.method,
    headers: s.headers,
    expiresAt: s.expiresAt,
    signedHeaders: s.signedHeaders,
    credentialScope: s.credentialScope,
    amzDate: s.amzDate,
    canonicalRequest: s.canonicalRequest,
    stringToSign,
    signature,
  };
}

/**
 * Presigns a URL (SigV4 query-string authentication): whoever holds it may send this one request until it
 * expires, with no credentials of their own.
 *
 * @throws TypeError or RangeError (code `ERR_SIGV4_INVALID_OPTION`), before any crypto, for invalid options (the
 * message says what was expected and what was received, and never shows a secret).
 * @example
 * const { url } = await presignUrl({
 *   url: 'https://examplebucket.s3.amazonaws.com/photos/a b+c.jpg',
 *   method: 'PUT', service: 's3', region: 'us-east-1', credentials, expiresIn: 900,
 * });
 */
export async function presignUrl(options: PresignOptions): Promise<PresignedUrl> {
  const read = readRequest(options);
  const draft = draftFrom(read, options);
  const { stringToSign, signature } = await signCanonicalRequest(
    draft.stages.canonicalRequest,
    draft.stages.credentialScope,
    read,
    read.cache,
  );
  return finishPresign(draft, stringToSign, signature);
}
