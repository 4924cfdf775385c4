// What the commands share: argument parsing with node:util parseArgs, the target URL (s3:// or http(s)), the
// region, the signing date and the headers and query given as flags.

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { draftPresign, INVALID_OPTION } from '../index.js';
import type { AwsConfig, Sourced } from './config.js';
import { failure, quote, usageError } from './errors.js';
import { parseS3Uri, resolveS3, type S3Location, type S3Settings } from './s3.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** The flags of presign and sign. */
export const TARGET_OPTIONS = {
  region: { type: 'string' },
  sigv4a: { type: 'boolean' },
  'region-set': { type: 'string' },
  profile: { type: 'string' },
  service: { type: 'string' },
  'endpoint-url': { type: 'string' },
  'path-style': { type: 'boolean' },
  'bucket-url': { type: 'boolean' },
  date: { type: 'string' },
  header: { type: 'string', multiple: true },
  query: { type: 'string', multiple: true },
  'content-type': { type: 'string' },
  method: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

/**
 * parseArgs in strict mode, its errors turned into one-line usage errors. Returns the flags and the positional
 * arguments.
 */
export function parse<T extends Options>(command: string, args: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: true });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) {
      const message = (error as Error).message;
      const option = /'(-[^']*)'/.exec(message)?.[1];
      // Node's own text for an unknown option is long and quotes oddly: say it plainly.
      const text =
        code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option
          ? `unknown option ${option}`
          : message.replace(/\s*\n\s*/g, ' ');
      throw usageError(`${text} (see sigv4 ${command} --help)`);
    }
    throw error;
  }
}

/** The one positional argument of a command, or a usage error. */
export function onePositional(command: string, positionals: readonly string[], what: string): string {
  if (positionals.length === 0) throw usageError(`expected ${what} (see sigv4 ${command} --help)`);
  if (positionals.length > 1) {
    throw usageError(
      `expected one argument, ${what}, got ${positionals.length} (quote a key or URL that holds spaces)`,
    );
  }
  return positionals[0]!;
}

/** `--header 'name: value'` flags (and `--content-type`) as pairs, names as written. */
export function readHeaders(flags: readonly string[] | undefined, contentType: string | undefined): [string, string][] {
  const headers: [string, string][] = [];
  for (const flag of flags ?? []) {
    const colon = flag.indexOf(':');
    if (colon <= 0) throw usageError(`--header expected 'NAME: VALUE', got ${quote(flag)}`);
    headers.push([flag.slice(0, colon).trim(), flag.slice(colon + 1).trim()]);
  }
  if (contentType !== undefined) {
    if (headers.some(([name]) => name.toLowerCase() === 'content-type')) {
      throw usageError('a content-type is given both by --content-type and by --header: keep one');
    }
    headers.push(['content-type', contentType]);
  }
  return headers;
}

/** `--query k=v` flags as raw pairs (the signer encodes them). */
export function readQuery(flags: readonly string[] | undefined): [string, string][] {
  return (flags ?? []).map((flag) => {
    const eq = flag.indexOf('=');
    const pair: [string, string] = eq < 0 ? [flag, ''] : [flag.slice(0, eq), flag.slice(eq + 1)];
    if (pair[0] === '') throw usageError(`--query expected KEY=VALUE with a non-empty key, got ${quote(flag)}`);
    return pair;
  });
}

const METHOD = /^(?:GET|HEAD|PUT|POST|DELETE|PATCH|OPTIONS)$/i;

/** `--method`: a standard HTTP method, upper-cased. */
export function readMethod(value: string | undefined, fallback: string): string {
  if (value === undefined) return fallback;
  if (!METHOD.test(value))
    throw usageError(`--method expected GET, HEAD, PUT, POST, DELETE, PATCH or OPTIONS, got ${quote(value)}`);
  return value.toUpperCase();
}

// Visible ASCII without "/" or spaces: what a credential scope part may hold.
const SCOPE_PART = /^[\x21-\x2e\x30-\x7e]+$/;

