// sigv4 sign: a request signed in the Authorization header, printed as headers, JSON or a curl command line.

import { readFileSync } from 'node:fs';
import { signRequest, signRequestV4a } from '../index.js';
import { AwsConfig } from './config.js';
import { failure, quote, usageError } from './errors.js';
import { SIGN_HELP } from './help.js';
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
import { processOptions, type Io } from './io.js';

/** A body given as `--data`: `@FILE`, `@-` for stdin, or the text itself (curl's convention). */
interface Body {
  readonly bytes: Uint8Array | string;
  /** How curl sends the same body: `@FILE`, `@-` or the text. */
  readonly curl: string;
}

function readBody(data: string, io: Io): Body {
  if (!data.startsWith('@')) return { bytes: data, curl: data };
  const path = data.slice(1);
  if (path === '') throw usageError('--data expected @FILE, @- or the body text, got "@"');
  try {
    return { bytes: path === '-' ? io.readStdin() : readFileSync(path), curl: data };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : String(code ?? error);
    throw failure(`cannot read the body ${path === '-' ? 'from stdin' : `file ${quote(path)}`}: ${reason}`);
  }
}

/** Quotes a word for a POSIX shell. */
export const shellQuote = (word: string): string =>
  /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;

/** A curl command line that sends the signed request as it was signed. */
export function curlCommand(
  method: string,
  url: string,
  headers: Readonly<Record<string, string>>,
  body: Body | undefined,
): string {
  const words = ['curl'];
  if (method === 'HEAD') words.push('--head');
  // curl sends GET, or POST when it has a body: say the method only when it differs.
  else if (method !== (body === undefined ? 'GET' : 'POST')) words.push('-X', method);
  // curl resolves ./ and ../ segments and expands [] and {} globs unless told not to: the path must stay as signed.
  const path = url.replace(/^[a-z]+:\/\/[^/]*/i, '').replace(/\?.*$/, '');
  if (/(?:^|\/)\.\.?(?:\/|$)/.test(path)) words.push('--path-as-is');
  if (/[[\]{}]/.test(url)) words.push('--globoff');
  for (const [name, value] of Object.entries(headers)) words.push('-H', shellQuote(`${name}: ${value}`));
  if (body !== undefined) words.push('--data-binary', shellQuote(body.curl));
  words.push(shellQuote(url));
  return words.join(' ');
}

/** `sigv4 sign ARGS`: prints the signed headers, a curl command line or JSON. Returns the exit code. */
export async function signCommand(args: readonly string[], io: Io): Promise<number> {
  const { values: flags, positionals } = parse('sign', args, {
    ...TARGET_OPTIONS,
    data: { type: 'string' },
    'unsigned-payload': { type: 'boolean' },
    curl: { type: 'boolean' },
  });
  if (flags.help) {
    io.stdout(SIGN_HELP);
    return 0;
  }
  const arg = onePositional('sign', positionals, 'an http(s) URL or an s3://BUCKET/KEY URI');
  if (flags.curl && flags.json) throw usageError('--curl and --json each choose the output: keep one');
  const method = readMethod(flags.method, flags.data === undefined ? 'GET' : 'POST');
  const headers = readHeaders(flags.header, flags['content-type']);
  const query = readQuery(flags.query);
  const targetArg = readTarget(arg, flags);
  if (flags['unsigned-payload'] && targetArg.service !== 's3')
    throw usageError('--unsigned-payload applies to S3 only, which accepts it');
  const date = readDate(flags.date);
  // A credential_process must not read the body meant for the request from stdin.
  const config = new AwsConfig(io.env, flags.profile, processOptions(io, flags.data === '@-' ? 'ignore' : 'inherit'));
  const target = resolveTarget(targetArg, flags, config);
  const credentials = config.credentials(date);
  const body = flags.data === undefined ? undefined : readBody(flags.data, io);

  const request = {
    method,
    credentials,
    headers,
    query,
    ...(body === undefined ? {} : { body: body.bytes }),
    ...(flags['unsigned-payload'] ? { payloadHash: 'UNSIGNED-PAYLOAD' } : {}),
    ...(date === undefined ? {} : { signingDate: date }),
  };
  const signed =
    'regionSet' in target
      ? await signRequestV4a({ ...target, ...request })
      : await signRequest({ ...target, ...request });
  if (flags.json) {
    io.stdout(`${JSON.stringify({ method: signed.method, url: signed.url, headers: signed.headers }, null, 2)}\n`);
  } else if (flags.curl) {
    io.stdout(`${curlCommand(signed.method, signed.url, signed.headers, body)}\n`);
  } else {
    io.stdout(
      Object.entries(signed.headers)
        .map(([name, value]) => `${name}: ${value}\n`)
        .join(''),
    );
  }
  return 0;
}
