// The constants of SigV4 that every room shares.

/** The algorithm name this library signs with. */
export const ALGORITHM = 'AWS4-HMAC-SHA256';

/** Hex SHA-256 of an empty body. */
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** The longest validity AWS accepts for a presigned URL: 7 days. */
export const MAX_EXPIRES_IN = 604800;

/** The SigV4a algorithm name: ECDSA P-256 over SHA-256, one signature for a set of regions. */
export const ALGORITHM_V4A = 'AWS4-ECDSA-P256-SHA256';
