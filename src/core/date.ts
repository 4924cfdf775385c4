// Dates: the X-Amz-Date form (ISO 8601 basic, UTC, whole seconds) and the signing date option.

import { invalidType, outOfRange } from './errors.js';
import { memoLast } from './memo.js';

const two = (n: number): string => (n < 10 ? '0' : '') + n;

// Epoch seconds → X-Amz-Date text, field by field (several times cheaper than toISOString() and slicing); a run of
// signatures made in one second formats it once.
const formatSecond = memoLast((second: number): string => {
  const date = new Date(second * 1000);
  return (
    String(date.getUTCFullYear()).padStart(4, '0') +
    two(date.getUTCMonth() + 1) +
    two(date.getUTCDate()) +
    'T' +
    two(date.getUTCHours()) +
    two(date.getUTCMinutes()) +
    two(date.getUTCSeconds()) +
    'Z'
  );
});

/** `Date` → `YYYYMMDD'T'HHMMSS'Z'`, the X-Amz-Date form (for years 0 to 9999). */
export function toAmzDate(date: Date): string {
  return formatSecond(Math.floor(date.getTime() / 1000));
}

/** `YYYYMMDD'T'HHMMSS'Z'` → `Date`, or undefined when the text is not a valid date of that form. */
export function parseAmzDate(text: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  // Reject dates that Date would roll over (20150231T...), so the text and the date always agree.
  return Number.isNaN(date.getTime()) || toAmzDate(date) !== text ? undefined : date;
}

// ISO 8601 as Date reads it reliably: a date, or a date and time with a zone (without one, engines differ).
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/**
 * Validates the `signingDate` option (a Date, epoch milliseconds, or an ISO 8601 string such as
 * `2015-08-30T12:36:00Z`); defaults to now. A calendar date that does not exist (`2015-02-30`) is an error, not
 * rolled over.
 */
export function toSigningDate(value: unknown, name = 'signingDate'): Date {
  if (value === undefined) return new Date();
  if (!(value instanceof Date) && typeof value !== 'number' && typeof value !== 'string') {
    invalidType(name, 'a Date, epoch milliseconds or an ISO 8601 string', value);
  }
  const expected = 'a valid Date, epoch milliseconds or ISO 8601 string (2015-08-30T12:36:00Z) between 1970 and 9999';
  if (typeof value === 'string') {
    const m = ISO_8601.exec(value);
    const [year, month, day, hour = 0, minute = 0, second = 0] = (m ?? [])
      .slice(1)
      .map((part) => (part === undefined ? 0 : +part));
    // Date.UTC(year, month, 0) is the last day of `month`.
    if (
      !m ||
      month! < 1 ||
      month! > 12 ||
      day! < 1 ||
      day! > new Date(Date.UTC(year!, month!, 0)).getUTCDate() ||
      hour > 23 ||
      minute > 59 ||
      second > 59
    ) {
      outOfRange(name, expected, value);
    }
  }
  const date = new Date(value instanceof Date ? value.getTime() : value);
  const year = date.getUTCFullYear();
  // X-Amz-Date has a four-digit year; NaN (an invalid date) fails both comparisons.
  if (!(year >= 1970 && year <= 9999)) outOfRange(name, expected, value);
  return date;
}
