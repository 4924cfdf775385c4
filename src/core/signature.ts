// Task 4 of the SigV4 signing process: the signature, HMAC-SHA256 of the string to sign with the signing key.

import { hmac, importHmacKey, sha256Hex } from './webcrypto.js';
import { toHex } from './encoding.js';
import type { Credentials } from './credentials.js';
import { signingKeyFor, type SigningKeyCache } from './key-cache.js';
import { createStringToSign } from './string-to-sign.js';

/** Lowercase hex HMAC-SHA256 of the string to sign, with raw signing key bytes or an imported key. */
export async function createSignature(signingKey: Uint8Array | CryptoKey, stringToSign: string): Promise<string> {
  const key = signingKey instanceof Uint8Array ? await importHmacKey(signingKey) : signingKey;
  return toHex(await hmac(key, stringToSign));
}

/**
 * Hashes the canonical request, builds the string to sign and signs it: two Web Crypto calls when the signing
 * key is cached.
 */
export async function signCanonicalRequest(
  canonicalRequest: string,
  credentialScope: string,
  {
    credentials,
    amzDate,
    region,
    service,
  }: { credentials: Credentials; amzDate: string; region: string; service: string },
  cache: SigningKeyCache | false | undefined,
): Promise<{ stringToSign: string; signature: string }> {
  const keyPromise = signingKeyFor(credentials, amzDate.slice(0, 8), region, service, cache);
  const [key, hash] = await Promise.all([keyPromise, sha256Hex(canonicalRequest)]);
  const stringToSign = createStringToSign(amzDate, credentialScope, hash);
  return { stringToSign, signature: await createSignature(key, stringToSign) };
}
