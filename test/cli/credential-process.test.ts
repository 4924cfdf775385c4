// Credentials as the AWS CLI finds them, beyond static keys: credential_process (a fake program per test: a small
// shell script printing JSON), its words split as Python's shlex.split splits them, Expiration, the order of the
// sources, AWS_SECURITY_TOKEN and aws_security_token, AWS_CREDENTIAL_EXPIRATION, and the sources that need the
// network (SSO, web identity), refused with the way out. Errors never show what the program printed on stdout, nor a
// secret key or a token.

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { shellSplit } from '../../src/cli/credential-process.js';
import {
  cli,
  envKeys,
  homeWith,
  KEY,
  libraryUrl,
  presigned,
  refused,
  script,
  SIGNING_DATE,
  tempDir,
} from './harness.js';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const P_KEY = { accessKeyId: 'AKIDPROCESSEXAMPLE', secretAccessKey: 'processSecret/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const F_KEY = { accessKeyId: 'AKIDFILEEXAMPLE', secretAccessKey: 'fileSecret/wJalrXUtnFEMI+K7MDENGEXAMPLE' };
const TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLE/token+with=chars//==';
const SECRETS = [KEY.secretAccessKey, P_KEY.secretAccessKey, F_KEY.secretAccessKey, TOKEN];
const URL_EU = 'https://examplebucket.s3.eu-west-1.amazonaws.com/k';

/** What the fake program prints: the process keys, with these fields added or replaced (undefined removes one). */
function creds(fields: Record<string, unknown> = {}): string {
  const json: Record<string, unknown> = {
    Version: 1,
    AccessKeyId: P_KEY.accessKeyId,
    SecretAccessKey: P_KEY.secretAccessKey,
    SessionToken: TOKEN,
    Expiration: '2024-05-01T18:00:00Z',
    ...fields,
  };
  return JSON.stringify(json);
}

/** A HOME whose default profile (region eu-west-1) runs `command`; `extra` goes into that profile too. */
function processHome(command: string, extra = '', credentials?: string): string {
  return homeWith({
    config: `[default]\nregion = eu-west-1\ncredential_process = ${command}\n${extra}`,
    ...(credentials === undefined ? {} : { credentials }),
  });
}

/** A script printing `output` (stdout), then exiting with `status`. */
function printer(output: string, status = 0, stderr = ''): string {
  const dir = tempDir('process');
  const body = [`cat <<'EOF'\n${output}\nEOF`, stderr === '' ? '' : `echo '${stderr}' >&2`, `exit ${status}`];
  return script(dir, 'creds', body.join('\n'));
}

const processUrl = (options: Parameters<typeof libraryUrl>[2] = {}) =>
  libraryUrl(URL_EU, 'eu-west-1', { credentials: { ...P_KEY, sessionToken: TOKEN }, ...options });

// Python's shlex.split on these command lines (python3 -c 'import shlex; print(shlex.split(...))'), which botocore
// runs credential_process with on Linux and macOS.
const SHLEX: readonly (readonly [string, readonly string[]])[] = [
  ['/usr/bin/creds', ['/usr/bin/creds']],
  ['  a   b\tc\nd ', ['a', 'b', 'c', 'd']],
  ["a 'b c' d", ['a', 'b c', 'd']],
  ['a "b c" d', ['a', 'b c', 'd']],
  ['a\\ b', ['a b']],
  ['a"b"c', ['abc']],
  ["a'b'c", ['abc']],
  ['a "" b', ['a', '', 'b']],
  ["a '' b", ['a', '', 'b']],
  ['"a\\"b"', ['a"b']],
  ['"a\\\\b"', ['a\\b']],
  ['"a\\b"', ['a\\b']],
  ["'a\\b'", ['a\\b']],
  ['a\\\\b', ['a\\b']],
  ['# not a comment', ['#', 'not', 'a', 'comment']],
  ['x#y', ['x#y']],
  ['"$HOME" `id` $(id) ~/x', ['$HOME', '`id`', '$(id)', '~/x']],
  ['é ü', ['é', 'ü']],
  ['"it\'s" \'say "hi"\'', ["it's", 'say "hi"']],
  ['a\\\nb', ['a\nb']],
];

describe('credential_process words, as shlex.split', () => {
  it.each(SHLEX)('%j', (command, words) => {
    expect(shellSplit(command)).toEqual(words);
  });

  it('refuses what shlex refuses: an unclosed quote, a trailing backslash', () => {
    expect(() => shellSplit("'abc")).toThrow('a single quote is not closed');
    expect(() => shellSplit('"abc')).toThrow('a double quote is not closed');
    expect(() => shellSplit('abc\\')).toThrow('it ends with a backslash that escapes nothing');
    expect(() => shellSplit('"abc\\')).toThrow('a double quote is not closed');
  });
});

describe.concurrent('credential_process', () => {
  it('runs the program, without a shell, with its quoted words, and signs with what it printed', async () => {
    const dir = tempDir('process dir');
    const body = `[ "$1" = "one arg" ] && [ "$2" = 'two"' ] && [ "$3" = '$HOME' ] && [ $# -eq 3 ] || { echo "bad arguments: $*" >&2; exit 9; }
cat <<'EOF'
${creds()}
EOF`;
    const path = script(dir, 'print creds', body);
    const home = processHome(`"${path}" 'one arg' two\\" '$HOME'`);
    expect(await presigned(['s3://examplebucket/k'], { home })).toBe(await processUrl());
  });

  it('gives the program this environment (PATH lookup included)', async () => {
    const dir = tempDir('bin');
    script(
      dir,
      'get-creds',
      `printf '{"Version": 1, "AccessKeyId": "%s", "SecretAccessKey": "%s"}' "$CREDS_ID" "$CREDS_SECRET"`,
    );
    const home = processHome('get-creds');
    const env = {
      PATH: `${dir}:${process.env['PATH']}`,
      CREDS_ID: F_KEY.accessKeyId,
      CREDS_SECRET: F_KEY.secretAccessKey,
    };
    expect(await presigned(['s3://examplebucket/k'], { home, env })).toBe(
      await libraryUrl(URL_EU, 'eu-west-1', { credentials: F_KEY }),
    );
  });

  it('SessionToken and Expiration may be absent or null', async () => {
    for (const fields of [
      { SessionToken: undefined, Expiration: undefined },
      { SessionToken: null, Expiration: null },
    ]) {
      const home = processHome(printer(creds(fields)));
      expect(await presigned(['s3://examplebucket/k'], { home })).toBe(
        await libraryUrl(URL_EU, 'eu-west-1', { credentials: P_KEY }),
      );
    }
  });

  it('Expiration: refused once passed at the signing time; a URL that would outlive the credentials gets a note', async () => {
    const home = processHome(printer(creds({ Expiration: '2024-05-01T12:30:00+00:00' })));
    // Signed before the expiry, for 10 minutes: fine, nothing on stderr.
    expect(await presigned(['s3://examplebucket/k', '--expires-in', '600'], { home })).toBe(
      await processUrl({ expiresIn: 600 }),
    );
    // For an hour: the URL dies with the credentials, and the user is told.
    const long = await cli(['presign', 's3://examplebucket/k'], { home });
    expect(long).toEqual({
      code: 0,
      stdout: `${await processUrl()}\n`,
      stderr: `note: the credentials from the credential_process of profile "default" in ~/.aws/config expire at 2024-05-01T12:30:00.000Z, before the URL's 2024-05-01T13:00:00.000Z: it stops working then\n`,
    });
    // Signed at or after the expiry: refused, as the AWS CLI refuses them.
    for (const date of ['2024-05-01T12:30:00Z', '2024-05-02T00:00:00Z']) {
      await refused(
        1,
        new RegExp(
          `^sigv4 presign: the credentials from the credential_process of profile "default" in ~/\\.aws/config expired at 2024-05-01T12:30:00\\.000Z, before the signing time ${date.replace('Z', '.000Z').replace(/\./g, '\\.')}; get new ones \\(the AWS CLI refuses them too: "the refreshed credentials are still expired"\\)\\n$`,
        ),
        ['presign', 's3://examplebucket/k', '--date', date],
        { home },
        SECRETS,
      );
    }
  });

  it('Expiration in the forms programs print: Z, +00:00, +0000, fractions; other forms are refused', async () => {
    for (const expiration of [
      '2024-05-01T18:00:00Z',
      '2024-05-01T20:00:00+02:00',
      '2024-05-01T18:00:00+0000',
      '2024-05-01T18:00:00.123456Z',
    ]) {
      const home = processHome(printer(creds({ Expiration: expiration })));
      expect(await presigned(['s3://examplebucket/k'], { home })).toBe(await processUrl());
    }
    for (const expiration of ['tomorrow', '2024-05-01T18:00:00', '2024-02-30T18:00:00Z', 1714586400]) {
      const home = processHome(printer(creds({ Expiration: expiration })));
      await refused(
        1,
        /^sigv4 presign: credential_process \(profile "default" in ~\/\.aws\/config\): ".*creds" printed Expiration (?:".*"|as a number), expected an ISO 8601 time with a zone such as 2024-05-01T12:00:00Z\n$/,
        ['presign', 's3://examplebucket/k'],
        { home },
        SECRETS,
      );
    }
  });

  it('what it prints must be Version 1 JSON with the keys; the errors never show stdout', async () => {
    const cases: [string, RegExp][] = [
      [
        `not json ${P_KEY.secretAccessKey}`,
        /printed something that is not JSON; it must print \{"Version": 1, "AccessKeyId": "…", "SecretAccessKey": "…", "SessionToken": "…", "Expiration": "ISO 8601 time"\}/,
      ],
      ['', /printed nothing; it must print/],
      [`["${P_KEY.secretAccessKey}"]`, /printed JSON an array, not an object/],
      [creds({ Version: 2 }), /printed Version 2; the AWS CLI and sigv4 read Version 1 only/],
      [creds({ Version: '1' }), /printed Version as a string; the AWS CLI and sigv4 read Version 1 only/],
      [creds({ Version: undefined }), /printed no Version/],
      [creds({ AccessKeyId: undefined }), /printed no AccessKeyId/],
      [creds({ SecretAccessKey: undefined }), /printed no SecretAccessKey/],
      [creds({ SecretAccessKey: 42 }), /printed SecretAccessKey as a number, expected a non-empty string/],
      [creds({ AccessKeyId: '' }), /printed AccessKeyId as an empty string, expected a non-empty string/],
      [creds({ SessionToken: 7 }), /printed SessionToken as a number, expected a string/],
    ];
    for (const [output, pattern] of cases) {
      const home = processHome(printer(output));
      await refused(1, pattern, ['presign', 's3://examplebucket/k'], { home }, SECRETS);
    }
  });

  it('a failing program: its status and the first line of its stderr, key-like text hidden', async () => {
    const stderr = `token expired for AKIDPROCESSEXAMPLE1234 ${P_KEY.secretAccessKey}; run login`;
    const home = processHome(printer(creds(), 3, stderr));
    const line = await refused(
      1,
      /^sigv4 presign: credential_process \(profile "default" in ~\/\.aws\/config\): ".*creds" exited with status 3; its stderr says "token expired for … …; run login"\n$/,
      ['presign', 's3://examplebucket/k'],
      { home },
      SECRETS,
    );
    expect(line).not.toContain('AKIDPROCESSEXAMPLE1234');
    await refused(1, /exited with status 1\n$/, ['presign', 's3://examplebucket/k'], {
      home: processHome(printer('', 1)),
    });
  });

  it('a program that is not there, not executable, too slow, or badly quoted', async () => {
    await refused(
      1,
      /^sigv4 presign: credential_process \(profile "default" in ~\/\.aws\/config\) could not run "no-such-program": no such program \(it is run without a shell: give its path, or a program on the PATH\)\n$/,
      ['presign', 's3://examplebucket/k'],
      { home: processHome('no-such-program --flag') },
    );
    const dir = tempDir('process');
    const notExecutable = join(dir, 'plain');
    script(dir, 'plain', 'true');
    await import('node:fs').then((fs) => fs.chmodSync(notExecutable, 0o644));
    await refused(
      1,
      /could not run ".*plain": permission denied \(is it executable\?\)/,
      ['presign', 's3://examplebucket/k'],
      {
        home: processHome(notExecutable),
      },
    );
    const slow = script(tempDir('process'), 'slow', 'sleep 5');
    const started = Date.now();
    await refused(
      1,
      /could not run ".*slow": it did not finish within 0\.3 s and was stopped/,
      ['presign', 's3://examplebucket/k'],
      {
        home: processHome(slow),
        timeoutMs: 300,
      },
    );
    expect(Date.now() - started).toBeLessThan(4000);
    await refused(
      1,
      /^sigv4 presign: credential_process \(profile "default" in ~\/\.aws\/config\) cannot be split into words: a single quote is not closed; fix its quoting\n$/,
      ['presign', 's3://examplebucket/k'],
      { home: processHome(`'/bin/echo ${P_KEY.secretAccessKey}`) },
      SECRETS,
    );
    await refused(
      1,
      /credential_process \(profile "default" in ~\/\.aws\/config\) is empty/,
      ['presign', 's3://examplebucket/k'],
      {
        home: processHome(''),
      },
    );
  });

  it('its place among the sources: after the environment and the credentials file, before the config file keys', async () => {
    const command = printer(creds());
    const fileKeys = `[default]\naws_access_key_id = ${F_KEY.accessKeyId}\naws_secret_access_key = ${F_KEY.secretAccessKey}\n`;
    const configKeys = `aws_access_key_id = ${KEY.accessKeyId}\naws_secret_access_key = ${KEY.secretAccessKey}\n`;
    const scopeOf = (url: string) => decodeURIComponent(/X-Amz-Credential=([^&]+)/.exec(url)![1]!).split('/')[0];
    // The environment first.
    expect(scopeOf(await presigned(['s3://examplebucket/k'], { home: processHome(command), env: envKeys }))).toBe(
      KEY.accessKeyId,
    );
    // The credentials file's keys before the process.
    expect(scopeOf(await presigned(['s3://examplebucket/k'], { home: processHome(command, '', fileKeys) }))).toBe(
      F_KEY.accessKeyId,
    );
    // The process before the config file's keys.
    expect(scopeOf(await presigned(['s3://examplebucket/k'], { home: processHome(command, configKeys) }))).toBe(
      P_KEY.accessKeyId,
    );
    // In the credentials file too.
    const inCredentials = homeWith({
      config: '[default]\nregion = eu-west-1\n',
      credentials: `[default]\ncredential_process = ${command}\n`,
    });
    expect(await presigned(['s3://examplebucket/k'], { home: inCredentials })).toBe(await processUrl());
    // --profile skips the environment's keys, and runs that profile's program.
    const profiled = homeWith({ config: `[profile p]\nregion = eu-west-1\ncredential_process = ${command}\n` });
    expect(await presigned(['s3://examplebucket/k', '--profile', 'p'], { home: profiled, env: envKeys })).toBe(
      await processUrl(),
    );
  });

  it('verify finds a URL signed with the process credentials', async () => {
    const home = processHome(printer(creds()));
    const url = await presigned(['s3://examplebucket/k'], { home });
    const run = await cli(['verify', url, '--now', '2024-05-01T12:10:00Z'], { home });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(
      /^valid: signed by AKIDPROCESSEXAMPLE \(the credential_process of profile "default" in ~\/\.aws\/config\)\n/,
    );
  });

  it('sign --data @- keeps stdin for the body: the program gets none of it', async () => {
    const dir = tempDir('process');
    const seen = join(dir, 'stdin-seen');
    const command = script(dir, 'creds', `cat > '${seen}'\ncat <<'EOF'\n${creds()}\nEOF`);
    const home = processHome(command);
    const body = 'the body, from stdin\n';
    // The real executable, from the sources: stdin is a pipe the user writes the body to.
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(ROOT, 'src', 'cli', 'main.ts'),
        'sign',
        's3://examplebucket/k',
        '--method',
        'PUT',
        '--data',
        '@-',
        '--date',
        SIGNING_DATE,
      ],
      {
        env: { PATH: process.env['PATH'] ?? '', HOME: home },
        cwd: ROOT,
      },
    );
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stdin.end(body);
    const code = await new Promise((done) => child.on('close', done));
    expect(code).toBe(0);
    expect(stdout).toContain(`x-amz-content-sha256: ${createHash('sha256').update(body).digest('hex')}\n`);
    expect(stdout).toContain(`x-amz-security-token: ${TOKEN}\n`);
    expect(readFileSync(seen, 'utf8')).toBe('');
  });
});

