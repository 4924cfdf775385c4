// credential_process: a program the user configured prints the credentials as JSON, and the command line runs it as
// the AWS CLI does (botocore's ProcessProvider): the setting split into words as a POSIX shell would (Python's
// shlex.split), run without a shell, with this environment; its stdout read as {"Version": 1, "AccessKeyId",
// "SecretAccessKey", "SessionToken", "Expiration"}. What the program prints is never echoed (it holds secrets); a
// failure is reported with the program's name, its exit status and the first line of its stderr, long key-like runs
// of characters hidden.

import { spawnSync } from 'node:child_process';
import type { Env, Sourced } from './config.js';
import { failure, quote } from './errors.js';

/** The credentials a credential_process printed. */
export interface ProcessCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  /** `Expiration`, when the program gave one. */
  readonly expiresAt?: Date;
}

/** How long the program may run: the AWS CLI waits forever, sigv4 stops it after a minute (an MFA prompt fits). */
export const CREDENTIAL_PROCESS_TIMEOUT_MS = 60_000;

/**
 * Splits a command line into words as Python's `shlex.split` does (POSIX mode, no comments), which is what botocore
 * runs credential_process with on Linux and macOS: blanks separate words; `'…'` is literal; `"…"` is literal but for
 * `\"` and `\\`; a backslash outside quotes takes the next character literally. Throws a message for an unclosed
 * quote or a trailing backslash.
 */
