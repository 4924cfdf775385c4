// s3://BUCKET/KEY and s3://ACCESS-POINT-ARN/KEY URIs, and the URL they name: the S3 host chosen as AWS CLI v2
// chooses it (botocore's S3 endpoint rules): virtual-hosted or path-style, regional or global, dual-stack, FIPS,
// Transfer Acceleration, access points, or an endpoint URL. Settings the rules refuse are refused with the reason.

import { uriEncode } from '../index.js';
import type { AddressingStyle, Sourced } from './config.js';
import { failure, quote, usageError } from './errors.js';

/** A bucket: `s3://BUCKET/KEY`. The key is the exact object key (empty: the bucket itself). */
export interface BucketLocation {
  readonly kind: 'bucket';
  readonly bucket: string;
  readonly key: string;
}

/** An S3 access point named by its ARN: `s3://arn:PARTITION:s3:REGION:ACCOUNT:accesspoint/NAME/KEY`. */
export interface AccessPointLocation {
  readonly kind: 'access-point';
  readonly arn: string;
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly name: string;
  readonly key: string;
}

/**
 * A Multi-Region Access Point: an access-point ARN without a region (`arn:aws:s3::ACCOUNT:accesspoint/ALIAS.mrap`).
 * Its requests are signed with SigV4a for the region set `*`: see {@link multiRegionAccessPoint}.
 */
export interface MultiRegionAccessPointLocation {
  readonly kind: 'multi-region-access-point';
  readonly arn: string;
  readonly partition: string;
  readonly account: string;
  readonly name: string;
  readonly key: string;
}

/** What an `s3://` URI names. */
export type S3Location = BucketLocation | AccessPointLocation | MultiRegionAccessPointLocation;

// Bucket names as S3 has allowed them (legacy us-east-1 names included): letters, digits, ".", "-" and "_".
const BUCKET = /^[A-Za-z0-9][A-Za-z0-9._-]{1,254}$/;
// botocore's isVirtualHostableS3Bucket(bucket, false): a lowercase DNS label of 3 to 63 characters, no dots.
const DNS_LABEL_BUCKET = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
// A host label (botocore's isValidHostLabel): 1 to 63 letters, digits and "-", not starting or ending with "-".
const HOST_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
// An IP address as an endpoint's host (its port aside): no bucket or access point can be put in front of it.
const IP_HOST = /^(?:\d+\.\d+\.\d+\.\d+|\[[0-9A-Fa-f:.]+\])(?::\d+)?$/;
// The ARN of an S3 resource, as the AWS CLI's s3 commands find it: arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE.
const ARN = /^arn:(aws[a-z-]*):([a-z0-9-]+):([^:/]*):([^:/]*):(.*)$/;

const expected = 'expected s3://BUCKET/KEY or s3://ACCESS-POINT-ARN/KEY';

/**
 * Reads `s3://BUCKET/KEY` or `s3://arn:aws:s3:REGION:ACCOUNT:accesspoint/NAME/KEY`. The key is everything after the
 * first `/` after the bucket (or the access point's name), taken literally.
 */
export function parseS3Uri(text: string): S3Location {
  if (!text.startsWith('s3://')) throw usageError(`malformed S3 URI ${quote(text)}: ${expected}`);
  const rest = text.slice(5);
  if (rest.startsWith('arn:')) return parseArn(text, rest);
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  if (bucket === '') throw usageError(`malformed S3 URI ${quote(text)}: ${expected}, with a bucket name after s3://`);
  if (!BUCKET.test(bucket)) {
    throw usageError(
      `malformed S3 URI ${quote(text)}: the bucket ${quote(bucket)} expected 3 to 255 letters, digits, ".", "-" or "_", starting with a letter or digit`,
    );
  }
  return { kind: 'bucket', bucket, key: slash < 0 ? '' : rest.slice(slash + 1) };
}

