export { presignUrl, draftPresign, finishPresign } from './sign/presign.js';
export type { PresignDraft } from './sign/presign.js';
export { signRequest } from './sign/sign-request.js';
export { presignUrlSync, signRequestSync, sha256HexSync } from './sign/sync.js';
export type { SyncCrypto, SyncOptions } from './sign/sync.js';
export { ALGORITHM, ALGORITHM_V4A, EMPTY_SHA256, MAX_EXPIRES_IN } from './core/constants.js';
export { SigV4Error, isSigV4Error, INVALID_OPTION } from './core/errors.js';
export type { SigV4ErrorCode, OptionErrorCode, Fault } from './core/errors.js';
export { SigningKeyCache, defaultSigningKeyCache } from './core/key-cache.js';
export { deriveSigningKey, deriveSigningKeySync } from './core/signing-key.js';
export { createSignature } from './core/signature.js';
export { createCredentialScope, createStringToSign } from './core/string-to-sign.js';
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
} from './core/canonical-request.js';
export { uriEncode, normalizeEscapes } from './core/encoding.js';
export { toAmzDate, parseAmzDate } from './core/date.js';
export type { Credentials } from './core/credentials.js';
export type { HeadersInput, QueryInput } from './core/pairs.js';
export type {
  SigningOptions,
  PresignOptions,
  SignRequestOptions,
  SignatureStages,
  PresignedUrl,
  SignedRequest,
  WithRegionSet,
  PresignV4aOptions,
  SignRequestV4aOptions,
  SignatureV4aStages,
  PresignedUrlV4a,
  SignedRequestV4a,
} from './sign/types.js';
export { presignUrlV4a, signRequestV4a, deriveV4aPublicKey } from './sign/v4a.js';
export type { V4aPublicKey } from './sign/v4a.js';
export { verifyPresignedUrl } from './verify/presigned-url.js';
export { verifyRequest } from './verify/signed-request.js';
export { DEFAULT_CLOCK_SKEW } from './verify/common.js';
export type {
  CredentialLookup,
  VerifierCredentials,
  VerifyOptions,
  VerifyPresignedUrlOptions,
  VerifyRequestOptions,
  VerifiedRequest,
  VerifiedSigner,
} from './verify/types.js';
export { createPresignedPost, signPostPolicy } from './post/create.js';
export type { PresignedPost, PresignedPostOptions, SignPostPolicyOptions, SignedPostPolicy } from './post/create.js';
export type { PostHeaderField, PostPolicyCondition, PostPolicyField } from './post/policy.js';
export { verifyPresignedPost, MAX_POST_FIELDS_LENGTH } from './post/verify.js';
export { awsChunkedHeaders, createAwsChunkedEncoder } from './stream/encode.js';
export type { AwsChunkedEncoderOptions, AwsChunkedHeadersOptions, AwsChunkedSignedRequest } from './stream/encode.js';
export {
  createCanonicalTrailers,
  createChunkStringToSign,
  createTrailerStringToSign,
} from './stream/chunk-signature.js';
export type { StreamingPayloadHash } from './stream/chunk-signature.js';
export { createChecksum, checksumAlgorithmOf, checksumHeaderName } from './stream/checksum.js';
export type { Checksum, ChecksumAlgorithm } from './stream/checksum.js';
export type { PostFormInput, VerifiedPost, VerifyPresignedPostOptions } from './post/verify.js';
export { s3Url } from './s3/url.js';
export type { S3UrlOptions } from './s3/url.js';
export { SigV4Client } from './client/client.js';
export type {
  ClientOptions,
  ClientPresignOptions,
  ClientSignRequestOptions,
  CredentialsProvider,
  ExpiringCredentials,
  FetchFunction,
} from './client/client.js';
export {
  presignCreateMultipartUpload,
  presignUploadPart,
  presignListParts,
  presignCompleteMultipartUpload,
  presignAbortMultipartUpload,
} from './multipart/presign.js';
export type {
  MultipartTarget,
  CreateMultipartUploadOptions,
  MultipartUploadIdOptions,
  UploadPartOptions,
  ListPartsOptions,
} from './multipart/presign.js';
export {
  planParts,
  partSizeOf,
  MIN_PART_SIZE,
  MAX_PART_SIZE,
  MAX_PARTS,
  MAX_OBJECT_SIZE,
  DEFAULT_PART_SIZE,
} from './multipart/plan.js';
export type { PartPlan } from './multipart/plan.js';
export { completeMultipartUploadBody } from './multipart/xml.js';
export type { CompletedPart } from './multipart/xml.js';
export { createMultipartHandler, MAX_HANDLER_BODY } from './multipart/handler.js';
export type { MultipartHandlerOptions } from './multipart/handler.js';
export type {
  MultipartAction,
  MultipartErrorCode,
  MultipartHandlerError,
  MultipartHandlerRequest,
  MultipartHandlerResponse,
  PresignedRequestJson,
} from './multipart/protocol.js';
// The Web types the declarations name, for programs without the DOM lib (types only; see the file).
export type {} from './core/web-globals.js';
