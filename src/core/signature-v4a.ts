// Tasks 2 to 4 of SigV4a: the credential scope (no region: the region set is a signed header or query parameter
// instead), the string to sign, and the signature, ECDSA P-256 over SHA-256 of the string to sign, DER-encoded as
// lowercase hex.

import { ALGORITHM_V4A } from './constants.js';
import type { Credentials } from './credentials.js';
import { derFromRs, rsFromDer } from './der.js';
import type { Fault } from './errors.js';
import type { SigningKeyCache } from './key-cache.js';
import { v4aKeyFor } from './sigv4a-key.js';
import { ecdsaSign, ecdsaVerify, sha256Hex } from './webcrypto.js';

/** `YYYYMMDD/service/aws4_request`: SigV4a's credential scope. */
export const createCredentialScopeV4a = (date: string, service: string): string => `${date}/${service}/aws4_request`;

/** SigV4a's string to sign: algorithm, X-Amz-Date, credential scope and the hex SHA-256 of the canonical request. */
export const createStringToSignV4a = (amzDate: string, credentialScope: string, canonicalRequestHash: string): string =>
  `${ALGORITHM_V4A}\n${amzDate}\n${credentialScope}\n${canonicalRequestHash}`;

/** What both the signer and the verifier need to reach the string to sign and the key. */
export interface V4aSigner {
  readonly credentials: Credentials;
  readonly amzDate: string;
}

async function stringToSignOf(canonicalRequest: string, credentialScope: string, amzDate: string): Promise<string> {
  return createStringToSignV4a(amzDate, credentialScope, await sha256Hex(canonicalRequest));
}

/**
 * Hashes the canonical request, builds the string to sign and signs it with the access key's SigV4a key (derived
 * once, then cached): the signature is the DER of ECDSA's (r, s) as lowercase hex. ECDSA signatures are
 * randomized: two calls give different signatures, each valid.
 */
export async function signCanonicalRequestV4a(
  canonicalRequest: string,
  credentialScope: string,
  { credentials, amzDate }: V4aSigner,
  cache: SigningKeyCache | false | undefined,
): Promise<{ stringToSign: string; signature: string }> {
  const [key, stringToSign] = await Promise.all([
    v4aKeyFor(credentials, cache),
    stringToSignOf(canonicalRequest, credentialScope, amzDate),
  ]);
  return { stringToSign, signature: derFromRs(await ecdsaSign(key.privateKey, stringToSign)) };
}

/**
 * Checks a received SigV4a signature (hex DER, read strictly: see {@link rsFromDer}) against the canonical
 * request with the access key's public key. A malformed signature fails through `fault`; one that does not verify
 * gives `valid: false`.
 */
export async function verifyCanonicalRequestV4a(
  canonicalRequest: string,
  credentialScope: string,
  { credentials, amzDate }: V4aSigner,
  signature: string,
  cache: SigningKeyCache | false | undefined,
  fault: Fault,
): Promise<{ stringToSign: string; valid: boolean }> {
  const rs = rsFromDer('the signature', signature, fault);
  const [key, stringToSign] = await Promise.all([
    v4aKeyFor(credentials, cache),
    stringToSignOf(canonicalRequest, credentialScope, amzDate),
  ]);
  return { stringToSign, valid: await ecdsaVerify(key.publicKey, rs, stringToSign) };
}
