// What the browser uploader (sigv4/upload) and the multipart handler say to each other: one JSON object per POST
// to the handler, and one back. Types only: both sides import them, neither imports the other's code.

/** The step the uploader asks the handler to presign. */
export type MultipartAction = 'create' | 'part' | 'list' | 'complete' | 'abort';

/**
 * What the uploader posts to the handler, as JSON. Every action names the object (`key`), its size and its type,
 * and the handler checks them against its rules each time; the steps after `create` also name the upload and the
 * part size it was planned with.
 */
export interface MultipartHandlerRequest {
  /** The step to presign. */
  readonly action: MultipartAction;
  /** The object key asked for. */
  readonly key: string;
  /** The file's size in bytes. */
  readonly size: number;
  /** The file's media type, `type/subtype`. */
  readonly type: string;
  /** The part size of the upload (every action but `create`): as `create` answered. */
  readonly partSize?: number;
  /** The upload (every action but `create`): the `UploadId` CreateMultipartUpload answered with. */
  readonly uploadId?: string;
  /** The part to upload (`part`). */
  readonly partNumber?: number;
  /** Where a page of ListParts starts (`list`, optional). */
  readonly partNumberMarker?: number;
  /** Every part of the plan, once, with its ETag (`complete`). */
  readonly parts?: readonly { readonly partNumber: number; readonly etag: string }[];
}

/** A presigned request, as JSON: the browser sends it to S3 as it is. */
export interface PresignedRequestJson {
  /** `POST`, `PUT`, `GET` or `DELETE`. */
  readonly method: string;
  /** The presigned URL. */
  readonly url: string;
  /** Headers to send with the values signed (`content-type` for `create`, `content-length` for a part: the browser sets that one). */
  readonly headers: Readonly<Record<string, string>>;
  /** When the URL stops working (ISO 8601). */
  readonly expiresAt: string;
}

/** The handler's answer to a request it accepts (status 200). */
export interface MultipartHandlerResponse {
  /** The presigned S3 request for the step. */
  readonly request: PresignedRequestJson;
  /** `create`: the part size planned for the file. */
  readonly partSize?: number;
  /** `create`: how many parts. */
  readonly partCount?: number;
  /** `complete`: the CompleteMultipartUpload XML body to send. */
  readonly body?: string;
}

/**
 * Why the handler refused a request: `ERR_MULTIPART_INVALID` (400: malformed), `ERR_MULTIPART_FORBIDDEN` (403: a
 * key outside the prefix, or `authorize` said no), `ERR_MULTIPART_METHOD` (405: not a POST),
 * `ERR_MULTIPART_TOO_LARGE` (413: a file or a request body too large), `ERR_MULTIPART_TYPE` (415: a media type
 * not allowed), `ERR_MULTIPART_INTERNAL` (500: presigning failed; the details are not sent).
 */
export type MultipartErrorCode =
  | 'ERR_MULTIPART_INVALID'
  | 'ERR_MULTIPART_FORBIDDEN'
  | 'ERR_MULTIPART_METHOD'
  | 'ERR_MULTIPART_TOO_LARGE'
  | 'ERR_MULTIPART_TYPE'
  | 'ERR_MULTIPART_INTERNAL';

/** The handler's answer to a request it refuses (status 4xx or 500). */
export interface MultipartHandlerError {
  /** What was refused, and why, in words that name what was expected and what was received. */
  readonly error: { readonly code: MultipartErrorCode; readonly message: string };
}
