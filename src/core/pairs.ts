// Headers and query parameters as callers pass them: plain objects, Headers/URLSearchParams, or pairs.

import { invalidType, quoteText } from './errors.js';

/**
 * Headers: a plain object (a value may be an array of values for a repeated header), a `Headers`, or pairs.
 * Names are case-insensitive.
 */
export type HeadersInput =
  | Readonly<Record<string, string | number | readonly string[] | undefined>>
  | Headers
  | Iterable<readonly [string, string]>;

/**
 * Extra query parameters, as raw (unencoded) text: a plain object (an array value repeats the key), a
 * `URLSearchParams`, or pairs. They are appended to the URL's own parameters.
 */
export type QueryInput =
  | Readonly<Record<string, string | number | readonly string[] | undefined>>
  | URLSearchParams
  | Iterable<readonly [string, string]>;

/** Calls `add` with each name and value of headers or query parameters, checking their types (numbers become text). */
export function forEachPair(
  name: string,
  input: HeadersInput | QueryInput | undefined,
  add: (key: string, value: string) => void,
): void {
  if (input === undefined || input === null) return;
  if (typeof input !== 'object')
    invalidType(name, 'an object, a Headers/URLSearchParams or [name, value] pairs', input);
  const one = (key: unknown, value: unknown): void => {
    if (typeof key !== 'string') invalidType(`${name} name`, 'a string', key);
    if (typeof value === 'number') value = String(value);
    if (typeof value !== 'string') invalidType(`${name}[${quoteText(key)}]`, 'a string', value);
    add(key, value as string);
  };
  if (Symbol.iterator in input) {
    for (const pair of input as Iterable<readonly [string, string]>) {
      if (!Array.isArray(pair) || pair.length !== 2) invalidType(name, '[name, value] pairs', pair);
      one(pair[0], pair[1]);
    }
  } else {
    for (const [key, value] of Object.entries(input)) {
      if (Array.isArray(value)) for (const v of value) one(key, v);
      else if (value !== undefined) one(key, value);
    }
  }
}