function parseArn(text: string, rest: string): S3Location {
  // The resource is `accesspoint/NAME` or `accesspoint:NAME`; the key starts at the first "/" after NAME.
  const m = ARN.exec(rest);
  const bad = (what: string) =>
    usageError(
      `malformed S3 URI ${quote(text)}: ${what}; expected s3://arn:PARTITION:s3:REGION:ACCOUNT:accesspoint/NAME/KEY`,
    );
  if (!m) throw bad('not an ARN of the form arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE');
  const [, partition, service, region, account, resource] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (service === 's3-object-lambda') {
    // The AWS CLI's s3 commands refuse them too ("s3 commands do not support S3 Object Lambda resources").
    throw usageError(
      `${quote(text)} names an S3 Object Lambda access point, which the AWS CLI's s3 commands and sigv4 do not address; sign its https:// URL with --service s3-object-lambda --region REGION`,
    );
  }
  if (service === 's3-outposts') {
    throw usageError(
      `${quote(text)} names an S3 on Outposts resource, which sigv4 does not address; sign its https:// URL (https://NAME-ACCOUNT.OUTPOST-ID.s3-outposts.REGION.amazonaws.com/KEY) with --service s3-outposts --region REGION`,
    );
  }
  if (service !== 's3') throw bad(`the service ${quote(service)} is not s3`);
  const type = /^accesspoint[:/]/.exec(resource);
  if (!type) throw bad(`the resource ${quote(resource.split('/')[0]!)} is not accesspoint/NAME`);
  const afterType = resource.slice(type[0].length);
  const slash = afterType.indexOf('/');
  const name = slash < 0 ? afterType : afterType.slice(0, slash);
  const key = slash < 0 ? '' : afterType.slice(slash + 1);
  if (!/^\d{12}$/.test(account)) throw bad(`the account ${quote(account)} is not 12 digits`);
  if (name.includes(':')) throw bad('an access point ARN has one resource name after accesspoint/');
  const arn = rest.slice(0, rest.length - afterType.length + name.length);
  if (region === '') {
    // A Multi-Region Access Point's alias (mfzwi23gnjvgw.mrap) has a dot: a host label per part.
    if (!/^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*$/.test(name))
      throw bad(`the access point name ${quote(name)} is not valid`);
    return { kind: 'multi-region-access-point', arn, partition, account, name, key };
  }
  // S3 names access points in lowercase (the host is case-blind, but the ARN is not).
  if (!HOST_LABEL.test(name) || name !== name.toLowerCase()) {
    throw bad(
      `the access point name ${quote(name)} expected 1 to 63 lowercase letters, digits and "-" (not first or last)`,
    );
  }
  if (!HOST_LABEL.test(region) || region !== region.toLowerCase())
    throw bad(`the region ${quote(region)} is not valid`);
  return { kind: 'access-point', arn, partition, region, account, name, key };
}

/**
 * The key as a URL path, each `/`-separated segment percent-encoded (RFC 3986 unreserved characters kept), so
 * the key survives exactly: `%`, `?`, `#`, `+`, spaces and unicode included.
 */
export const encodeKey = (key: string): string => key.split('/').map(uriEncode).join('/');

// ---- Partitions: the DNS suffix of each group of regions, from botocore's partitions.json ----

interface Partition {
  readonly name: string;
  readonly dnsSuffix: string;
  /** S3 has FIPS endpoints there (botocore refuses FIPS in aws-cn: "Partition does not support FIPS"). */
  readonly fips: boolean;
  /** S3 has dual-stack endpoints there (botocore 1.43 has none for aws-iso-e and aws-iso-f). */
  readonly dualstack: boolean;
  readonly regions: RegExp;
}