function checkScopePart(setting: Sourced, name: string): string {
  if (!SCOPE_PART.test(setting.value)) {
    const message = `the ${name} ${quote(setting.value)} from ${setting.source} expected visible ASCII without "/" or spaces`;
    throw setting.source.startsWith('--') ? usageError(message) : failure(message);
  }
  return setting.value;
}

/** What a command signs: the URL as the signer reads it, and the scope. */
export type Target =
  | { readonly url: string; readonly service: string; readonly region: string }
  | { readonly url: string; readonly service: string; readonly regionSet: readonly string[] };

/** The flags that shape the target. */
export interface TargetFlags {
  readonly region?: string | undefined;
  readonly service?: string | undefined;
  readonly 'endpoint-url'?: string | undefined;
  readonly 'path-style'?: boolean | undefined;
  readonly 'bucket-url'?: boolean | undefined;
  readonly sigv4a?: boolean | undefined;
  readonly 'region-set'?: string | undefined;
}

/** The URL argument, read and checked before any file is: an `s3://` location or an http(s) URL. */
export type TargetArg =
  { readonly s3: S3Location; readonly service: 's3' } | { readonly url: string; readonly service: string };

/** Reads the command's URL argument and the flags that go with it. Only usage errors: no file is read yet. */
export function readTarget(arg: string, flags: TargetFlags): TargetArg {
  const service = checkScopePart({ value: flags.service ?? 's3', source: '--service' }, 'service');
  if (arg.startsWith('s3://')) {
    if (service !== 's3')
      throw usageError(
        `an s3:// URI is signed for the s3 service, got --service ${service}: pass an https:// URL instead`,
      );
    const s3 = parseS3Uri(arg);
    // A URL for the bucket itself lets its holder list the bucket (GET) or change it (PUT, DELETE): a missing key
    // is far more often a slip than a wish, so it takes a flag. The AWS CLI refuses it ("Invalid length for
    // parameter Key, value: 0").
    if (s3.key === '' && !flags['bucket-url']) {
      throw usageError(
        `${quote(arg)} names no object key: a URL for the bucket itself lets its holder list it (GET); add the key (s3://BUCKET/KEY), or pass --bucket-url if the bucket is what you mean to sign`,
      );
    }
    if (s3.key !== '' && flags['bucket-url'])
      throw usageError(
        `--bucket-url signs the bucket itself, but ${quote(arg)} names the key ${quote(s3.key)}: drop one`,
      );
    return { s3, service };
  }
  if (/^s3:/i.test(arg)) throw usageError(`malformed S3 URI ${quote(arg)}: expected s3://BUCKET/KEY`);
  if (!/^https?:\/\//i.test(arg)) throw usageError(`expected s3://BUCKET/KEY or an http(s):// URL, got ${quote(arg)}`);
  for (const flag of ['endpoint-url', 'path-style', 'bucket-url'] as const) {
    if (flags[flag] !== undefined)
      throw usageError(
        `--${flag} applies to s3:// URIs; the http(s) URL ${quote(arg)} already names its host and path`,
      );
  }
  return { url: arg, service };
}

/**
 * Turns the URL argument into the URL to sign. `s3://BUCKET/KEY` (or an access point's ARN) becomes the S3 URL AWS
 * CLI v2 would build under the same settings (src/cli/s3.ts); an http(s) URL is taken as written and needs a region
 * from a flag, the environment or the profile (it is never guessed from the host; the S3 endpoint settings do not
 * apply to it).
 */
export function resolveTarget(target: TargetArg, flags: TargetFlags, config: AwsConfig): Target {
  const region = config.region(flags.region);
  if (region !== undefined) checkScopePart(region, 'region');
  const regionSet = config.regionSet(flags['region-set']);
  if ('s3' in target && target.s3.kind === 'multi-region-access-point') {
    // Global: SigV4a for a region set (every region by default), on AWS's host.
    for (const flag of ['region', 'path-style'] as const) {
      if (flags[flag] !== undefined) {
        throw usageError(
          `--${flag} does not apply to a Multi-Region Access Point, which is signed with SigV4a for a region set (--region-set, default *) on its global host`,
        );
      }
    }
    const mrap = resolveS3(target.s3, s3Settings(flags, config, undefined));
    return { url: mrap.url, service: mrap.service, regionSet: regionSet ? checkRegionSet(regionSet) : mrap.regionSet! };
  }
  const v4a = flags.sigv4a === true || flags['region-set'] !== undefined;
  let resolved: { readonly url: string; readonly service: string; readonly region: string };
  if ('s3' in target) {
    const { url, service, region: signedFor } = resolveS3(target.s3, s3Settings(flags, config, region));
    resolved = { url, service, region: signedFor };
  } else if (region !== undefined) {
    resolved = { url: target.url, service: target.service, region: region.value };
  } else if (v4a && regionSet !== undefined) {
    resolved = { url: target.url, service: target.service, region: '' };
  } else {
    throw usageError(
      `no region to sign ${quote(target.url)} for: pass --region${v4a ? ' or --region-set' : ''}, set AWS_REGION, or add region to ${config.profileLabel()} in the AWS config file`,
    );
  }
  if (!v4a) return resolved;
  // SigV4a: the region set of the flag, AWS_SIGV4A_SIGNING_REGION_SET or the profile, else the region signed for.
  const set = regionSet ?? { value: resolved.region, source: region?.source ?? 'the default region' };
  return { url: resolved.url, service: resolved.service, regionSet: checkRegionSet(set) };
}

// A region name (lowercase letters, digits and "-", from a letter) or "*": the library's rule for a region set.
const REGION_SET_ENTRY = /^(?:[a-z][a-z0-9-]*|\*)$/;

/** A region set setting (`us-east-1,us-west-2`, `*`) as a list, or an error naming where it came from. */
function checkRegionSet(setting: Sourced): string[] {
  const list = setting.value.split(',');
  if (!list.every((region) => REGION_SET_ENTRY.test(region))) {
    const message = `the region set ${quote(setting.value)} from ${setting.source} expected comma-separated region names (such as us-east-1,us-west-2) or *`;
    throw setting.source.startsWith('--') ? usageError(message) : failure(message);
  }
  return list;
}

/** The settings that shape an S3 URL, from the flags and the configuration. */
export function s3Settings(flags: TargetFlags, config: AwsConfig, region: Sourced | undefined): S3Settings {
  return {
    region,
    endpoint: config.s3Endpoint(flags['endpoint-url']),
    addressingStyle: config.addressingStyle(),
    pathStyleFlag: flags['path-style'] === true,
    dualstack: config.dualstack(),
    fips: config.fips(),
    accelerate: config.accelerate(),
    usEast1Legacy: config.usEast1Legacy(),
    useArnRegion: config.useArnRegion(),
    disableMultiRegionAccessPoints: config.disableMultiRegionAccessPoints(),
  };
}

/**
 * `--date`: sign as of that time instead of now, for reproducible output. It takes what the library's
 * `signingDate` takes (an ISO 8601 time, or epoch milliseconds as digits), checked here by the library itself,
 * before any file is read.
 */
export function readDate(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const signingDate = /^\d+$/.test(value) ? Number(value) : value;
  try {
    draftPresign({
      url: 'https://example.com/',
      region: 'us-east-1',
      service: 's3',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'unused' },
      signingDate,
    });
    // Accepted: Date reads it as the library does.
    return new Date(signingDate);
  } catch (error) {
    if ((error as { code?: unknown }).code !== INVALID_OPTION) throw error;
    throw usageError(
      `--date expected an ISO 8601 time such as 2024-05-01T12:00:00Z (or epoch milliseconds) from 1970 to 9999, got ${quote(value)}`,
    );
  }
}
