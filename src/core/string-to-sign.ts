// Task 2 of the SigV4 signing process: the credential scope and the string to sign.

import { ALGORITHM } from './constants.js';

/** `YYYYMMDD/region/service/aws4_request`: the scope the signing key is derived for. */
export const createCredentialScope = (date: string, region: string, service: string): string =>
  `${date}/${region}/${service}/aws4_request`;

/**
 * The string to sign: algorithm, X-Amz-Date, credential scope and the hex SHA-256 of the canonical request,
 * one per line with no trailing newline.
 */
export const createStringToSign = (amzDate: string, credentialScope: string, canonicalRequestHash: string): string =>
  `${ALGORITHM}\n${amzDate}\n${credentialScope}\n${canonicalRequestHash}`;
