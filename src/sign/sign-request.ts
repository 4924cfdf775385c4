// Header signing: the signature travels in the Authorization header.

import {
  createCanonicalHeaders,
  createCanonicalQuery,
  createCanonicalRequest,
  headerValueToSend,
} from '../core/canonical-request.js';
import { ALGORITHM } from '../core/constants.js';
import { checkBoolean } from '../core/check.js';
import { invalidType } from '../core/errors.js';
import { UNSIGNABLE } from '../core/rules.js';
import { signCanonicalRequest } from '../core/signature.js';
import { createCredentialScope } from '../core/string-to-sign.js';
import { sha256Hex } from '../core/webcrypto.js';
import { readRequest, type RequestParts } from './options.js';
import type { SignatureStages, SignedRequest, SignRequestOptions } from './types.js';

/** The options of {@link signRequest}, validated: the request parts, the body to hash, and whether to send its hash. */
export interface SignInput {
  readonly read: RequestParts;
  /** The request body, validated, when the payload hash must be computed from it. */
  readonly body: string | Uint8Array | ArrayBuffer | undefined;
  readonly addContentSha256: boolean;
}

/** Validates the options of {@link signRequest}. Runs no crypto. */
export function readSignRequest(options: SignRequestOptions): SignInput {
  const read = readRequest(options);
  const { body } = options;
  if (
    body !== undefined &&
    typeof body !== 'string' &&
    !(body instanceof Uint8Array) &&
    !(body instanceof ArrayBuffer)
  ) {
    invalidType('body', 'a string, Uint8Array or ArrayBuffer', body);
  }
  return {
    read,
    body,
    addContentSha256: checkBoolean('contentSha256Header', options.contentSha256Header, read.service === 's3'),
  };
}

/**
 * A header-signed request up to its signature, everything but the crypto: the headers to send and the stages so
 * far (the canonical request), given the payload hash. Runs no crypto.
 */
export function draftSignRequest(
  { read, addContentSha256 }: SignInput,
  payloadHash: string,
): { sent: Map<string, string[]>; stages: Omit<SignatureStages, 'stringToSign' | 'signature'> } {
  const { credentials, amzDate } = read;
  const sent = new Map(read.headers);
  sent.set('x-amz-date', [amzDate]);
  if (addContentSha256 && !sent.has('x-amz-content-sha256')) sent.set('x-amz-content-sha256', [payloadHash]);
  const signed = new Map([...sent].filter(([name]) => !UNSIGNABLE.test(name)));
  if (!signed.has('host')) signed.set('host', [read.host]);
  if (credentials.sessionToken !== undefined) {
    sent.set('x-amz-security-token', [credentials.sessionToken]);
    if (read.signSessionToken) signed.set('x-amz-security-token', [credentials.sessionToken]);
  }
  const { canonicalHeaders, signedHeaders } = createCanonicalHeaders(signed);
  const credentialScope = createCredentialScope(amzDate.slice(0, 8), read.region, read.service);
  const canonicalRequest = createCanonicalRequest(
    read.method,
    read.canonicalUri,
    createCanonicalQuery(read.query),
    canonicalHeaders,
    signedHeaders.join(';'),
    payloadHash,
  );
  return { sent, stages: { canonicalRequest, credentialScope, signedHeaders, amzDate } };
}

/** Completes a header-signed request with its string to sign and signature. */
export function finishSignRequest(
  read: RequestParts,
  { sent, stages }: ReturnType<typeof draftSignRequest>,
  stringToSign: string,
  signature: string,
): SignedRequest {
  const authorization = `${ALGORITHM} Credential=${read.credentials.accessKeyId}/${stages.credentialScope}, SignedHeaders=${stages.signedHeaders.join(';')}, Signature=${signature}`;
  const headers: Record<string, string> = {};
  for (const [name, values] of sent) headers[name] = headerValueToSend(values);
  headers['authorization'] = authorization;
  const search = read.query.map(([k, v]) => `${k}=${v}`).join('&');
  // Spelled out rather than spread: a literal of known shape is several times cheaper than a spread followed by
  // more properties, which showed in signRequestSync's profile.
  return {
    canonicalRequest: stages.canonicalRequest,
    credentialScope: stages.credentialScope,
    signedHeaders: stages.signedHeaders,
    amzDate: stages.amzDate,
    url: `${read.origin}${read.path}${search ? '?' + search : ''}`,
    method: read.method,
    // Holds both: `authorization` set above, `x-amz-date` by draftSignRequest.
    headers: headers as SignedRequest['headers'],
    authorization,
    stringToSign,
    signature,
  };
}

/**
 * Signs a request in the Authorization header, for callers that send it themselves (for example with `fetch`).
 * Adds `x-amz-date`, `x-amz-security-token` with temporary credentials, and for S3 `x-amz-content-sha256`.
 * The payload hash is `payloadHash`, the `x-amz-content-sha256` header, or the SHA-256 of `body` (empty
 * when absent), in that order.
 *
 * @throws TypeError or RangeError (code `ERR_SIGV4_INVALID_OPTION`), before any crypto, for invalid options.
 * @example
 * const { url, headers } = await signRequest({
 *   url: 'https://sqs.us-east-1.amazonaws.com/', method: 'POST', service: 'sqs', region: 'us-east-1',
 *   credentials, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body,
 * });
 * await fetch(url, { method: 'POST', headers, body });
 */
export async function signRequest(options: SignRequestOptions): Promise<SignedRequest> {
  const input = readSignRequest(options);
  const { read } = input;
  const draft = draftSignRequest(input, read.payloadHash ?? (await sha256Hex(input.body ?? '')));
  const { stringToSign, signature } = await signCanonicalRequest(
    draft.stages.canonicalRequest,
    draft.stages.credentialScope,
    read,
    read.cache,
  );
  return finishSignRequest(read, draft, stringToSign, signature);
}
