// sigv4/upload: the browser side of a multipart upload to S3 through presigned URLs (the server side is
// createMultipartHandler in "sigv4"). No signing code and no credentials: it imports nothing of the signer, and
// bench/size.ts measures it alone.

export { MultipartUpload } from './upload/upload.js';
export type {
  MultipartUploadOptions,
  UploadProgress,
  UploadResult,
  UploadStart,
  UploadStatus,
} from './upload/upload.js';
export { UploadError } from './upload/errors.js';
export type { UploadErrorCode } from './upload/errors.js';
export type { ResumeStore } from './upload/state.js';
export type { FetchLike, Transport } from './upload/send.js';
export type {
  MultipartAction,
  MultipartHandlerRequest,
  MultipartHandlerResponse,
  PresignedRequestJson,
} from './multipart/protocol.js';
// The Web types the declarations name, for programs without the DOM lib (types only; see the file).
export type {} from './core/web-globals.js';
