// sigv4 presign: a presigned URL for an s3:// URI or an http(s) URL.

import { MAX_EXPIRES_IN, presignUrl, presignUrlV4a } from '../index.js';
import { AwsConfig } from './config.js';
import { processOptions, type Io } from './io.js';
import { quote, usageError } from './errors.js';
import { PRESIGN_HELP } from './help.js';
import {
  onePositional,
  parse,
  readHeaders,
  readMethod,
  readDate,
  readQuery,
  readTarget,
  resolveTarget,
  TARGET_OPTIONS,
} from './options.js';

/** `--expires-in`: whole seconds, 1 to 604800. */
export function readExpiresIn(value: string | undefined): number {
  if (value === undefined) return 3600;
  const seconds = /^\d{1,7}$/.test(value) ? Number(value) : NaN;
  if (!(seconds >= 1 && seconds <= MAX_EXPIRES_IN)) {
    throw usageError(
      `--expires-in expected whole seconds from 1 to ${MAX_EXPIRES_IN} (7 days, the most AWS accepts), got ${quote(value)}`,
    );
  }
  return seconds;
}

// SigV4a's parameters in the order aws-c-auth writes them (the AWS CLI signs SigV4a through awscrt): after the
// request's own parameters, as in the aws-c-auth v4a suite's query-signed-request.txt files.
const V4A_ORDER = [
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-SignedHeaders',
  'X-Amz-Expires',
  'X-Amz-Security-Token',
  'X-Amz-Region-Set',
  'X-Amz-Signature',
];

/**
 * The URL with its query in the AWS CLI's order. SigV4: botocore adds `X-Amz-Security-Token` after
 * `X-Amz-SignedHeaders`, where the library keeps the canonical (sorted) order. SigV4a: aws-c-auth's order (see
 * `V4A_ORDER`). The order is not signed (the canonical query is sorted), so the signature is the same; the URL is
 * then byte for byte the one `aws s3 presign` prints (for SigV4a, but for the randomized ECDSA signature).
 */
export function awsCliQueryOrder(url: string, v4a = false): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = url.slice(q + 1).split('&');
  const name = (p: string) => p.slice(0, p.indexOf('=') >>> 0);
  if (v4a) {
    const rank = (p: string) => V4A_ORDER.indexOf(name(p));
    const own = params.filter((p) => rank(p) < 0);
    const auth = params.filter((p) => rank(p) >= 0).sort((x, y) => rank(x) - rank(y));
    return `${url.slice(0, q + 1)}${[...own, ...auth].join('&')}`;
  }
  const token = params.findIndex((p) => p.startsWith('X-Amz-Security-Token='));
  const signedHeaders = params.findIndex((p) => p.startsWith('X-Amz-SignedHeaders='));
  if (token < 0 || signedHeaders < token) return url;
  params.splice(signedHeaders, 0, ...params.splice(token, 1));
  return `${url.slice(0, q + 1)}${params.join('&')}`;
}

/** `sigv4 presign ARGS`: prints a presigned URL, or JSON with its expiry and the headers to send. Returns the exit code. */
export async function presignCommand(args: readonly string[], io: Io): Promise<number> {
  const { values: flags, positionals } = parse('presign', args, {
    ...TARGET_OPTIONS,
    'expires-in': { type: 'string' },
  });
  if (flags.help) {
    io.stdout(PRESIGN_HELP);
    return 0;
  }
  const arg = onePositional('presign', positionals, 'an s3://BUCKET/KEY URI or an http(s) URL');
  const expiresIn = readExpiresIn(flags['expires-in']);
  const method = readMethod(flags.method, 'GET');
  const headers = readHeaders(flags.header, flags['content-type']);
  const query = readQuery(flags.query);
  const targetArg = readTarget(arg, flags);
  const date = readDate(flags.date);
  const config = new AwsConfig(io.env, flags.profile, processOptions(io));
  const target = resolveTarget(targetArg, flags, config);
  const credentials = config.credentials(date);

  const request = {
    method,
    credentials,
    expiresIn,
    headers,
    query,
    ...(date === undefined ? {} : { signingDate: date }),
  };
  const presigned =
    'regionSet' in target
      ? await presignUrlV4a({ ...target, ...request })
      : await presignUrl({ ...target, ...request });
  // Temporary credentials end the URL's life early: S3 refuses it once they expire, whatever X-Amz-Expires says.
  if (credentials.expiresAt !== undefined && credentials.expiresAt < presigned.expiresAt) {
    io.stderr(
      `note: the credentials from ${credentials.source} expire at ${credentials.expiresAt.toISOString()}, before the URL's ${presigned.expiresAt.toISOString()}: it stops working then\n`,
    );
  }
  const url = awsCliQueryOrder(presigned.url, 'regionSet' in target);
  if (flags.json) {
    const { headers: mustSend, expiresAt } = presigned;
    io.stdout(
      `${JSON.stringify({ url, method, expiresIn, expiresAt: expiresAt.toISOString(), headers: mustSend }, null, 2)}\n`,
    );
  } else {
    io.stdout(`${url}\n`);
    const mustSend = Object.entries(presigned.headers);
    if (mustSend.length > 0)
      io.stderr(
        `the holder of this URL must send: ${mustSend.map(([name, value]) => `${name}: ${value}`).join('; ')}\n`,
      );
  }
  return 0;
}
