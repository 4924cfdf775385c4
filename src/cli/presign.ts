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

/**
 * The URL with its query in the AWS CLI's order: botocore adds `X-Amz-Security-Token` after `X-Amz-SignedHeaders`,
 * where the library keeps the canonical (sorted) order. The order is not signed (the canonical query is sorted), so
 * the signature is the same; the URL is then byte for byte the one `aws s3 presign` prints.
 */
export function awsCliQueryOrder(url: string): string {
  const q = url.indexOf('?');
  const params = url.slice(q + 1).split('&');
  const token = params.findIndex((p) => p.startsWith('X-Amz-Security-Token='));
  const signedHeaders = params.findIndex((p) => p.startsWith('X-Amz-SignedHeaders='));
  if (q < 0 || token < 0 || signedHeaders < token) return url;
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
  const url = awsCliQueryOrder(presigned.url);
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
