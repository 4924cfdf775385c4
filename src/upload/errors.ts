// The uploader's errors: a caller's mistake is a TypeError or RangeError with the library's option code, thrown by
// the constructor; what goes wrong during an upload is an UploadError with a stable `code`.

/**
 * What made an upload fail: `ERR_UPLOAD_ABORTED` (`abort()` was called), `ERR_UPLOAD_REFUSED` (the server's
 * handler refused it: a key outside its prefix, a file too large, a type it does not allow…),
 * `ERR_UPLOAD_FAILED` (the bucket or the network failed, after every retry), `ERR_UPLOAD_CORS` (the bucket
 * answered, but its CORS rule hides the `ETag` header: it needs `ExposeHeaders: ETag`), `ERR_UPLOAD_RESPONSE`
 * (an answer that is not what S3 or the handler send).
 */
export type UploadErrorCode =
  'ERR_UPLOAD_ABORTED' | 'ERR_UPLOAD_REFUSED' | 'ERR_UPLOAD_FAILED' | 'ERR_UPLOAD_CORS' | 'ERR_UPLOAD_RESPONSE';

/** Why an upload failed, with a stable `code`, the HTTP status, and the server's own error code. */
export class UploadError extends Error {
  /** What failed, stable across versions: branch on this, not on the message. */
  readonly code: UploadErrorCode;
  /** The HTTP status of the answer that failed; 0 when there was none (network, CORS, abort). */
  readonly status: number;
  /** The server's error code: S3's `<Code>` (`NoSuchUpload`, `AccessDenied`…) or the handler's (`ERR_MULTIPART_FORBIDDEN`…). */
  readonly reason: string | undefined;
  /** Always `UploadError`. */
  override readonly name: 'UploadError' = 'UploadError';
  constructor(code: UploadErrorCode, message: string, status = 0, reason?: string) {
    super(message);
    this.code = code;
    this.status = status;
    this.reason = reason;
  }
}

/** Errors worth another attempt (network, 5xx, throttling, an expired URL): kept apart from the public class. */
export const retryable: WeakSet<UploadError> = new WeakSet();

/** Marks an error as worth another attempt, and returns it. */
export const again = (error: UploadError): UploadError => (retryable.add(error), error);

/** Throws a TypeError or RangeError with the code `ERR_SIGV4_INVALID_OPTION`: `"name" expected …, got …`. */
export function badOption(name: string, expected: string, got: unknown, range = false): never {
  const shown = typeof got === 'string' ? JSON.stringify(got.slice(0, 80)) : typeof got === 'number' ? got : typeof got;
  const message = `"${name}" expected ${expected}, got ${shown}`;
  throw Object.assign(range ? new RangeError(message) : new TypeError(message), { code: 'ERR_SIGV4_INVALID_OPTION' });
}
