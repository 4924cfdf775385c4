export { presignUrl, draftPresign, finishPresign, EMPTY_SHA256, MAX_EXPIRES_IN } from './presign.js';
export type { PresignDraft } from './presign.js';
export { signRequest } from './sign.js';
export { presignUrlSync, signRequestSync, deriveSigningKeySync, sha256HexSync } from './sync.js';
export type { SyncCrypto, SyncOptions } from './sync.js';
export { SigV4Error, isSigV4Error } from './errors.js';
export type { SigV4ErrorCode } from './errors.js';
export { SigningKeyCache, defaultSigningKeyCache, deriveSigningKey } from './signing-key.js';
export { createSignature } from './signature.js';
export { ALGORITHM, createCredentialScope, createStringToSign } from './string-to-sign.js';
export {
  createCanonicalRequest,
  createCanonicalQuery,
  createCanonicalHeaders,
  createCanonicalUri,
  encodePath,
  removeDotSegments,
  toWirePath,
  toReceivedPath,
  canonicalHeaderValue,
} from './canonical-request.js';
export { uriEncode, normalizeEscapes } from './encoding.js';
export { toAmzDate, parseAmzDate } from './date.js';
export type {
  Credentials,
  HeadersInput,
  QueryInput,
  SigningOptions,
  PresignOptions,
  SignRequestOptions,
  SignatureStages,
  PresignedUrl,
  SignedRequest,
} from './types.js';
export { verifyPresignedUrl, verifyRequest, DEFAULT_CLOCK_SKEW } from './verify.js';
export type {
  CredentialLookup,
  VerifierCredentials,
  VerifyOptions,
  VerifyPresignedUrlOptions,
  VerifyRequestOptions,
  VerifiedRequest,
  VerifiedSigner,
} from './verify.js';
export { createPresignedPost, signPostPolicy } from './post-policy.js';
export type { PostPolicyCondition, PostPolicyField, PresignedPost, PresignedPostOptions, SignPostPolicyOptions, SignedPostPolicy } from './post-policy.js';
export { verifyPresignedPost, MAX_POST_FIELDS_LENGTH } from './post-policy-verify.js';
export type { PostFormInput, VerifiedPost, VerifyPresignedPostOptions } from './post-policy-verify.js';
