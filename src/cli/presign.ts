// sigv4 presign: a presigned URL for an s3:// URI or an http(s) URL.

import { MAX_EXPIRES_IN, presignUrl, presignUrlV4a } from '../index.js';
import { AwsConfig } from './config.js';
import { quote, usageError } from './errors.js';
import { PRESIGN_HELP } from './help.js';
import {
  onePositional,
  parse,
  readHeaders,
  readMethod,
  readQuery,
  readTarget,
  resolveTarget,
  signingDate,
  TARGET_OPTIONS,
} from './options.js';
import type { Io } from './io.js';

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
  const config = new AwsConfig(io.env, flags.profile);
  const target = resolveTarget(targetArg, flags, config);
  const credentials = config.credentials();
  const date = signingDate(config);

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
  if (flags.json) {
    const { url, headers: mustSend, expiresAt } = presigned;
    io.stdout(
      `${JSON.stringify({ url, method, expiresIn, expiresAt: expiresAt.toISOString(), headers: mustSend }, null, 2)}\n`,
    );
  } else {
    io.stdout(`${presigned.url}\n`);
    const mustSend = Object.entries(presigned.headers);
    if (mustSend.length > 0)
      io.stderr(
        `the holder of this URL must send: ${mustSend.map(([name, value]) => `${name}: ${value}`).join('; ')}\n`,
      );
  }
  return 0;
}
