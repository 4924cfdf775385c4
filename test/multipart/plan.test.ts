// Part planning (src/multipart/plan.ts) against S3's multipart limits (Amazon S3 User Guide, "Amazon S3 multipart
// upload limits"): parts of 5 MiB to 5 GiB except the last, at most 10,000, objects up to 5 TiB. Examples at the
// edges, then properties over every size and part size (fast-check, pinned seeds).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PART_SIZE,
  INVALID_OPTION,
  MAX_OBJECT_SIZE,
  MAX_PART_SIZE,
  MAX_PARTS,
  MIN_PART_SIZE,
  partSizeOf,
  planParts,
  type PartPlan,
} from '../../src/index.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** Every part's size, first to last. */
const sizes = (plan: PartPlan): number[] => Array.from({ length: plan.partCount }, (_, i) => partSizeOf(plan, i + 1)!);

describe('planParts', () => {
  it("holds S3's limits as numbers", () => {
    expect([MIN_PART_SIZE, MAX_PART_SIZE, MAX_PARTS, MAX_OBJECT_SIZE, DEFAULT_PART_SIZE]).toEqual([
      5 * MiB,
      5 * GiB,
      10_000,
      5 * 1024 * GiB,
      8 * MiB,
    ]);
  });

  it.each([
    // size, part size asked, part size planned, part count, last part
    [0, undefined, 8 * MiB, 1, 0],
    [1, undefined, 8 * MiB, 1, 1],
    [8 * MiB, undefined, 8 * MiB, 1, 8 * MiB],
    [8 * MiB + 1, undefined, 8 * MiB, 2, 1],
    [12 * MiB + 17, 5 * MiB, 5 * MiB, 3, 2 * MiB + 17],
    [16 * MiB, 5 * MiB, 5 * MiB, 4, 1 * MiB],
    [300 * MiB, undefined, 8 * MiB, 38, 4 * MiB],
    // 10,000 parts of 5 MiB exactly, then one byte more: the part size grows to ceil(size / 10,000).
    [10_000 * 5 * MiB, 5 * MiB, 5 * MiB, 10_000, 5 * MiB],
    [10_000 * 5 * MiB + 1, 5 * MiB, 5 * MiB + 1, 10_000, 5 * MiB + 1 - 9_999],
    [100 * GiB, undefined, 10_737_419, 10_000, 100 * GiB - 9_999 * 10_737_419],
    [MAX_OBJECT_SIZE, undefined, 549_755_814, 10_000, MAX_OBJECT_SIZE - 9_999 * 549_755_814],
    [MAX_OBJECT_SIZE, 5 * GiB, 5 * GiB, 1024, 5 * GiB],
    [6 * GiB, 5 * GiB, 5 * GiB, 2, 1 * GiB],
  ])('%i bytes (part size %s) → parts of %i, %i of them, the last %i', (size, asked, partSize, count, last) => {
    const plan = planParts(size, asked);
    expect(plan).toEqual({ size, partSize, partCount: count });
    expect(partSizeOf(plan, count)).toBe(last);
    expect(partSizeOf(plan, 0)).toBeUndefined();
    expect(partSizeOf(plan, count + 1)).toBeUndefined();
    expect(partSizeOf(plan, 1.5)).toBeUndefined();
  });

  it.each([
    [-1, undefined, RangeError, '"size" expected an integer 0..5,497,558,138,880 bytes (5 TiB), got -1'],
    [
      MAX_OBJECT_SIZE + 1,
      undefined,
      RangeError,
      '"size" expected an integer 0..5,497,558,138,880 bytes (5 TiB), got 5497558138881',
    ],
    [1.5, undefined, RangeError, '"size" expected an integer 0..5,497,558,138,880 bytes (5 TiB), got 1.5'],
    [Number.NaN, undefined, RangeError, '"size" expected an integer 0..5,497,558,138,880 bytes (5 TiB), got NaN'],
    ['1', undefined, TypeError, '"size" expected an integer 0..5,497,558,138,880 bytes (5 TiB), got "1"'],
    [
      10,
      5 * MiB - 1,
      RangeError,
      '"partSize" expected an integer 5,242,880..5,368,709,120 bytes (5 MiB to 5 GiB), got 5242879',
    ],
    [
      10,
      5 * GiB + 1,
      RangeError,
      '"partSize" expected an integer 5,242,880..5,368,709,120 bytes (5 MiB to 5 GiB), got 5368709121',
    ],
    [10, null, TypeError, '"partSize" expected an integer 5,242,880..5,368,709,120 bytes (5 MiB to 5 GiB), got null'],
  ])('refuses size %s, part size %s', (size, partSize, type, message) => {
    const call = () => planParts(size as number, partSize as number | undefined);
    expect(call).toThrow(type);
    expect(call).toThrow(message);
    try {
      call();
    } catch (error) {
      expect((error as { code?: string }).code).toBe(INVALID_OPTION);
    }
  });

  it('any size up to 5 TiB, any part size asked: parts within the limits that add up to the size', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: 0, max: MAX_OBJECT_SIZE }),
          fc.integer({ min: 0, max: 100 * MiB }),
          // Around the sizes where the part size starts to grow.
          fc.integer({ min: -5000, max: 5000 }).map((d) => Math.max(0, 10_000 * 8 * MiB + d)),
        ),
        fc.option(fc.integer({ min: MIN_PART_SIZE, max: MAX_PART_SIZE }), { nil: undefined }),
        (size, asked) => {
          const plan = planParts(size, asked);
          const wanted = asked ?? DEFAULT_PART_SIZE;
          expect(plan.size).toBe(size);
          expect(plan.partSize).toBe(Math.max(wanted, Math.ceil(size / MAX_PARTS)));
          expect(plan.partSize).toBeGreaterThanOrEqual(MIN_PART_SIZE);
          expect(plan.partSize).toBeLessThanOrEqual(MAX_PART_SIZE);
          expect(plan.partCount).toBeGreaterThanOrEqual(1);
          expect(plan.partCount).toBeLessThanOrEqual(MAX_PARTS);
          // Every part but the last is the part size; the last holds the rest (only an empty object has an empty part).
          const last = partSizeOf(plan, plan.partCount)!;
          expect(last).toBeGreaterThanOrEqual(size === 0 ? 0 : 1);
          expect(last).toBeLessThanOrEqual(plan.partSize);
          expect((plan.partCount - 1) * plan.partSize + last).toBe(size);
          if (plan.partCount > 1) expect(partSizeOf(plan, plan.partCount - 1)).toBe(plan.partSize);
          // The fewest parts of that size: one part less would not hold the size.
          expect((plan.partCount - 1) * plan.partSize).toBeLessThan(Math.max(size, 1));
        },
      ),
      { seed: 0x18a1, numRuns: 3000 },
    );
  });

  it('small files, every part listed: the sizes add up and only the last is short', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 * MiB }), (size) => {
        const plan = planParts(size, MIN_PART_SIZE);
        const all = sizes(plan);
        expect(all.reduce((a, b) => a + b, 0)).toBe(size);
        expect(all.slice(0, -1).every((s) => s === MIN_PART_SIZE)).toBe(true);
      }),
      { seed: 0x18a2, numRuns: 500 },
    );
  });
});
