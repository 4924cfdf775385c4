// The tests' reference signer: SigV4's hash, HMAC, key derivation and URI encoding written with node:crypto and
// the platform's encodeURIComponent, apart from src/ (nothing here imports it). Tests check the library's
// hashes, derived keys and signatures against these, so a mistake in src/ cannot hide behind itself.

import { createHash, createHmac } from 'node:crypto';

/** SHA-256 as lowercase hex; text is hashed as UTF-8. */
export const sha256Hex = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** HMAC-SHA256; text is read as UTF-8. */
export const hmacSha256 = (key: string | Uint8Array, data: string | Uint8Array): Buffer =>
  createHmac('sha256', key).update(data).digest();

/** HMAC-SHA256 as lowercase hex: with a signing key, the signature of a string to sign (or of a POST policy). */
export const hmacHex = (key: string | Uint8Array, data: string | Uint8Array): string =>
  hmacSha256(key, data).toString('hex');

/** The signing key of the SigV4 docs: HMAC("AWS4" + secret, date), then region, service and "aws4_request". */
export const signingKey = (secret: string, date: string, region: string, service: string): Buffer =>
  hmacSha256(hmacSha256(hmacSha256(hmacSha256(`AWS4${secret}`, date), region), service), 'aws4_request');

/** The signature of a string to sign, with the key of the scope on its third line (`DATE/REGION/SERVICE/aws4_request`). */
export function signatureOf(secret: string, stringToSign: string): string {
  const [date, region, service] = stringToSign.split('\n')[2]!.split('/');
  return hmacHex(signingKey(secret, date!, region!, service!), stringToSign);
}

/** Every byte of the UTF-8 text but the unreserved set (A-Z a-z 0-9 - . _ ~) as %XX, uppercase: SigV4's UriEncode(). */
export const rfc3986 = (text: string): string =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