// botocore 1.43's partitions (AWS CLI 2.9's lack aws-eusc, aws-iso-e and aws-iso-f, and il/mx in aws's pattern: it
// put those regions under amazonaws.com, a host that does not serve them). A region no pattern matches is in aws.
const PARTITIONS: readonly Partition[] = [
  {
    name: 'aws',
    dnsSuffix: 'amazonaws.com',
    fips: true,
    dualstack: true,
    regions: /^(?:us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$/,
  },
  { name: 'aws-cn', dnsSuffix: 'amazonaws.com.cn', fips: false, dualstack: true, regions: /^cn-\w+-\d+$/ },
  { name: 'aws-us-gov', dnsSuffix: 'amazonaws.com', fips: true, dualstack: true, regions: /^us-gov-\w+-\d+$/ },
  { name: 'aws-iso', dnsSuffix: 'c2s.ic.gov', fips: true, dualstack: true, regions: /^us-iso-\w+-\d+$/ },
  { name: 'aws-iso-b', dnsSuffix: 'sc2s.sgov.gov', fips: true, dualstack: true, regions: /^us-isob-\w+-\d+$/ },
  { name: 'aws-iso-e', dnsSuffix: 'cloud.adc-e.uk', fips: true, dualstack: false, regions: /^eu-isoe-\w+-\d+$/ },
  { name: 'aws-iso-f', dnsSuffix: 'csp.hci.ic.gov', fips: true, dualstack: false, regions: /^us-isof-\w+-\d+$/ },
  { name: 'aws-eusc', dnsSuffix: 'amazonaws.eu', fips: true, dualstack: true, regions: /^eusc-de-\w+-\d+$/ },
];

/** The partition of a region (botocore's aws.partition): the first whose pattern matches, else aws. */
export const partitionOf = (region: string): Partition =>
  PARTITIONS.find((p) => p.regions.test(region)) ?? PARTITIONS[0]!;

// ---- The settings that shape the URL ----

/** A boolean setting that is on, and where it was turned on (for messages). */
export type Flag = Sourced<true> | undefined;

/** Everything that shapes an S3 URL, each setting with its source. */
export interface S3Settings {
  /** The configured region; undefined when none is: the global endpoint, signed for us-east-1. */
  readonly region: Sourced | undefined;
  /** An endpoint URL (`--endpoint-url`, `AWS_ENDPOINT_URL_S3`, …): replaces the AWS host. */
  readonly endpoint: Sourced | undefined;
  /** The profile's `s3 = addressing_style`. */
  readonly addressingStyle: Sourced<AddressingStyle>;
  /** `--path-style`. */
  readonly pathStyleFlag: boolean;
  readonly dualstack: Flag;
  readonly fips: Flag;
  readonly accelerate: Flag;
  /** `us_east_1_regional_endpoint = legacy`: the global endpoint for us-east-1 (botocore's default, not AWS CLI v2's). */
  readonly usEast1Legacy: Flag;
  /** `use_arn_region = false`: an access point's region must be the configured one. */
  readonly useArnRegion: Sourced<boolean> | undefined;
  /** `s3_disable_multiregion_access_points = true`: Multi-Region Access Point ARNs are refused. */
  readonly disableMultiRegionAccessPoints: Flag;
}

/** The URL to sign for an `s3://` URI, and the scope it is signed for. */
export interface S3Target {
  readonly url: string;
  readonly region: string;
  readonly service: string;
  /** SigV4a's region set, for a Multi-Region Access Point: its requests are signed with SigV4a. */
  readonly regionSet?: readonly string[];
}

// A region in an AWS host name: AWS CLI v2's check (botocore: "Provided region_name … doesn't match a supported
// format"), lowercase as AWS names its regions (the host is case-blind, the credential scope is not).
const REGION = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** A refusal caused by a setting: a usage error when a flag set it, else a failure of the configuration. */
function refuse(setting: { readonly source: string }, message: string): never {
  throw setting.source.startsWith('--') ? usageError(message) : failure(message);
}

/** `(from X)` for a setting, or nothing. */
const from = (flag: Flag | Sourced<unknown>): string => (flag ? ` (${flag.source})` : '');

/** Checks an endpoint URL: `http(s)://host[:port][/path]`, without query, fragment or user info. */
export function checkEndpoint(endpoint: Sourced): { host: string; scheme: string; path: string } {
  const m = /^(https?):\/\/([^/?#@\s]+)(\/[^?#\s]*)?$/i.exec(endpoint.value);
  if (!m) {
    const fix = endpoint.source === '--endpoint-url' ? 'pass' : `fix ${endpoint.source} to`;
    refuse(
      endpoint,
      `the endpoint URL ${quote(endpoint.value)} from ${endpoint.source} expected http(s)://HOST[:PORT][/PATH]; ${fix} a URL such as http://localhost:9000`,
    );
  }
  return { scheme: m[1]!.toLowerCase(), host: m[2]!, path: (m[3] ?? '').replace(/\/+$/, '') };
}

// botocore's is_s3_accelerate_url: an endpoint that is itself the accelerate host keeps virtual-hosted addressing.
const ACCELERATE_HOST = /^s3-accelerate(?:\.dualstack)?\.amazonaws\.com$/i;

/**
 * The URL and scope of an `s3://` location under these settings: the S3 host as botocore's endpoint rules (AWS CLI
 * v2) choose it, and the key encoded once as S3 reads it. Refuses (with the reason) what the rules refuse, and the
 * combinations sigv4 cannot honour.
 */
export function resolveS3(location: S3Location, settings: S3Settings): S3Target {
  switch (location.kind) {
    case 'bucket':
      return bucketTarget(location, settings);
    case 'access-point':
      return accessPointTarget(location, settings);
    case 'multi-region-access-point':
      return multiRegionAccessPoint(location, settings);
  }
}

/** A region that names an AWS host: a host label (AWS CLI v2 checks the same), never a `*-global` pseudo-region. */
function checkRegion(region: Sourced): void {
  if (/-global$/.test(region.value)) {
    refuse(
      region,
      `${quote(region.value)} from ${region.source} is the SDKs' name for a global endpoint, not a region: leave the region unset for https://BUCKET.s3.amazonaws.com (signed for us-east-1), or use us-east-1`,
    );
  }
  if (!REGION.test(region.value)) {
    refuse(
      region,
      `the region ${quote(region.value)} from ${region.source} expected lowercase letters, digits and "-" (an AWS region such as eu-west-1)`,
    );
  }
}

// The object's URL: ORIGIN/KEY, the origin naming the bucket or access point (a bucket's own URL ends in "/").
const joinKey = (origin: string, key: string): string => `${origin}/${encodeKey(key)}`;
// Path-style: ORIGIN/BUCKET/KEY, or ORIGIN/BUCKET for the bucket itself (as botocore builds a bucket request).
const pathStyle = (origin: string, bucket: string, key: string): string =>
  key === '' ? `${origin}/${bucket}` : joinKey(`${origin}/${bucket}`, key);

function bucketTarget(location: BucketLocation, s: S3Settings): S3Target {
  const { bucket, key } = location;
  const region = s.region?.value ?? 'us-east-1';
  const pathForced = s.pathStyleFlag || s.addressingStyle.value === 'path';
  const hostable = DNS_LABEL_BUCKET.test(bucket);

  if (s.endpoint !== undefined) {
    // An endpoint URL replaces the AWS host: dual-stack and FIPS choose among AWS hosts, so they do not apply (AWS
    // CLI v2 ignores them too: "--endpoint-url overrides this setting"); Transfer Acceleration is refused, as there.
    if (s.accelerate) {
      refuse(
        s.accelerate,
        `S3 Transfer Acceleration${from(s.accelerate)} cannot be combined with the endpoint URL from ${s.endpoint.source} (the AWS CLI refuses it too: "Host override cannot be combined with Dualstack, FIPS, or S3 Accelerate"); unset one of them`,
      );
    }
    const { scheme, host, path } = checkEndpoint(s.endpoint);
    // With an endpoint URL, "auto" means path-style (its host may have no wildcard DNS), except on the accelerate
    // host itself; an IP address is always path-style.
    const virtual = ACCELERATE_HOST.test(host)
      ? !pathForced
      : s.addressingStyle.value === 'virtual' && !s.pathStyleFlag;
    const url =
      virtual && hostable && !IP_HOST.test(host)
        ? joinKey(`${scheme}://${bucket}.${host}${path}`, key)
        : pathStyle(`${scheme}://${host}${path}`, bucket, key);
    return { url, region, service: 's3' };
  }

  if (s.region !== undefined) checkRegion(s.region);
  const partition = partitionOf(region);
  const variants = checkVariants(partition, region, s);
  if (s.accelerate) {
    if (partition.name === 'aws-cn') {
      refuse(
        s.accelerate,
        `S3 Transfer Acceleration${from(s.accelerate)} is not available in ${region} (the AWS CLI refuses it too: "S3 Accelerate cannot be used in this region")`,
      );
    }
    if (s.pathStyleFlag) {
      throw usageError(
        `--path-style cannot be used with S3 Transfer Acceleration${from(s.accelerate)}, which needs https://BUCKET.s3-accelerate.amazonaws.com`,
      );
    }
    if (!hostable) {
      refuse(
        s.accelerate,
        `the bucket ${quote(bucket)} cannot be a host name, which S3 Transfer Acceleration${from(s.accelerate)} needs (the AWS CLI refuses it too: "Path-style addressing cannot be used with S3 Accelerate")`,
      );
    }
    // The profile's addressing_style = path does not apply: AWS CLI v2 uses the accelerate host regardless.
    const host = `s3-accelerate${s.dualstack ? '.dualstack' : ''}.${partition.dnsSuffix}`;
    return { url: joinKey(`https://${bucket}.${host}`, key), region, service: 's3' };
  }

  // The global endpoint (no region configured, or us_east_1_regional_endpoint = legacy for us-east-1) has no FIPS or
  // dual-stack form: those use us-east-1's regional host.
  const global = (s.region === undefined || (region === 'us-east-1' && s.usEast1Legacy)) && variants === '';
  const host = global ? `s3.${partition.dnsSuffix}` : `s3${variants}.${region}.${partition.dnsSuffix}`;
  // "auto" and "virtual" both mean virtual-hosted where the bucket can be a host label over HTTPS, path-style
  // otherwise (AWS CLI v2 falls back to path-style for "virtual" too).
  const url =
    !pathForced && hostable ? joinKey(`https://${bucket}.${host}`, key) : pathStyle(`https://${host}`, bucket, key);
  return { url, region, service: 's3' };
}

/** The host infix of FIPS and dual-stack (`-fips`, `.dualstack`, both), refused where the partition has none. */
function checkVariants(partition: Partition, region: string, s: S3Settings): string {
  if (s.fips && s.accelerate) {
    refuse(
      s.fips,
      `FIPS endpoints${from(s.fips)} cannot be combined with S3 Transfer Acceleration${from(s.accelerate)} (the AWS CLI refuses it too: "Accelerate cannot be used with FIPS"); unset one of them`,
    );
  }
  if (s.fips && !partition.fips) {
    refuse(
      s.fips,
      `S3 has no FIPS endpoints in ${region} (partition ${partition.name}); unset the FIPS setting${from(s.fips)} (botocore refuses it too: "Partition does not support FIPS")`,
    );
  }
  if (s.dualstack && !partition.dualstack) {
    refuse(
      s.dualstack,
      `S3 has no dual-stack endpoints in ${region} (partition ${partition.name}); unset the dual-stack setting${from(s.dualstack)}`,
    );
  }
  return `${s.fips ? '-fips' : ''}${s.dualstack ? '.dualstack' : ''}`;
}

function accessPointTarget(location: AccessPointLocation, s: S3Settings): S3Target {
  const { arn, region, account, name, key } = location;
  if (s.accelerate) {
    refuse(
      s.accelerate,
      `access points do not support S3 Transfer Acceleration${from(s.accelerate)} (the AWS CLI refuses it too); unset it to use ${quote(arn)}`,
    );
  }
  if (s.pathStyleFlag) {
    throw usageError(
      `--path-style does not apply to an access point: its URL is https://${name}-${account}.s3-accesspoint.${region}.…/KEY`,
    );
  }
  // The ARN's partition is its region's; the configured region only has to agree with the ARN's when
  // use_arn_region = false, and its partition always must.
  const partition = partitionOf(region);
  if (location.partition !== partition.name) {
    throw usageError(
      `the access point ${quote(arn)} says partition ${location.partition}, but its region ${region} is in ${partition.name}; check the ARN`,
    );
  }
  if (s.region !== undefined) checkRegion(s.region);
  const clientRegion = s.region?.value;
  if (s.useArnRegion?.value === false && clientRegion !== region) {
    refuse(
      s.useArnRegion,
      `the access point ${quote(arn)} is in ${region}, but the region is ${clientRegion === undefined ? 'not set' : `${clientRegion} (${s.region!.source})`} and use_arn_region = false (${s.useArnRegion.source}); set the region to ${region} or use_arn_region to true`,
    );
  }
  const clientPartition = partitionOf(clientRegion ?? 'us-east-1');
  if (clientPartition.name !== partition.name) {
    const message = `the access point ${quote(arn)} is in the ${partition.name} partition, but the region is ${clientRegion === undefined ? 'not set (aws)' : `${clientRegion} (${s.region!.source}), in ${clientPartition.name}`}; set a region of the access point's partition (the AWS CLI refuses it too)`;
    if (s.region === undefined) throw usageError(message);
    refuse(s.region, message);
  }
  if (s.endpoint !== undefined) {
    const { scheme, host, path } = checkEndpoint(s.endpoint);
    if (IP_HOST.test(host)) {
      refuse(
        s.endpoint,
        `an access point's URL puts ${name}-${account} in front of the endpoint's host, which the IP address ${quote(host)} from ${s.endpoint.source} cannot take; use an endpoint with a host name`,
      );
    }
    return { url: joinKey(`${scheme}://${name}-${account}.${host}${path}`, key), region, service: 's3' };
  }
  const variants = checkVariants(partition, region, s);
  const host = `s3-accesspoint${variants}.${region}.${partition.dnsSuffix}`;
  return { url: joinKey(`https://${name}-${account}.${host}`, key), region, service: 's3' };
}

/**
 * A Multi-Region Access Point: `https://ALIAS.accesspoint.s3-global.amazonaws.com/KEY`, signed with SigV4a for a
 * region set (`*` unless `--region-set` or the configuration says which), as the AWS CLI maps it. It is global, on
 * AWS's own host: an endpoint URL, dual-stack, FIPS and acceleration are refused, as botocore refuses them, and so
 * is every such ARN when `s3_disable_multiregion_access_points` is true.
 */
export function multiRegionAccessPoint(location: MultiRegionAccessPointLocation, s: S3Settings): S3Target {
  if (location.partition !== 'aws') {
    throw usageError(`${quote(location.arn)}: Multi-Region Access Points exist in the aws partition only`);
  }
  if (s.disableMultiRegionAccessPoints !== undefined) {
    refuse(
      s.disableMultiRegionAccessPoints,
      `${quote(location.arn)} is a Multi-Region Access Point, and ${s.disableMultiRegionAccessPoints.source} disables them (as botocore does)`,
    );
  }
  for (const setting of [s.endpoint, s.dualstack, s.fips, s.accelerate]) {
    if (setting !== undefined) {
      refuse(
        setting,
        `${setting.source} does not apply to a Multi-Region Access Point, which is signed with SigV4a on its global host`,
      );
    }
  }
  return {
    url: joinKey(`https://${location.name}.accesspoint.s3-global.amazonaws.com`, location.key),
    region: '',
    service: 's3',
    regionSet: ['*'],
  };
}