export function shellSplit(command: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  while (i < command.length) {
    const c = command[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
    } else if (c === '\\') {
      if (i + 1 >= command.length) throw new SyntaxError('it ends with a backslash that escapes nothing');
      word += command[i + 1];
      inWord = true;
      i += 2;
    } else if (c === "'") {
      const end = command.indexOf("'", i + 1);
      if (end < 0) throw new SyntaxError('a single quote is not closed');
      word += command.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      inWord = true;
      i++;
      for (;;) {
        if (i >= command.length) throw new SyntaxError('a double quote is not closed');
        const d = command[i]!;
        if (d === '"') {
          i++;
          break;
        }
        if (d === '\\' && (command[i + 1] === '"' || command[i + 1] === '\\')) {
          word += command[i + 1];
          i += 2;
        } else {
          word += d;
          i++;
        }
      }
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  return words;
}

// Runs of 20 or more characters that could be a key id, a secret key or a token: hidden from messages.
const KEY_LIKE = /[A-Za-z0-9/+=_-]{20,}/g;

/** The first non-empty line of a program's stderr, key-like runs hidden, quoted and cut for a message. */
function stderrLine(stderr: string): string | undefined {
  const line = stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => l !== '');
  return line === undefined ? undefined : quote(line.replace(KEY_LIKE, '…'));
}

const FORMAT =
  'it must print {"Version": 1, "AccessKeyId": "…", "SecretAccessKey": "…", "SessionToken": "…", "Expiration": "ISO 8601 time"}';

const typeOf = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;

// ISO 8601 with a time zone, as the programs print it (2024-05-01T13:00:00Z, …+00:00, with fractions): botocore
// reads it with dateutil and compares it with an aware "now", so a time without a zone fails there too.
const EXPIRATION = /^(\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?)(?:Z|([+-]\d\d):?(\d\d))$/;

/** A calendar day that exists (Date.parse rolls 2024-02-30 over to March). */
const realDay = (text: string): boolean => {
  const [year, month, day] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
  return month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
};

/**
 * Runs a credential_process and reads its credentials. `setting` is the command line and where it is configured;
 * `env` the environment the program gets (this process's, as for the AWS CLI). Throws a failure (exit 1) that names
 * the program and the setting, never what the program printed on stdout.
 */
export function runCredentialProcess(
  setting: Sourced,
  env: Env,
  options: { readonly timeoutMs?: number; readonly stdin?: 'inherit' | 'ignore' } = {},
): ProcessCredentials {
  const where = `credential_process (${setting.source})`;
  let argv: string[];
  try {
    argv = shellSplit(setting.value);
  } catch (error) {
    throw failure(`${where} cannot be split into words: ${(error as Error).message}; fix its quoting`);
  }
  if (argv.length === 0) throw failure(`${where} is empty; set it to the program that prints the credentials`);
  const program = quote(argv[0]!);
  const timeoutMs = options.timeoutMs ?? CREDENTIAL_PROCESS_TIMEOUT_MS;
  const result = spawnSync(argv[0]!, argv.slice(1), {
    env: Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined)),
    stdio: [options.stdin ?? 'inherit', 'pipe', 'pipe'],
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    maxBuffer: 1024 * 1024,
    windowsHide: true,
  });
  const stderr = result.stderr ? result.stderr.toString('utf8') : '';
  const said = stderrLine(stderr);
  const saying = said === undefined ? '' : `; its stderr says ${said}`;
  if (result.error) {
    const code = (result.error as { code?: unknown }).code;
    const reason =
      code === 'ENOENT'
        ? 'no such program (it is run without a shell: give its path, or a program on the PATH)'
        : code === 'EACCES'
          ? 'permission denied (is it executable?)'
          : code === 'ETIMEDOUT'
            ? `it did not finish within ${timeoutMs / 1000} s and was stopped`
            : code === 'ENOBUFS'
              ? 'it printed more than 1 MiB'
              : String(code ?? result.error.message);
    throw failure(`${where} could not run ${program}: ${reason}${saying}`);
  }
  if (result.status !== 0) {
    const how = result.signal ? `was killed by ${result.signal}` : `exited with status ${result.status}`;
    throw failure(`${where}: ${program} ${how}${saying}`);
  }
  const stdout = result.stdout.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    throw failure(
      `${where}: ${program} printed ${stdout.trim() === '' ? 'nothing' : 'something that is not JSON'}; ${FORMAT}`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw failure(`${where}: ${program} printed JSON ${typeOf(parsed)}, not an object; ${FORMAT}`);
  const json = parsed as Record<string, unknown>;
  const version = json['Version'];
  if (version !== 1) {
    const got =
      version === undefined
        ? 'no Version'
        : typeof version === 'number'
          ? `Version ${version}`
          : `Version as ${typeOf(version)}`;
    throw failure(`${where}: ${program} printed ${got}; the AWS CLI and sigv4 read Version 1 only: ${FORMAT}`);
  }
  const text = (name: string): string => {
    const value = json[name];
    if (value === undefined) throw failure(`${where}: ${program} printed no ${name}; ${FORMAT}`);
    if (typeof value !== 'string' || value === '')
      throw failure(
        `${where}: ${program} printed ${name} as ${value === '' ? 'an empty string' : typeOf(value)}, expected a non-empty string`,
      );
    return value;
  };
  const accessKeyId = text('AccessKeyId');
  const secretAccessKey = text('SecretAccessKey');
  const token = json['SessionToken'];
  if (token !== undefined && token !== null && typeof token !== 'string')
    throw failure(`${where}: ${program} printed SessionToken as ${typeOf(token)}, expected a string`);
  const expiration = json['Expiration'];
  let expiresAt: Date | undefined;
  if (expiration !== undefined && expiration !== null) {
    const m = typeof expiration === 'string' ? EXPIRATION.exec(expiration) : null;
    // +0000 is read as +00:00, the one form of an offset Date.parse reads everywhere.
    const time = m && realDay(m[1]!) ? Date.parse(`${m[1]}${m[2] === undefined ? 'Z' : `${m[2]}:${m[3]}`}`) : NaN;
    if (Number.isNaN(time)) {
      throw failure(
        `${where}: ${program} printed Expiration ${typeof expiration === 'string' ? quote(expiration) : `as ${typeOf(expiration)}`}, expected an ISO 8601 time with a zone such as 2024-05-01T12:00:00Z`,
      );
    }
    expiresAt = new Date(time);
  }
  return {
    accessKeyId,
    secretAccessKey,
    ...(typeof token === 'string' && token !== '' ? { sessionToken: token } : {}),
    ...(expiresAt === undefined ? {} : { expiresAt }),
  };
}
