// What the commands share: argument parsing with node:util parseArgs, the target URL (s3:// or http(s)), the
// region and the headers and query given as flags.

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { envValue, type AwsConfig, type Sourced } from './config.js';
import { failure, quote, usageError } from './errors.js';
import {
  mrapObjectUrl,
  parseAccessPointArn,
  parseS3Uri,
  s3ObjectUrl,
  usePathStyle,
  type MrapLocation,
  type S3Location,
} from './s3.js';

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

/**
 * What a command signs: the URL as the signer reads it, and the scope: a region (SigV4), or a region set (SigV4a,
 * for `--sigv4a`, `--region-set` and Multi-Region Access Points).
 */
export type Target =
  | { readonly url: string; readonly service: string; readonly region: string }
  | { readonly url: string; readonly service: string; readonly regionSet: string[] };

/** The flags that shape the target. */
export interface TargetFlags {
  readonly region?: string | undefined;
  readonly service?: string | undefined;
  readonly 'endpoint-url'?: string | undefined;
  readonly 'path-style'?: boolean | undefined;
  readonly sigv4a?: boolean | undefined;
  readonly 'region-set'?: string | undefined;
}

/** The URL argument, read and checked before any file is: an `s3://` location or an http(s) URL. */
export type TargetArg =
  | { readonly s3: S3Location; readonly service: 's3' }
  | { readonly mrap: MrapLocation; readonly service: 's3' }
  | { readonly url: string; readonly service: string };

/** Reads the command's URL argument and the flags that go with it. Only usage errors: no file is read yet. */
export function readTarget(arg: string, flags: TargetFlags): TargetArg {
  const service = checkScopePart({ value: flags.service ?? 's3', source: '--service' }, 'service');
  if (arg.startsWith('s3://')) {
    if (service !== 's3')
      throw usageError(
        `an s3:// URI is signed for the s3 service, got --service ${service}: pass an https:// URL instead`,
      );
    if (!arg.startsWith('s3://arn:')) return { s3: parseS3Uri(arg), service };
    const mrap = parseAccessPointArn(arg);
    // A Multi-Region Access Point is global: SigV4a, for a region set (every region by default), on AWS's host.
    for (const flag of ['region', 'endpoint-url', 'path-style'] as const) {
      if (flags[flag] !== undefined) {
        throw usageError(
          `--${flag} does not apply to a Multi-Region Access Point, which is signed with SigV4a for a region set (--region-set, default *) on its global host`,
        );
      }
    }
    return { mrap, service };
  }
  if (/^s3:/i.test(arg)) throw usageError(`malformed S3 URI ${quote(arg)}: expected s3://BUCKET/KEY`);
  if (!/^https?:\/\//i.test(arg)) throw usageError(`expected s3://BUCKET/KEY or an http(s):// URL, got ${quote(arg)}`);
  for (const flag of ['endpoint-url', 'path-style'] as const) {
    if (flags[flag] !== undefined)
      throw usageError(
        `--${flag} applies to s3:// URIs; the http(s) URL ${quote(arg)} already names its host and path`,
      );
  }
  return { url: arg, service };
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

/**
 * Turns the URL argument into the URL to sign. `s3://BUCKET/KEY` becomes an S3 URL (virtual-hosted or
 * path-style, on AWS or the configured endpoint; region default us-east-1); a Multi-Region Access Point ARN its
 * global host, signed with SigV4a. An http(s) URL is taken as written and needs a region from a flag, the
 * environment or the profile (it is never guessed from the host). With `--sigv4a` or `--region-set`, the signature
 * is SigV4a, for the region set of the flag, `AWS_SIGV4A_SIGNING_REGION_SET` or the profile's
 * `sigv4a_signing_region_set`, else for the region (as the AWS SDKs choose it).
 */
export function resolveTarget(target: TargetArg, flags: TargetFlags, config: AwsConfig): Target {
  const regionSetSetting = config.regionSet(flags['region-set']);
  if ('mrap' in target) {
    return {
      url: mrapObjectUrl(target.mrap),
      service: target.service,
      regionSet: regionSetSetting ? checkRegionSet(regionSetSetting) : ['*'],
    };
  }
  const v4a = flags.sigv4a === true || flags['region-set'] !== undefined;
  const region = config.region(flags.region);
  let resolved: { url: string; service: string; region: string };
  if ('s3' in target) {
    const regionValue = region === undefined ? 'us-east-1' : checkScopePart(region, 'region');
    const endpoint = config.s3Endpoint(flags['endpoint-url']);
    const pathStyle = usePathStyle(target.s3.bucket, config.addressingStyle(), flags['path-style'] === true, endpoint);
    resolved = {
      url: s3ObjectUrl(target.s3, regionValue, endpoint, pathStyle),
      service: target.service,
      region: regionValue,
    };
  } else {
    if (region === undefined && !(v4a && regionSetSetting)) {
      throw usageError(
        `no region to sign ${quote(target.url)} for: pass --region${v4a ? ' or --region-set' : ''}, set AWS_REGION, or add region to ${config.profileLabel()} in the AWS config file`,
      );
    }
    resolved = { url: target.url, service: target.service, region: region ? checkScopePart(region, 'region') : '' };
  }
  if (!v4a) return resolved;
  return {
    url: resolved.url,
    service: resolved.service,
    regionSet: checkRegionSet(
      regionSetSetting ?? { value: resolved.region, source: region?.source ?? 'the default region' },
    ),
  };
}

/**
 * The signing time: now, or SIGV4_SIGNING_DATE, an ISO 8601 time or epoch milliseconds (for tests and
 * reproducible output; not in --help). The library checks it.
 */
export function signingDate(config: AwsConfig): string | number | undefined {
  const value = envValue(config.env, 'SIGV4_SIGNING_DATE');
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : value;
}
