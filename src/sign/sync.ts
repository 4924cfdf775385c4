// The synchronous path: the same pipeline (same drafts, same checks) with the plain-JavaScript SHA-256 of
// sha256.ts instead of Web Crypto, for servers that presign in bulk and for code that cannot await.

import { toHex, utf8 } from '../core/encoding.js';
import { invalidType } from '../core/errors.js';
import { cachedKey } from '../core/key-cache.js';
import { deriveSigningKeySync } from '../core/signing-key.js';
import { hmacKey, hmacTextHex, sha256, sha256TextHex, type HmacKey } from '../core/sha256.js';
import { createStringToSign } from '../core/string-to-sign.js';
import { readRequest, type RequestParts } from './options.js';
import { draftFrom, finishPresign } from './presign.js';
import { draftSignRequest, finishSignRequest, readSignRequest } from './sign-request.js';
import type { PresignedUrl, PresignOptions, SignedRequest, SignRequestOptions } from './types.js';

const bytes = (data: string | Uint8Array | ArrayBuffer): Uint8Array =>
  typeof data === 'string' ? utf8(data) : data instanceof Uint8Array ? data : new Uint8Array(data);

/** Lowercase hex SHA-256, computed synchronously. */
export const sha256HexSync = (data: string | Uint8Array | ArrayBuffer): string =>
  typeof data === 'string' ? sha256TextHex(data) : toHex(sha256(bytes(data))); // text: encoded into a reused buffer

/**
 * A synchronous SHA-256 and HMAC-SHA256 for {@link presignUrlSync} and {@link signRequestSync}. The default is
 * this library's plain-JavaScript one, which runs everywhere; on Node, `node:crypto` is faster:
 * `{ sha256Hex: (d) => createHash('sha256').update(d).digest('hex'), hmacSha256: (k, d) => createHmac('sha256', k).update(d).digest() }`.
 */
export interface SyncCrypto {
  /** Lowercase hex SHA-256 of the data (text as UTF-8). */
  sha256Hex(data: string | Uint8Array): string;
  /** HMAC-SHA256 of the text (as UTF-8) with the key bytes. */
  hmacSha256(key: Uint8Array, data: string): Uint8Array;
}

/** Options of the synchronous functions, besides those of their asynchronous twins. */
export interface SyncOptions {
  /** The hash functions to use. Default: this library's plain-JavaScript SHA-256. */
  readonly crypto?: SyncCrypto;
}

function checkCrypto(value: unknown): SyncCrypto | undefined {
  const c = value as Partial<SyncCrypto> | null | undefined;
  if (value !== undefined && (typeof c?.sha256Hex !== 'function' || typeof c.hmacSha256 !== 'function')) {
    invalidType('crypto', 'an object with sha256Hex(data) and hmacSha256(key, data) functions', value);
  }
  return (c ?? undefined) as SyncCrypto | undefined;
}

function signSync(
  read: RequestParts,
  canonicalRequest: string,
  credentialScope: string,
  crypto: SyncCrypto | undefined,
) {
  const { credentials, amzDate, region, service } = read;
  const date = amzDate.slice(0, 8);
  const lookup = <T>(kind: string, derive: () => T): T =>
    cachedKey(read.cache, kind, credentials, date, region, service, derive);
  if (crypto) {
    // A caller's backend: the derived key is kept as raw bytes.
    const key = lookup('raw', () => {
      let k = utf8('AWS4' + credentials.secretAccessKey);
      for (const part of [date, region, service, 'aws4_request']) k = crypto.hmacSha256(k, part);
      return k;
    });
    const stringToSign = createStringToSign(amzDate, credentialScope, crypto.sha256Hex(canonicalRequest));
    return { stringToSign, signature: toHex(crypto.hmacSha256(key, stringToSign)) };
  }
  const key = lookup('sync', (): HmacKey =>
    hmacKey(deriveSigningKeySync(credentials.secretAccessKey, date, region, service)),
  );
  const stringToSign = createStringToSign(amzDate, credentialScope, sha256TextHex(canonicalRequest));
  return { stringToSign, signature: hmacTextHex(key, stringToSign) };
}

/**
 * {@link presignUrl} without a promise: same options, same result, same errors. Two SHA-256 runs in plain
 * JavaScript per URL once the signing key is cached, with no hop to Web Crypto's thread.
 */
export function presignUrlSync(options: PresignOptions & SyncOptions): PresignedUrl {
  const read = readRequest(options);
  const draft = draftFrom(read, options);
  const crypto = checkCrypto(options.crypto);
  const { stringToSign, signature } = signSync(
    read,
    draft.stages.canonicalRequest,
    draft.stages.credentialScope,
    crypto,
  );
  return finishPresign(draft, stringToSign, signature);
}

/** {@link signRequest} without a promise: same options, same result, same errors. */
export function signRequestSync(options: SignRequestOptions & SyncOptions): SignedRequest {
  const input = readSignRequest(options);
  const { read } = input;
  const crypto = checkCrypto(options.crypto);
  const body = input.body ?? '';
  const payloadHash =
    read.payloadHash ??
    (crypto ? crypto.sha256Hex(typeof body === 'string' ? body : bytes(body)) : sha256HexSync(body));
  const draft = draftSignRequest(input, payloadHash);
  const { stringToSign, signature } = signSync(
    read,
    draft.stages.canonicalRequest,
    draft.stages.credentialScope,
    crypto,
  );
  return finishSignRequest(read, draft, stringToSign, signature);
}
