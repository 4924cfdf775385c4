// SigV4a's region set: the regions a signature is valid in, sent as X-Amz-Region-Set (query) or x-amz-region-set
// (header), comma-separated, signed. Each entry is a region name or `*` (every region).

import { describe, invalidType, type Fault } from './errors.js';

// Lowercase letters, digits and "-", from a letter (us-east-1, eu-central-2, auto), or "*". Linear: one class each.
const REGION = /^(?:[a-z][a-z0-9-]*|\*)$/;

/**
 * The `regionSet` option: a region name, a list of them, or `*`, as a list. A string may hold several
 * comma-separated names (`us-east-1,us-west-2`, as the AWS CLI's `sigv4a_signing_region_set` does).
 */
export function checkRegionSet(value: unknown): string[] {
  const list: unknown[] = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? [...value] : [];
  const bad = list.findIndex((region) => typeof region !== 'string' || !REGION.test(region));
  if (list.length === 0 || bad >= 0) {
    invalidType(
      'regionSet',
      'region names (lowercase letters, digits and "-", such as "us-east-1") or "*", as a comma-separated string or an array',
      bad >= 0 ? list[bad] : value,
    );
  }
  return list as string[];
}

/** A received region set (`us-east-1,us-west-2`, `*`) as a list; anything else fails through `fault`. */
export function readRegionSet(name: string, text: string, fault: Fault): string[] {
  const list = text.split(',');
  if (!list.every((region) => REGION.test(region)))
    fault(`${name} expected comma-separated region names or "*", got ${describe(text)}`);
  return list;
}
