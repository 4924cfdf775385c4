// Dates: the X-Amz-Date form (ISO 8601 basic, UTC, whole seconds) and the signing date option.

import { invalidType, outOfRange } from './errors.js';

let lastSecond = NaN;
let lastAmzDate = '';

/** `Date` → `YYYYMMDD'T'HHMMSS'Z'`, the X-Amz-Date form. */
export function toAmzDate(date: Date): string {
  // Bulk signing uses one date, or the same second, many times over: remember the last one.
  const second = Math.floor(date.getTime() / 1000);
  if (second !== lastSecond) {
    lastAmzDate = date.toISOString().replace(/[-:]|\.\d{3}/g, '');
    lastSecond = second;
  }
  return lastAmzDate;
}

/** `YYYYMMDD'T'HHMMSS'Z'` → `Date`, or undefined when the text is not a valid date of that form. */
export function parseAmzDate(text: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  // Reject dates that Date would roll over (20150231T...), so the text and the date always agree.
  return Number.isNaN(date.getTime()) || toAmzDate(date) !== text ? undefined : date;
}

/** Validates the `signingDate` option (a Date, epoch milliseconds or an ISO 8601 string); defaults to now. */
export function toSigningDate(value: unknown, name = 'signingDate'): Date {
  if (value === undefined) return new Date();
  if (!(value instanceof Date) && typeof value !== 'number' && typeof value !== 'string') {
    invalidType(name, 'a Date, epoch milliseconds or an ISO 8601 string', value);
  }
  const date = new Date(value instanceof Date ? value.getTime() : value);
  const year = date.getUTCFullYear();
  // X-Amz-Date has a four-digit year; NaN (an invalid date) fails both comparisons.
  if (!(year >= 1970 && year <= 9999)) {
    outOfRange(name, 'a valid Date, epoch milliseconds or ISO 8601 string between 1970 and 9999', value);
  }
  return date;
}
