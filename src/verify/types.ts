// The public shapes of the verifiers: their options and what they return.

import type { SigningKeyCache } from '../core/key-cache.js';
import type { HeadersInput } from '../core/pairs.js';

/** What a credential lookup returns for a known access key. */
export interface VerifierCredentials {
  /** The secret access key of the access key id looked up. */
  readonly secretAccessKey: string;
  /** With temporary credentials: the token the request must carry. */
  readonly sessionToken?: string | undefined;
}

/**
 * Finds the secret for an access key id: `undefined` (or `null`) for an unknown key. May be async. An error it
 * throws is passed on as it is.
 */
export type CredentialLookup = (
  accessKeyId: string,
  /** The verifier's `signal` option, to pass on to the key store (a database query, a fetch). */
  context: { readonly signal: AbortSignal | undefined },
) => VerifierCredentials | null | undefined | PromiseLike<VerifierCredentials | null | undefined>;

/** What both verifiers take: the request as received, and what the server accepts. */
export interface VerifyOptions {
  /**
   * The URL the request was received on, absolute, as sent: on Node, `` `http://${req.headers.host}${req.url}` ``.
   * A `URL` object has already resolved `.` and `..` and re-encoded some characters: pass the text for S3-style
   * keys.
   */
  readonly url: string | URL;
  /** The HTTP method the request used. Required: a URL signed for GET must not pass as a PUT. */
  readonly method: string;
  /**
   * The request's headers (names in any case). A repeated header must come as separate values (an array, or
   * pairs; on Node `req.headersDistinct`), since a `Headers` object or `req.headers` joins them with `, `.
   * `host` defaults to the URL's host.
   */
  readonly headers?: HeadersInput;
  /** Finds the credentials for the access key id the request names. */
  readonly getCredentials: CredentialLookup;
  /** The region, or regions, this server accepts in the credential scope. */
  readonly region: string | readonly string[];
  /** The service signing name, or names, this server accepts (`s3` turns on S3's rules). */
  readonly service: string | readonly string[];
  /** The time to check against, as a Date or epoch milliseconds. Default: now. */
  readonly now?: Date | number;
  /** Seconds the request's date may be ahead of `now` (and, for `verifyRequest`, behind it). Default 900. */
  readonly clockSkew?: number;
  /** Encode the canonical path a second time. Default: `false` for `s3`, `true` for every other service. */
  readonly uriEscapePath?: boolean;
  /** Remove `.`, `..` and empty segments from the path. Default: `false` for `s3`, `true` otherwise. */
  readonly normalizePath?: boolean;
  /**
   * The hex SHA-256 of the body as the server received it (or `UNSIGNED-PAYLOAD`), when the request has no
   * `x-amz-content-sha256` header. Default: `body`'s hash; else `UNSIGNED-PAYLOAD` for a presigned `s3` URL and
   * the hash of an empty body otherwise.
   */
  readonly payloadHash?: string;
  /**
   * The body as received, to hash (or to check against `x-amz-content-sha256`); as a `ReadableStream` (on Node,
   * `Readable.toWeb(req)`), it is checked as it is read: see {@link VerifiedRequest.body}. A stream body needs the
   * `x-amz-content-sha256` header (or `payloadHash`): a signature over the body's hash cannot wait for its end.
   */
  readonly body?: string | Uint8Array | ArrayBuffer | ReadableStream<Uint8Array>;
  /**
   * The largest signed chunk of an aws-chunked body accepted, in bytes: each is held until it verifies, so this
   * bounds what one upload holds in memory. Default 1048576 (the AWS SDKs and minio-go sign 64 or 128 KiB chunks).
   */
  readonly maxChunkSize?: number;
  /**
   * Whether the signer signed `X-Amz-Security-Token` (default `true`, as AWS requires). With `false` the token
   * is taken to have been added after signing (as for AWS IoT): it is left out of the canonical query and need
   * not be a signed header. Either way a token must equal the one the credential lookup returns.
   */
  readonly signSessionToken?: boolean;
  /** Signing key cache. Default: the shared one; `false` derives the key every time. */
  readonly cache?: SigningKeyCache | false;
  /**
   * Ends the wait for `getCredentials`, as it ends a `fetch`: once it aborts, the verifier rejects with
   * `signal.reason` (a `TimeoutError` DOMException for `AbortSignal.timeout(ms)`), and the lookup gets it too, as
   * `getCredentials(id, { signal })`. A server answers that with 503, not 403: the request was not judged.
   */
  readonly signal?: AbortSignal;
  /**
   * On a signature mismatch, also compute the signature for the six other standard methods, to report
   * `ERR_SIGV4_METHOD` when one matches (a GET URL used to PUT). That is up to six more signatures for every
   * request that fails, and anyone can send those: turn it on where failures are not an attacker's (development,
   * the CLI, an internal service). Default `false`: a mismatch is `ERR_SIGV4_SIGNATURE_MISMATCH`.
   */
  readonly diagnoseMethod?: boolean;
}

