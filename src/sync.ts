// The synchronous path: the same pipeline (same drafts, same checks) with the plain-JavaScript SHA-256 of
// sha256.ts instead of Web Crypto, for servers that presign in bulk and for code that cannot await.

import { toHex, utf8 } from './encoding.js';
import { draftPresign, finishPresign } from './presign.js';
import type { RequestParts } from './request.js';
import { hmacKey, hmacSync, sha256, utf8Scratch, type HmacKey } from './sha256.js';
import { draftSignRequest, finishSignRequest, readSignRequest } from './sign.js';
import { defaultSigningKeyCache } from './signing-key.js';
import { createStringToSign } from './string-to-sign.js';
import type { PresignedUrl, PresignOptions, SignedRequest, SignRequestOptions } from './types.js';

const bytes = (data: string | Uint8Array | ArrayBuffer): Uint8Array =>
  typeof data === 'string' ? utf8(data) : data instanceof Uint8Array ? data : new Uint8Array(data);

/** Lowercase hex SHA-256, computed synchronously. */
export const sha256HexSync = (data: string | Uint8Array | ArrayBuffer): string => toHex(sha256(bytes(data)));

/** {@link deriveSigningKey}, computed synchronously. Returns the 32 raw key bytes; treat them as a secret. */
export function deriveSigningKeySync(secretAccessKey: string, date: string, region: string, service: string): Uint8Array {
  let key = utf8('AWS4' + secretAccessKey);
  for (const part of [date, region, service, 'aws4_request']) key = hmacSync(hmacKey(key), utf8(part));
  return key;
}

function signSync(read: RequestParts, canonicalRequest: string, credentialScope: string, cache: PresignOptions['cache']) {
  const { credentials, amzDate, region, service } = read;
  const date = amzDate.slice(0, 8);
  const derive = (): HmacKey => hmacKey(deriveSigningKeySync(credentials.secretAccessKey, date, region, service));
  const key = cache === false ? derive() : (cache ?? defaultSigningKeyCache).lookup(credentials, date, region, service, 'sync', derive);
  const stringToSign = createStringToSign(amzDate, credentialScope, toHex(sha256(utf8Scratch(canonicalRequest))));
  return { stringToSign, signature: toHex(hmacSync(key, utf8Scratch(stringToSign))) };
}

/**
 * {@link presignUrl} without a promise: same options, same result, same errors. Two SHA-256 runs in plain
 * JavaScript per URL once the signing key is cached, with no hop to Web Crypto's thread.
 */
export function presignUrlSync(options: PresignOptions): PresignedUrl {
  const draft = draftPresign(options);
  const { stringToSign, signature } = signSync(draft.read, draft.stages.canonicalRequest, draft.stages.credentialScope, options.cache);
  return finishPresign(draft, stringToSign, signature);
}

/** {@link signRequest} without a promise: same options, same result, same errors. */
export function signRequestSync(options: SignRequestOptions): SignedRequest {
  const input = readSignRequest(options);
  const { read } = input;
  const draft = draftSignRequest(input, read.payloadHash ?? sha256HexSync(input.body ?? ''));
  const { stringToSign, signature } = signSync(read, draft.stages.canonicalRequest, draft.stages.credentialScope, options.cache);
  return finishSignRequest(read, draft, stringToSign, signature);
}
