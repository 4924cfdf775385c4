// The shapes the public functions take and return.

import type { Credentials } from '../core/credentials.js';
import type { SigningKeyCache } from '../core/key-cache.js';
import type { HeadersInput, QueryInput } from '../core/pairs.js';

/** What both signing functions take. */
export interface SigningOptions {
  /**
   * Absolute http(s) URL. As a string, the path is taken as written: `//`, `.` and `..` stay (a `URL` object has
   * already resolved them). For S3, characters outside the URL syntax are encoded and `%XX` escapes stand for
   * their byte (write `?`, `#` and `%` that belong to a key as `%3F`, `%23` and `%25`); for other services the path
   * is signed as `fetch` sends it (see `uriEscapePath`).
   */
  readonly url: string | URL;
  /** HTTP method. Default `GET`. */
  readonly method?: string;
  /** Service signing name, e.g. `s3`, `execute-api`, `lambda`. Drives the S3 rules below. */
  readonly service: string;
  /** Region in the credential scope, e.g. `us-east-1` (`auto` for R2). */
  readonly region: string;
  /** The signer's credentials: only their secret and session token are used, never shown in an error. */
  readonly credentials: Credentials;
  /** The signing time. Default: now. */
  readonly signingDate?: Date | number | string;
  /** Headers to sign. The holder of the request must send them with these values. */
  readonly headers?: HeadersInput;
  /** Extra query parameters to sign, as raw text. */
  readonly query?: QueryInput;
  /**
   * Sign the path as it is sent, encoded once more (`/a:b` as `/a%3Ab`, `/my%20doc` as `/my%2520doc`), as every
   * AWS service but S3 expects; with `false`, S3's rule: the path in one canonical encoded form, sent and signed as
   * it is. Default: `false` for `s3`, `true` for every other service.
   */
  readonly uriEscapePath?: boolean;
  /**
   * Remove `.` and `..` segments (RFC 3986 section 5.2.4: `/a/b/..` is `/a/`) and empty segments from the signed
   * path. Default: `false` for `s3`, `true` otherwise.
   */
  readonly normalizePath?: boolean;
  /**
   * The hex SHA-256 of the body, `UNSIGNED-PAYLOAD` or a `STREAMING-…` value. Default for presigned URLs:
   * `UNSIGNED-PAYLOAD` for `s3`, the hash of an empty body otherwise.
   */
  readonly payloadHash?: string;
  /**
   * Sign `X-Amz-Security-Token` (default `true`). With `false` the token is added after signing, outside the
   * signature, as AWS IoT requires.
   */
  readonly signSessionToken?: boolean;
  /** Signing key cache. Default: the shared {@link defaultSigningKeyCache}; `false` derives the key every time. */
  readonly cache?: SigningKeyCache | false;
}

/** Options of {@link presignUrl}. */
export interface PresignOptions extends SigningOptions {
  /** Seconds the URL stays valid: an integer from 1 to 604800 (7 days). Default 3600. */
  readonly expiresIn?: number;
  /**
   * Move `x-amz-*` headers (other than `x-amz-content-sha256` and the SSE-C key headers, which S3 needs as
   * headers) into the query string, so the holder need not send them. Default `false`.
   */
  readonly hoistAmzHeaders?: boolean;
}

/** Options of {@link signRequest}. */
export interface SignRequestOptions extends SigningOptions {
  /** The body to hash for the payload hash, unless `payloadHash` is given. Default: empty. */
  readonly body?: string | Uint8Array | ArrayBuffer;
  /** Add an `x-amz-content-sha256` header with the payload hash. Default: `true` for `s3`, `false` otherwise. */
  readonly contentSha256Header?: boolean;
}

/** The stages of a signature, for debugging a mismatch against another signer or a server's error message. */
export interface SignatureStages {
  /** Task 1: the canonical request, as signed. */
  readonly canonicalRequest: string;
  /** Task 2: the string to sign (algorithm, date, scope, hash of the canonical request). */
  readonly stringToSign: string;
  /** Lowercase hex HMAC-SHA256 of the string to sign. */
  readonly signature: string;
  /** `YYYYMMDD/region/service/aws4_request` */
  readonly credentialScope: string;
  /** Lowercase header names, sorted, as in `X-Amz-SignedHeaders`. */
  readonly signedHeaders: readonly string[];
  /** The signing time, `YYYYMMDD'T'HHMMSS'Z'`. */
  readonly amzDate: string;
}

/** What {@link presignUrl} returns. */
export interface PresignedUrl extends SignatureStages {
  /** The presigned URL, encoded exactly as it was signed. */
  readonly url: string;
  /** The HTTP method signed, upper-cased when it is a standard one. */
  readonly method: string;
  /** Headers the holder of the URL must send (besides `host`), with the values that were signed. */
  readonly headers: Readonly<Record<string, string>>;
  /** When the URL stops being valid. */
  readonly expiresAt: Date;
}

/** What {@link signRequest} returns. */
export interface SignedRequest extends SignatureStages {
  /** The request URL, encoded exactly as it was signed. */
  readonly url: string;
  /** The HTTP method signed, upper-cased when it is a standard one. */
  readonly method: string;
  /**
   * Headers to send: the caller's, plus `authorization`, `x-amz-date`, and where they apply
   * `x-amz-security-token` and `x-amz-content-sha256`. `host` is left to the HTTP client unless the caller set it.
   */
  readonly headers: Readonly<Record<string, string>> & {
    readonly authorization: string;
    readonly 'x-amz-date': string;
  };
  /** The `Authorization` header value. */
  readonly authorization: string;
}

/**
 * The SigV4a form of an options type: the same options with `regionSet` in place of `region` (SigV4a's scope has
 * no region; the signature is valid in every region of the set).
 */
export type WithRegionSet<T extends SigningOptions> = Omit<T, 'region'> & {
  /**
   * The regions the signature is valid in: region names such as `us-east-1`, as an array or comma-separated, or
   * `*` for every region (what S3 Multi-Region Access Points take). Sent and signed as `X-Amz-Region-Set`.
   */
  readonly regionSet: string | readonly string[];
  /** Not taken by SigV4a, which signs `regionSet` instead: a region here is refused. */
  readonly region?: undefined;
};

/** Options of {@link presignUrlV4a}. */
export type PresignV4aOptions = WithRegionSet<PresignOptions>;

/** Options of {@link signRequestV4a}. */
export type SignRequestV4aOptions = WithRegionSet<SignRequestOptions>;

/** What a SigV4a signature adds to the stages: the algorithm and the region set. */
export interface SignatureV4aStages {
  /** `AWS4-ECDSA-P256-SHA256` */
  readonly algorithm: 'AWS4-ECDSA-P256-SHA256';
  /** The regions the signature is valid in, as signed (`X-Amz-Region-Set`, comma-separated). */
  readonly regionSet: readonly string[];
  /** `YYYYMMDD/service/aws4_request`: SigV4a's scope has no region. */
  readonly credentialScope: string;
  /**
   * Lowercase hex of the DER-encoded ECDSA P-256 signature of the string to sign. ECDSA is randomized: each call
   * gives another signature, every one valid.
   */
  readonly signature: string;
}

/** What {@link presignUrlV4a} returns. */
export interface PresignedUrlV4a extends PresignedUrl, SignatureV4aStages {}

/** What {@link signRequestV4a} returns. */
export interface SignedRequestV4a extends SignedRequest, SignatureV4aStages {}