describe.concurrent('the other credential settings', () => {
  it('AWS_SECURITY_TOKEN, the older name, wins over AWS_SESSION_TOKEN (botocore reads it first)', async () => {
    const env = {
      ...envKeys,
      AWS_REGION: 'eu-west-1',
      AWS_SECURITY_TOKEN: 'security/token+A==',
      AWS_SESSION_TOKEN: TOKEN,
    };
    expect(await presigned(['s3://examplebucket/k'], { env })).toBe(
      await libraryUrl(URL_EU, 'eu-west-1', { credentials: { ...KEY, sessionToken: 'security/token+A==' } }),
    );
    const alone = { ...envKeys, AWS_REGION: 'eu-west-1', AWS_SECURITY_TOKEN: TOKEN };
    expect(await presigned(['s3://examplebucket/k'], { env: alone })).toBe(
      await libraryUrl(URL_EU, 'eu-west-1', { credentials: { ...KEY, sessionToken: TOKEN } }),
    );
    // An empty one counts as unset.
    const empty = { ...envKeys, AWS_REGION: 'eu-west-1', AWS_SECURITY_TOKEN: '', AWS_SESSION_TOKEN: TOKEN };
    expect(await presigned(['s3://examplebucket/k'], { env: empty })).toBe(
      await libraryUrl(URL_EU, 'eu-west-1', { credentials: { ...KEY, sessionToken: TOKEN } }),
    );
  });

  it('aws_security_token in a file wins over aws_session_token when present, even empty', async () => {
    const keys = `[default]\naws_access_key_id = ${F_KEY.accessKeyId}\naws_secret_access_key = ${F_KEY.secretAccessKey}\n`;
    const config = '[default]\nregion = eu-west-1\n';
    const both = homeWith({
      config,
      credentials: `${keys}aws_session_token = ${TOKEN}\naws_security_token = older/token\n`,
    });
    expect(await presigned(['s3://examplebucket/k'], { home: both })).toBe(
      await libraryUrl(URL_EU, 'eu-west-1', { credentials: { ...F_KEY, sessionToken: 'older/token' } }),
    );
    const emptyOld = homeWith({ config, credentials: `${keys}aws_security_token =\naws_session_token = ${TOKEN}\n` });
    expect(await presigned(['s3://examplebucket/k'], { home: emptyOld })).toBe(
      await libraryUrl(URL_EU, 'eu-west-1', { credentials: F_KEY }),
    );
  });

  it('AWS_CREDENTIAL_EXPIRATION: expired keys are refused, as the AWS CLI refuses them', async () => {
    const env = { ...envKeys, AWS_REGION: 'eu-west-1' };
    expect(
      await presigned(['s3://examplebucket/k'], { env: { ...env, AWS_CREDENTIAL_EXPIRATION: '2024-05-01T13:00:00Z' } }),
    ).toBe(await libraryUrl(URL_EU, 'eu-west-1'));
    await refused(
      1,
      /^sigv4 presign: the credentials from the environment expired at 2024-05-01T11:00:00\.000Z, before the signing time 2024-05-01T12:00:00\.000Z/,
      ['presign', 's3://examplebucket/k'],
      { env: { ...env, AWS_CREDENTIAL_EXPIRATION: '2024-05-01T11:00:00Z' } },
    );
    await refused(
      1,
      /AWS_CREDENTIAL_EXPIRATION expected an ISO 8601 time with a zone such as 2024-05-01T12:00:00Z, got "soon"/,
      ['presign', 's3://examplebucket/k'],
      { env: { ...env, AWS_CREDENTIAL_EXPIRATION: 'soon' } },
    );
  });

  it('SSO: the way out is aws sso login, then aws configure export-credentials (or a credential_process calling it)', async () => {
    for (const key of ['sso_session = corp', 'sso_start_url = https://corp.awsapps.com/start']) {
      const home = homeWith({
        config: `[profile work]\n${key}\nsso_account_id = 123456789012\nsso_role_name = Admin\n`,
      });
      await refused(
        1,
        new RegExp(
          `^sigv4 presign: profile "work" in ~/\\.aws/config signs in with IAM Identity Center \\(SSO\\) \\(${key.split(' ')[0]}\\), which sigv4 does not do: sign in with {2}aws sso login --profile work {2}then export the credentials with {2}eval "\\$\\(aws configure export-credentials --profile work --format env\\)" {2}\\(AWS CLI v2\\); or give a profile of its own {2}credential_process = aws configure export-credentials --profile work --format process\\n$`,
        ),
        ['presign', 's3://examplebucket/k', '--profile', 'work'],
        { home, env: envKeys },
      );
    }
  });

  it('a web identity token in the environment comes before the files, as in the AWS CLI: refused with the way out', async () => {
    const home = homeWith({
      credentials: `[default]\naws_access_key_id = ${F_KEY.accessKeyId}\naws_secret_access_key = ${F_KEY.secretAccessKey}\n`,
    });
    await refused(
      1,
      /^sigv4 presign: AWS_WEB_IDENTITY_TOKEN_FILE is set: the AWS CLI would assume a role with that web identity token, which needs the network; sigv4 does not: export the credentials first with {2}eval "\$\(aws configure export-credentials --format env\)"/,
      ['presign', 's3://examplebucket/k'],
      {
        home,
        env: { AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/token', AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/r' },
      },
      [F_KEY.secretAccessKey],
    );
    // The environment's keys come first, and --profile skips the environment's token file.
    expect(
      await presigned(['s3://examplebucket/k'], {
        home,
        env: { ...envKeys, AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/token' },
      }),
    ).toBe(await libraryUrl('https://examplebucket.s3.amazonaws.com/k', 'us-east-1'));
    expect(
      await presigned(['s3://examplebucket/k', '--profile', 'default'], {
        home,
        env: { AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/token' },
      }),
    ).toBe(await libraryUrl('https://examplebucket.s3.amazonaws.com/k', 'us-east-1', { credentials: F_KEY }));
  });
});
