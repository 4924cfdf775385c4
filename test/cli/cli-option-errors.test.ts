// The command line tells the library's option errors (a flag, header or variable the library refuses) from bugs by
// their code, ERR_SIGV4_INVALID_OPTION, not by their message: the first exit 2 with the library's message as it is,
// anything else exits 1 as an internal error. Run in process, with the environment and the output captured.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { presignUrl } from '../../src/index.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const home = mkdtempSync(join(tmpdir(), 'sigv4-cli-option-errors-'));
const ENV = {
  HOME: home,
  AWS_CONFIG_FILE: join(home, 'none'),
  AWS_SHARED_CREDENTIALS_FILE: join(home, 'none'),
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: SECRET,
  AWS_REGION: 'us-east-1',
};
const SIGNING_DATE = '2024-05-01T12:00:00Z';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

type Io = Parameters<typeof run>[1];

async function cli(
  argv: readonly string[],
  env: Record<string, string> = {},
  overrides: Partial<Io> = {},
): Promise<Run> {
  let stdout = '';
  let stderr = '';
  // presign and sign sign as of SIGNING_DATE unless the test gives --date.
  const dated =
    (argv[0] === 'presign' || argv[0] === 'sign') && !argv.includes('--date')
      ? [argv[0], '--date', SIGNING_DATE, ...argv.slice(1)]
      : argv;
  const code = await run(dated, {
    env: { ...ENV, ...env },
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    readStdin: () => new Uint8Array(),
    ...overrides,
  });
  expect(stderr).not.toContain(SECRET);
  return { code, stdout, stderr };
}

describe('the command line and the library option errors', () => {
  it('signs when nothing is wrong (the set-up below is sound)', async () => {
    const { url } = await presignUrl({
      url: 'https://examplebucket.s3.us-east-1.amazonaws.com/k',
      service: 's3',
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET },
      signingDate: SIGNING_DATE,
    });
    expect(await cli(['presign', 's3://examplebucket/k'])).toEqual({ code: 0, stdout: `${url}\n`, stderr: '' });
  });

  // One of each kind the library throws: invalidType (a header value), a message written in full (a header the signer
  // sets, a parameter it sets), a parser's fault (a "%" in the URL), the credentials' own check (a session token).
  // (The library's RangeErrors, for the expiry and the signing date, are caught by the command line's own checks of
  // --expires-in and --date first: see the test below.)
  const cases: [name: string, argv: string[], env: Record<string, string>, stderr: string][] = [
    [
      'a header value the library refuses',
      ['presign', 's3://examplebucket/k', '--header', 'x-note: é'],
      {},
      'sigv4 presign: "headers["x-note"]" expected printable US-ASCII without CR, LF or NUL (encode other text first), got "é"\n',
    ],
    [
      'a header the signer sets',
      ['sign', 'https://sqs.us-east-1.amazonaws.com/', '--service', 'sqs', '--header', 'X-Amz-Date: 20240501T120000Z'],
      {},
      'sigv4 sign: "headers" expected no "X-Amz-Date" header, which the signer sets (use signingDate and credentials.sessionToken)\n',
    ],
    [
      'a query parameter the signer sets',
      ['presign', 's3://examplebucket/k', '--query', 'X-Amz-Signature=0'],
      {},
      'sigv4 presign: "query" expected no "X-Amz-Signature" query parameter, which the signer sets\n',
    ],
    [
      'a "%" that starts no escape',
      ['presign', 'https://examplebucket.s3.amazonaws.com/100%.jpg'],
      {},
      'sigv4 presign: "url" expected "%" to start an escape of two hex digits (write a literal "%" as %25), got "%.j" at index 3\n',
    ],
    [
      'a session token with a space',
      ['presign', 's3://examplebucket/k'],
      { AWS_SESSION_TOKEN: 'not a token' },
      'sigv4 presign: "credentials.sessionToken" expected visible ASCII without spaces, got other characters\n',
    ],
  ];
  it.each(cases)('%s: exit 2, the library message as it is', async (_, argv, env, stderr) => {
    expect(await cli(argv, env)).toEqual({ code: 2, stdout: '', stderr });
  });

  it('--date is checked by the library before anything is read, and refused as a usage error naming the flag', async () => {
    for (const value of ['1969-12-31T23:59:59Z', '2024-02-30T12:00:00Z', 'yesterday', '2024-05-01 12:00']) {
      expect(await cli(['presign', 's3://examplebucket/k', '--date', value], { AWS_CONFIG_FILE: home })).toEqual({
        code: 2,
        stdout: '',
        stderr: `sigv4 presign: --date expected an ISO 8601 time such as 2024-05-01T12:00:00Z (or epoch milliseconds) from 1970 to 9999, got ${JSON.stringify(value)}\n`,
      });
    }
  });

  it('a TypeError without the code is a bug (exit 1), even when its message reads like an option error', async () => {
    // Before the code, any TypeError whose message started with a quote passed for the library's.
    const broken = (): never => {
      throw new TypeError('"stdout" expected an open stream, got a closed one');
    };
    expect(await cli(['presign', 's3://examplebucket/k'], {}, { stdout: broken })).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'sigv4 presign: internal error: TypeError: "stdout" expected an open stream, got a closed one (please report it at the project\'s issue tracker)\n',
    });
  });

  it('the same fault in a URL to verify is malformed data (exit 1), not a usage error: its SigV4Error has another code', async () => {
    const presigned = (await cli(['presign', 's3://examplebucket/k'])).stdout.trim();
    const received = presigned.replace('.com/k?', '.com/100%.jpg?');
    expect(await cli(['verify', received, '--now', '2024-05-01T12:05:00Z'])).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'sigv4 verify: not valid: "url" expected "%" to start an escape of two hex digits (write a literal "%" as %25), got "%.j" at index 3 (ERR_SIGV4_MALFORMED)\n',
    });
  });
});
