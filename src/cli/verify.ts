// sigv4 verify: checks a presigned URL with the credentials of this machine, as the server would.

import { isSigV4Error, verifyPresignedUrl, type SigV4ErrorCode } from '../index.js';
import { AwsConfig, type FoundCredentials } from './config.js';
import { failure, quote, usageError } from './errors.js';
import { VERIFY_HELP } from './help.js';
import { onePositional, parse, readHeaders, readMethod } from './options.js';
import { processOptions, type Io } from './io.js';

/**
 * The region and service the URL claims, when they can be read: from X-Amz-Credential, and for SigV4a (whose scope
 * has no region) from X-Amz-Region-Set, its first region name (any region when the set is `*`).
 */
function claimedScope(url: string): { region?: string; service?: string } {
  const query = /\?([^#]*)/.exec(url)?.[1] ?? '';
  const param = (name: string): string[] | undefined => {
    const piece = query.split('&').find((p) => p.startsWith(`${name}=`));
    try {
      return piece === undefined ? undefined : decodeURIComponent(piece.slice(name.length + 1)).split(/[/,]/);
    } catch {
      return undefined; // Malformed: the verifier says so.
    }
  };
  const parts = param('X-Amz-Credential');
  const regionSet = param('X-Amz-Region-Set');
  if (regionSet !== undefined && parts !== undefined && parts.length >= 4) {
    return { region: regionSet.find((region) => region !== '*') ?? 'us-east-1', service: parts[parts.length - 2]! };
  }
  if (parts !== undefined && parts.length >= 5)
    return { region: parts[parts.length - 3]!, service: parts[parts.length - 2]! };
  return {};
}

/** `1h 2m 3s`. */
function duration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const parts = [
    [Math.floor(s / 86400), 'd'],
    [Math.floor(s / 3600) % 24, 'h'],
    [Math.floor(s / 60) % 60, 'm'],
    [s % 60, 's'],
  ] as const;
  const shown = parts.filter(([n]) => n > 0).map(([n, unit]) => `${n}${unit}`);
  return shown.length > 0 ? shown.join(' ') : '0s';
}

// What to do about a failure, where the command line can help.
const HINTS: Partial<Record<SigV4ErrorCode, string>> = {
  ERR_SIGV4_METHOD: 'pass that method with --method',
  ERR_SIGV4_SIGNED_HEADERS: "pass the headers the request will carry with --header 'NAME: VALUE'",
};

/** `sigv4 verify ARGS`: checks a presigned URL with the local credentials. Returns the exit code (1: not valid). */
export async function verifyCommand(args: readonly string[], io: Io): Promise<number> {
  const { values: flags, positionals } = parse('verify', args, {
    method: { type: 'string' },
    now: { type: 'string' },
    header: { type: 'string', multiple: true },
    region: { type: 'string' },
    service: { type: 'string' },
    profile: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flags.help) {
    io.stdout(VERIFY_HELP);
    return 0;
  }
  const url = onePositional('verify', positionals, 'a presigned http(s) URL');
  if (!/^https?:\/\//i.test(url)) throw usageError(`expected a presigned http(s) URL, got ${quote(url)}`);
  const method = readMethod(flags.method, 'GET');
  let now = Date.now();
  if (flags.now !== undefined) {
    // An ISO 8601 date with a time zone; a bare date-time would be read in the local zone.
    const iso = /^\d{4}-\d\d-\d\d(?:T\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:\d\d))?$/.test(flags.now)
      ? Date.parse(flags.now)
      : NaN;
    if (Number.isNaN(iso))
      throw usageError(`--now expected an ISO 8601 time such as 2024-05-01T12:00:00Z, got ${quote(flags.now)}`);
    now = iso;
  }
  const headers = readHeaders(flags.header, undefined);
  const config = new AwsConfig(io.env, flags.profile, processOptions(io));
  const keys = config.allCredentials(new Date(now));
  let signer: FoundCredentials | undefined;
  const claimed = claimedScope(url);

  let verified;
  try {
    verified = await verifyPresignedUrl({
      url,
      method,
      headers,
      now,
      region: flags.region ?? claimed.region ?? 'us-east-1',
      service: flags.service ?? claimed.service ?? 's3',
      getCredentials: (accessKeyId) => (signer = keys.find((key) => key.accessKeyId === accessKeyId)),
      // A developer's tool: worth six more signatures to say "signed for GET" rather than "does not match".
      diagnoseMethod: true,
    });
  } catch (error) {
    if (!isSigV4Error(error)) throw error;
    let message = error.message;
    if (error.code === 'ERR_SIGV4_UNKNOWN_ACCESS_KEY') {
      const sources = [...new Set(keys.map((key) => key.source))];
      message +=
        sources.length === 0
          ? ': this machine has no credentials (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or add keys to ~/.aws/credentials)'
          : `: none of the local credentials has it (looked in ${sources.join(', ')})`;
    } else if (HINTS[error.code]) {
      message += `; ${HINTS[error.code]}`;
    }
    if (flags.json) io.stdout(`${JSON.stringify({ valid: false, code: error.code, message }, null, 2)}\n`);
    throw failure(`not valid: ${message} (${error.code})`);
  }

  const source = signer?.source ?? 'unknown';
  if (flags.json) {
    const { accessKeyId, credentialScope, region, service, signingDate, expiresAt, expiresIn, signedHeaders, path } =
      verified;
    const result = {
      valid: true,
      accessKeyId,
      source,
      algorithm: verified.algorithm,
      credentialScope,
      region,
      ...(verified.regionSet === undefined ? {} : { regionSet: verified.regionSet }),
      service,
      method: verified.method,
      path,
      signedHeaders,
      signedAt: signingDate.toISOString(),
      expiresIn,
      expiresAt: expiresAt.toISOString(),
    };
    io.stdout(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    io.stdout(
      [
        `valid: signed by ${verified.accessKeyId} (${source})`,
        `scope:      ${verified.credentialScope}`,
        ...(verified.regionSet === undefined ? [] : [`region set: ${verified.regionSet.join(',')} (SigV4a)`]),
        `method:     ${verified.method} ${verified.path}`,
        `signed at:  ${verified.signingDate.toISOString()}`,
        `expires at: ${verified.expiresAt.toISOString()} (in ${duration(verified.expiresAt.getTime() - now)})`,
        `headers:    ${verified.signedHeaders.join(', ')}`,
        '',
      ].join('\n'),
    );
  }
  return 0;
}