/** Options of {@link verifyPresignedUrl}. */
export type VerifyPresignedUrlOptions = VerifyOptions;

/** Options of {@link verifyRequest}: the headers are required, since they carry the signature. */
export interface VerifyRequestOptions extends VerifyOptions {
  /** The headers received, `authorization` and the signed ones among them. */
  readonly headers: HeadersInput;
}

/** Who signed, and when: what every verifier returns. */
export interface VerifiedSigner {
  /** The access key id that signed. */
  readonly accessKeyId: string;
  /** `YYYYMMDD/region/service/aws4_request` */
  readonly credentialScope: string;
  /** The region of the credential scope, one of the accepted ones. */
  readonly region: string;
  /** The service of the credential scope, one of the accepted ones. */
  readonly service: string;
  /** The signing time (X-Amz-Date). */
  readonly signingDate: Date;
  /** `YYYYMMDD'T'HHMMSS'Z'` */
  readonly amzDate: string;
}

/** A verified request: who signed it and what the signature covers, for the server to authorize. */
export interface VerifiedRequest extends VerifiedSigner {
  /** X-Amz-Expires of a presigned URL; `undefined` for a header-signed request. */
  readonly expiresIn: number | undefined;
  /**
   * The last moment the request is accepted: X-Amz-Date + X-Amz-Expires for a presigned URL, X-Amz-Date +
   * `clockSkew` for a header-signed request.
   */
  readonly expiresAt: Date;
  /** The method, which the signature covers. */
  readonly method: string;
  /**
   * The path the signature covers: for S3 the key in its canonical encoded form; for other services the path as
   * received, normalized (`.`, `..` and empty segments removed) where the service's rules say so.
   */
  readonly path: string;
  /** The signed header names, lowercase, sorted. Always includes `host`. */
  readonly signedHeaders: readonly string[];
  /** The signed headers' values in canonical form: these, and only these, are covered by the signature. */
  readonly headers: Readonly<Record<string, string>>;
  /** The payload hash in the canonical request: a hex SHA-256, `UNSIGNED-PAYLOAD` or `STREAMING-…`. */
  readonly payloadHash: string;
  /** The session token the request carried, if any (it matched the credentials'). */
  readonly sessionToken: string | undefined;
  /** The canonical request recomputed from the request as received: compare it with the signer's to find a mismatch. */
  readonly canonicalRequest: string;
  /** The string to sign recomputed from the request as received. */
  readonly stringToSign: string;
  /**
   * The body, verified as it is read, when one was given as a stream or the request is aws-chunked
   * (`x-amz-content-sha256: STREAMING-…`); undefined otherwise. An aws-chunked body comes decoded: each signed chunk
   * is passed on only once it verified, unsigned chunks as they arrive. The stream errors with a SigV4Error at the
   * first fault (`ERR_SIGV4_CHUNK_SIGNATURE`, `ERR_SIGV4_CHUNK_FRAMING`, `ERR_SIGV4_CHECKSUM_MISMATCH`,
   * `ERR_SIGV4_LENGTH_MISMATCH`, or `ERR_SIGV4_PAYLOAD_HASH` for a stream whose SHA-256 is not the signed one) and
   * passes nothing on after it. The trailer, checksums and length are known only at the end: keep what you read
   * only once the stream has closed without an error.
   */
  readonly body: ReadableStream<Uint8Array> | undefined;
}
