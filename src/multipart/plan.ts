// Part planning for S3 multipart upload: how a file of a given size is cut into parts within S3's limits
// (Amazon S3 User Guide, "Amazon S3 multipart upload limits").

import { describe, optionError } from '../core/errors.js';

/** The smallest part S3 accepts, except the last one: 5 MiB. */
export const MIN_PART_SIZE = 5_242_880;
/** The largest part S3 accepts: 5 GiB. */
export const MAX_PART_SIZE = 5_368_709_120;
/** The most parts one upload can have; part numbers run from 1 to this. */
export const MAX_PARTS = 10_000;
/** The largest object a multipart upload can make: 5 TiB. */
export const MAX_OBJECT_SIZE = 5_497_558_138_880;
/** The part size {@link planParts} starts from: 8 MiB, the AWS CLI's `multipart_chunksize`. */
export const DEFAULT_PART_SIZE = 8_388_608;

/** How an object is cut into parts: every part is `partSize` bytes but the last, which holds what is left. */
export interface PartPlan {
  /** The object's size in bytes. */
  readonly size: number;
  /** The size of every part but the last, in bytes. */
  readonly partSize: number;
  /** How many parts: at least 1 (an empty object is one empty part), at most 10,000. */
  readonly partCount: number;
}

function checkInteger(name: string, value: unknown, min: number, max: number, unit: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    optionError(
      `"${name}" expected an integer ${min.toLocaleString('en-US')}..${max.toLocaleString('en-US')}${unit}, got ${describe(value)}`,
      typeof value === 'number',
    );
  return value as number;
}

/**
 * Plans the parts of an object of `size` bytes. Parts are `partSize` bytes (default 8 MiB), or larger where a
 * file would otherwise need more than 10,000 parts: then every part but the last is `ceil(size / 10,000)` bytes,
 * as the AWS SDK for JavaScript's `Upload` and Uppy choose. So every part but the last is between 5 MiB and 5 GiB,
 * there are at most 10,000, and the parts add up to `size`.
 *
 * @param size - The object's size in bytes: an integer from 0 to 5 TiB.
 * @param partSize - The part size wanted, in bytes: an integer from 5 MiB to 5 GiB. Default 8 MiB.
 * @throws TypeError or RangeError (code `ERR_SIGV4_INVALID_OPTION`) for a size or part size out of S3's limits.
 * @example
 * planParts(100 * 1024 * 1024); // { size: 104857600, partSize: 8388608, partCount: 13 }
 */
export function planParts(size: number, partSize: number = DEFAULT_PART_SIZE): PartPlan {
  checkInteger('size', size, 0, MAX_OBJECT_SIZE, ' bytes (5 TiB)');
  checkInteger('partSize', partSize, MIN_PART_SIZE, MAX_PART_SIZE, ' bytes (5 MiB to 5 GiB)');
  // At most 5 TiB / 10,000 = 524,288,000 bytes: never above MAX_PART_SIZE.
  const chosen = Math.max(partSize, Math.ceil(size / MAX_PARTS));
  return { size, partSize: chosen, partCount: Math.max(1, Math.ceil(size / chosen)) };
}

/** The size of one part of a plan (the last holds what is left), or `undefined` for a number outside it. */
export function partSizeOf(plan: PartPlan, partNumber: number): number | undefined {
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > plan.partCount) return undefined;
  return Math.min(plan.partSize, plan.size - (partNumber - 1) * plan.partSize);
}
